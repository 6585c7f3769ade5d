"""RGPD declarations of accounts and security (see ``ostal.core.rgpd``)."""

from django.utils.translation import gettext_lazy as _

from ostal.core.rgpd import LegalBasis, Processing

PROCESSINGS = [
    Processing(
        key="securite-comptes",
        name=_("Connexion et sécurité des comptes"),
        purpose=_(
            "Authentifier les personnes, protéger leurs comptes (verrouillage, double "
            "authentification, nouveaux appareils), leur montrer leurs sessions et garder "
            "les traces de connexion exigées d'un hébergeur."
        ),
        data_categories=(
            _("Journal de sécurité : connexions, échecs, actions des administrateurs"),
            _("Adresse IP, navigateur (user agent), appareils reconnus"),
            _("Sessions ouvertes"),
        ),
        people=(_("Toute personne qui se connecte ou tente de se connecter"),),
        retention=_(
            "Journal de sécurité : 1 an (SECURITY_EVENT_RETENTION_DAYS, 365 jours par "
            "défaut), puis purge chaque nuit. Sessions : jusqu'à la déconnexion ou "
            "l'expiration. Appareils reconnus : aucune purge automatique à ce jour (à fixer)."
        ),
        recipients=(
            _("La personne elle-même (ses sessions, ses appareils, ses derniers événements)"),
            _("Les administrateurs, pour les comptes de leur périmètre"),
            _("Exploitant de la plateforme"),
        ),
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_reference=_(
            "Décret n° 2011-219 (conservation des données de connexion par les hébergeurs)"
        ),
        models=("core.SecurityEvent", "accounts.KnownDevice", "accounts.TrackedSession"),
        retention_jobs=("security_events",),
    ),
]
