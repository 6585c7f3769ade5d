"""RGPD declarations of the cahier de textes (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="cahier-de-textes",
        name=_("Cahier de textes"),
        purpose=_(
            "Tenir le contenu des séances et le travail à faire de chaque classe, recevoir "
            "les devoirs rendus en ligne et laisser l'élève marquer un travail comme fait."
        ),
        data_categories=(
            _("Séances et travaux écrits par les enseignants, pièces jointes"),
            _("Devoirs rendus par les élèves (fichiers)"),
            _("Travail marqué « fait » par l'élève"),
            _("Droits d'écriture délégués"),
        ),
        people=(_("Élèves"), _("Enseignants")),
        retention=_(
            "Aucune purge automatique à ce jour (à fixer). À l'effacement d'un compte, la "
            "personne est anonymisée, mais ses devoirs rendus et ses travaux cochés restent "
            "attachés au compte anonymisé."
        ),
        recipients=(
            _("Élèves et parents de la classe"),
            _("Enseignants et direction de l'établissement"),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié ; cahier de textes obligatoire"),
        models=(
            "homework.LessonEntry",
            "homework.Homework",
            "homework.HomeworkDone",
            "homework.Submission",
            "homework.Attachment",
            "homework.WriteGrant",
        ),
    ),
]
