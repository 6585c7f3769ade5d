"""RGPD declarations of the timetable (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="emploi-du-temps",
        name=_("Emploi du temps"),
        purpose=_(
            "Montrer à chacun ses cours, leurs changements (absence, remplacement, salle) "
            "et les avis qui en préviennent, et l'abonnement iCalendar personnel."
        ),
        data_categories=(
            _("Enseignants de chaque cours, remplaçants, auteur d'un changement"),
            _("Avis de changement envoyés et lus"),
            _("Jeton personnel du calendrier iCalendar"),
            _("Comptes rendus d'import de l'emploi du temps"),
        ),
        people=(_("Élèves"), _("Parents"), _("Enseignants"), _("Personnels de direction")),
        retention=_(
            "Aucune purge automatique à ce jour (à fixer). À l'effacement d'un compte, la "
            "personne est anonymisée ; ses avis et son jeton de calendrier restent attachés "
            "au compte anonymisé."
        ),
        recipients=(_("Élèves, parents et enseignants concernés par le cours"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=(
            "timetable.Course",
            "timetable.CourseChange",
            "timetable.CourseNotice",
            "timetable.TimetableImport",
            "timetable.CalendarFeedToken",
        ),
    ),
]
