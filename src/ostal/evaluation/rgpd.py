"""RGPD declarations of the marks (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="notes",
        name=_("Notes et moyennes"),
        purpose=_(
            "Saisir et publier les évaluations des élèves, calculer leurs moyennes par "
            "période, verrouiller une période après le conseil de classe."
        ),
        data_categories=(
            _("Évaluations : enseignant, classe ou groupe, matière, date, barème, coefficient"),
            _("Notes : élève, note ou code (absent, dispensé, non rendu, non noté)"),
            _("Journal des saisies, publications et verrouillages (qui, quand)"),
            _("Périodes de l'établissement"),
        ),
        people=(_("Élèves"), _("Personnels")),
        retention=_(
            "Aucune purge automatique pour l'instant : les notes restent tant que "
            "l'évaluation existe ; la durée légale de conservation des bulletins sera "
            "appliquée avec eux (issue 20)."
        ),
        recipients=(
            _("L'élève et ses responsables (notes publiées)"),
            _("Les enseignants de la classe, le professeur principal, la direction"),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Code de l'éducation, articles D. 331-23 et suivants"),
        models=(
            "evaluation.Period",
            "evaluation.Evaluation",
            "evaluation.Mark",
            "evaluation.EvaluationEvent",
            "evaluation.CouncilLock",
        ),
        retention_jobs=(),
    ),
]
