"""RGPD declarations of the agenda (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="agenda",
        name=_("Agenda"),
        purpose=_(
            "Tenir l'agenda personnel de chacun et ceux des classes, groupes et "
            "établissements ; inviter et recueillir les réponses."
        ),
        data_categories=(
            _("Agendas : propriétaire (personne, classe, groupe ou établissement)"),
            _("Événements : auteur, titre, lieu, dates, description, public visé"),
            _("Invitations : personne invitée, réponse"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Aucune purge automatique pour l'instant : l'agenda personnel, ses événements "
            "et les invitations disparaissent avec le compte ; les événements de classe et "
            "d'établissement restent jusqu'à leur suppression."
        ),
        recipients=(_("Les lecteurs de chaque agenda et les personnes invitées"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=("agenda.Calendar", "agenda.Event", "agenda.Invitation"),
        retention_jobs=(),
    ),
]
