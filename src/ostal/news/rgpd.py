"""RGPD declarations of the actualités (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="actualites",
        name=_("Actualités"),
        purpose=_(
            "Informer les élèves, les familles et les personnels des nouvelles de leur "
            "établissement, de leur classe, de leur collectivité et de la région."
        ),
        data_categories=(
            _("Actualités : auteur, validateur, texte, public visé, dates"),
            _("Lectures : qui a ouvert quelle actualité, et quand"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Aucune purge automatique pour l'instant : une actualité reste jusqu'à sa "
            "suppression par son auteur ou la direction ; à l'effacement d'un compte, ses "
            "lectures disparaissent avec lui."
        ),
        recipients=(_("Les lecteurs visés par chaque actualité"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=("news.NewsItem", "news.NewsRead"),
        retention_jobs=(),
    ),
]
