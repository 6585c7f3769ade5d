"""RGPD declarations of the GAR link (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="gar",
        name=_("Accès aux ressources numériques (GAR)"),
        purpose=_(
            "Transmettre chaque nuit au Gestionnaire d'accès aux ressources du ministère le "
            "strict nécessaire pour que les élèves et les enseignants ouvrent les manuels et "
            "ressources attribués ; désigner les responsables d'affectation."
        ),
        data_categories=(
            _(
                "Export : identifiant GAR, nom, prénom, établissement, classe, groupes, MEF, "
                "disciplines (détail champ par champ dans docs/gar.md)"
            ),
            _("Rôles GAR : personne désignée, rôle, qui l'a désignée ou a mis fin, dates"),
            _("Journal des exports : fichiers, nombres, erreurs"),
        ),
        people=(_("Élèves"), _("Enseignants"), _("Responsables d'affectation")),
        retention=_(
            "Les fichiers d'un export livré sont supprimés aussitôt ; ceux d'un export non "
            "déposé (en échec) sont supprimés chaque nuit passé le délai "
            "OSTAL_GAR_FAILED_RUN_DAYS (7 jours par défaut), le journal de l'export restant ; "
            "les désignations sont gardées comme historique."
        ),
        recipients=(_("Le GAR (ministère de l'Éducation nationale), par SFTP"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 14 juin 2019 relatif au GAR"),
        models=("gar.GarAppointment", "gar.GarExportRun"),
        retention_jobs=("gar_failed_runs",),
    ),
]
