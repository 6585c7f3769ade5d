"""RGPD declarations of the directory (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="annuaire",
        name=_("Annuaire de l'ENT"),
        purpose=_(
            "Ouvrir un compte à chaque élève, parent et personnel des établissements, et "
            "savoir qui enseigne à qui, qui est parent de qui et qui administre quoi : "
            "c'est de ces relations que viennent les droits dans tous les services."
        ),
        data_categories=(
            _("Identité : nom, prénom, nom de naissance, civilité, date de naissance, INE"),
            _("Coordonnées : adresse électronique, téléphone mobile, adresse postale"),
            _("Scolarité : établissements, classes, groupes, formation (MEF)"),
            _("Fonctions des personnels, disciplines enseignées"),
            _("Liens de responsabilité entre élèves et parents"),
            _("Compte : identifiant, état, mot de passe chiffré, acceptation de la charte"),
        ),
        people=(_("Élèves"), _("Parents et responsables"), _("Personnels"), _("Agents")),
        retention=_(
            "Le temps où la personne a vocation à détenir un compte, puis 3 mois "
            "(OSTAL_DIRECTORY_RETENTION_DAYS, 90 jours par défaut) après son départ : ses "
            "données sont alors effacées et le compte anonymisé."
        ),
        recipients=(
            _(
                "Les utilisateurs de l'ENT, selon leurs droits (enseignants de la classe, "
                "direction, parents de l'élève)"
            ),
            _("Les administrateurs de l'établissement, de la collectivité et de la région"),
            _("Les services connectés, pour les seuls attributs que chacun reçoit"),
        ),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_(
            "Arrêté du 30 novembre 2006 modifié (traitements « espaces numériques de travail »)"
        ),
        models=(
            "directory.Person",
            "directory.Affiliation",
            "directory.StaffFunction",
            "directory.Enrolment",
            "directory.GroupMembership",
            "directory.TeachingAssignment",
            "directory.HeadTeacher",
            "directory.RelativeLink",
            "directory.SchoolAdmin",
            "directory.AuthorityRole",
        ),
        retention_jobs=("directory_retention",),
    ),
]
