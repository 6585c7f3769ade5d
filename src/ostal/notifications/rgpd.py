"""RGPD declarations of notifications (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="notifications",
        name=_("Notifications par courriel"),
        purpose=_(
            "Prévenir chacun, à son rythme, des nouveaux messages par un courriel récapitulatif."
        ),
        data_categories=(
            _("Préférences : fréquence, heure, plage de silence"),
            _("État de l'envoi du récapitulatif"),
        ),
        people=(_("Utilisateurs ayant confirmé une adresse électronique"),),
        retention=_("Jusqu'à l'effacement du compte."),
        recipients=(_("La personne elle-même (courriel à son adresse confirmée)"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=("notifications.NotificationPreference", "notifications.DigestState"),
    ),
]
