"""RGPD declarations of the messagerie (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="messagerie",
        name=_("Messagerie interne"),
        purpose=_(
            "Permettre aux membres de la communauté éducative de s'écrire selon les règles "
            "de communication de l'établissement, signaler un message, geler la messagerie."
        ),
        data_categories=(
            _("Messages : auteur, destinataires, objet, texte, pièces jointes, élève concerné"),
            _("Boîtes, dossiers, lectures et corbeille de chacun"),
            _("Signalements et gels (qui, pourquoi)"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Corbeille vidée après 30 jours (MESSAGING_TRASH_DAYS) ; à l'effacement d'un "
            "compte, ses copies, brouillons et dossiers sont supprimés, ses messages envoyés "
            "restent chez leurs destinataires signés « Compte supprimé »."
        ),
        recipients=(_("Les destinataires de chaque message"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=(
            "messaging.Folder",
            "messaging.Message",
            "messaging.Delivery",
            "messaging.MessageReport",
            "messaging.Freeze",
            "messaging.Attachment",
        ),
        retention_jobs=("messaging_trash",),
    ),
]
