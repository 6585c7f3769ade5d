"""RGPD declarations of the vie scolaire (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="vie_scolaire",
        name=_("Vie scolaire : appel, absences et retards"),
        purpose=_(
            "Faire l'appel, suivre l'assiduité des élèves, recueillir les justifications des "
            "familles et signaler les absences répétées (Code de l'éducation, L131-8)."
        ),
        data_categories=(
            _("Appels : cours, date, enseignant, état"),
            _("Événements : élève, absence ou retard, minutes, motif"),
            _("Justifications : responsable, motif, commentaire, réponse de la vie scolaire"),
            _("Corrections après verrouillage : avant, après, auteur"),
            _("Motifs de l'établissement"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Aucune purge automatique pour l'instant : la durée de conservation de "
            "l'assiduité (année scolaire en cours et suivante) sera appliquée par une tâche "
            "à venir (issue 19)."
        ),
        recipients=(
            _("L'élève et ses responsables"),
            _("Les enseignants du cours, la vie scolaire, la direction"),
        ),
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_reference=_("Code de l'éducation, articles L131-8 et R131-5 et suivants"),
        models=(
            "vie_scolaire.Motive",
            "vie_scolaire.Register",
            "vie_scolaire.Event",
            "vie_scolaire.Justification",
            "vie_scolaire.Correction",
        ),
        retention_jobs=(),
    ),
]
