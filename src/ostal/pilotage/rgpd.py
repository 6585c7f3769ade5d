"""RGPD declarations of the pilotage and of audience measurement (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="pilotage",
        name=_("Pilotage du groupement"),
        purpose=_(
            "Suivre la convention du groupement de commandes, ses membres, ses bons de "
            "commande, ses consultations et la répartition des coûts, en gardant qui a "
            "décidé ou enregistré quoi."
        ),
        data_categories=(
            _("Nom des agents qui enregistrent une décision, une commande ou une observation"),
            _("Observations écrites par les membres"),
            _("Rôles des agents dans le pilotage"),
            _("Historique des actions"),
        ),
        people=(_("Agents des collectivités membres du groupement"),),
        retention=_(
            "Aucune purge automatique : pièces de la convention et de ses suites, à verser "
            "aux archives publiques (durée à fixer)."
        ),
        recipients=(_("Agents des collectivités membres, selon leur rôle"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Code de la commande publique (groupement de commandes)"),
        models=(
            "pilotage.MemberDecision",
            "pilotage.Order",
            "pilotage.Observation",
            "pilotage.CostAllocation",
            "pilotage.PilotageRole",
            "pilotage.HistoryEntry",
        ),
    ),
    Processing(
        key="mesure-audience",
        name=_("Mesure de l'audience de l'ENT"),
        purpose=_(
            "Compter les visites et les visiteurs de chaque service, par établissement et "
            "par profil, pour les statistiques d'usage de la collectivité. Les personnes y "
            "sont désignées par un pseudonyme ; les statistiques publiées sont agrégées."
        ),
        data_categories=(
            _("Pseudonyme de la personne, profil, établissement (UAI), service, date"),
        ),
        people=(_("Tous les utilisateurs de l'ENT"),),
        retention=_(
            "Événements pseudonymisés : aucune purge automatique à ce jour (à fixer) ; "
            "agrégats quotidiens sans donnée personnelle."
        ),
        recipients=(
            _("Agents des collectivités (statistiques agrégées seulement)"),
            _("Exploitant de la plateforme"),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié (mesure d'audience)"),
        models=("core.AudienceEvent",),
    ),
]
