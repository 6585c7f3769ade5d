"""RGPD declarations of single sign-on (CAS, OpenID Connect; see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="services-connectes",
        name=_("Authentification unique vers les services connectés"),
        purpose=_(
            "Ouvrir les services partenaires (CAS, SAML, OpenID Connect) sans nouvelle "
            "connexion, en ne leur transmettant que les attributs déclarés pour chacun."
        ),
        data_categories=(
            _(
                "Attributs transmis au service : identifiant, et selon le service nom, "
                "prénom, profil, établissement, classes"
            ),
            _("Registre des services et des clients : qui les a déclarés"),
        ),
        people=(_("Utilisateurs qui ouvrent un service connecté"), _("Administrateurs")),
        retention=_(
            "Tickets CAS : supprimés toutes les 5 minutes une fois utilisés ou expirés ; "
            "sessions CAS : fermées avec la session de l'ENT ; autorisations OpenID "
            "Connect : jusqu'à leur expiration ou révocation."
        ),
        recipients=(_("Les services connectés, chacun pour ses attributs déclarés"),),
        legal_basis=LegalBasis.PUBLIC_TASK,
        legal_reference=_("Arrêté du 30 novembre 2006 modifié"),
        models=("sso.ConnectedService", "oidc.Client"),
    ),
]
