"""RGPD declarations of the espace documentaire (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="documents",
        name=_("Espace documentaire et dépôts de devoirs"),
        purpose=_(
            "Donner à chacun un espace pour ses fichiers, permettre aux enseignants "
            "d'ouvrir des dépôts de devoirs et aux élèves d'y rendre leur travail."
        ),
        data_categories=(
            _("Dossiers et fichiers : propriétaire, nom, contenu, taille, type, dates"),
            _("Dépôts : enseignant, classe, devoir lié, échéance ; rendus des élèves"),
            _("Résultat de l'analyse antivirus"),
            _("Place occupée par personne (quota)"),
        ),
        people=(_("Élèves"), _("Parents"), _("Personnels")),
        retention=_(
            "Corbeille vidée après 30 jours (DOCUMENTS_TRASH_DAYS) ; les fichiers d'une "
            "personne disparaissent avec son compte (le devenir des fichiers partagés est "
            "à traiter avec les espaces partagés, issue 16)."
        ),
        recipients=(
            _(
                "La personne elle-même ; pour un rendu, l'enseignant du dépôt et les "
                "responsables de l'élève"
            ),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=(
            "documents.Folder",
            "documents.HandIn",
            "documents.Document",
            "documents.Usage",
        ),
        retention_jobs=("documents_trash",),
    ),
]
