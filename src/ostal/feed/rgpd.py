"""RGPD declarations of the directory imports (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="imports-annuaire",
        name=_("Alimentation de l'annuaire (AAF)"),
        purpose=_(
            "Recevoir les fichiers de l'annuaire académique fédérateur, les importer dans "
            "l'annuaire de l'ENT et en garder le compte rendu pour les administrateurs."
        ),
        data_categories=(
            _("Comptes rendus d'import : personnes créées, modifiées ou détachées"),
            _("Liens parent-élève en attente (identifiant AAF du parent)"),
            _("Auteur de l'import"),
        ),
        people=(_("Élèves"), _("Parents et responsables"), _("Personnels")),
        retention=_(
            "Comptes rendus d'import : aucune purge automatique à ce jour (à fixer) ; liens "
            "en attente : supprimés avec l'élève."
        ),
        recipients=(
            _(
                "Administrateurs de l'établissement, de la collectivité et de la région, "
                "chacun pour ses établissements"
            ),
            _("Exploitant de la plateforme"),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=("feed.ImportRun", "feed.PendingRelativeLink"),
    ),
]
