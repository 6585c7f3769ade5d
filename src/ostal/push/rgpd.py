"""RGPD declarations of Web Push (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="notifications_push",
        name=_("Notifications sur les appareils (Web Push)"),
        purpose=_(
            "Prévenir sur l'appareil qu'une personne a choisi qu'un message est arrivé ou "
            "qu'un cours a changé, sans jamais envoyer le contenu."
        ),
        data_categories=(
            _(
                "Abonnements : adresse du service de notification du navigateur, clés, "
                "navigateur, date"
            ),
            _("Avis en attente : titre fixe, prénom de l'enfant concerné"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Un avis non envoyé est abandonné après 16 heures ; un abonnement refusé par le "
            "service de notification est supprimé ; tous disparaissent avec le compte."
        ),
        recipients=(
            _("Le service de notification du navigateur choisi (titre et prénom chiffrés)"),
        ),
        legal_basis=LegalBasis.CONSENT,
        legal_reference=_("Abonnement demandé par la personne depuis son compte"),
        models=("push.PushSubscription", "push.PushNotice"),
        retention_jobs=(),
    ),
]
