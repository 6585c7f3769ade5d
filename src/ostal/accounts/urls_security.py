"""Login and security routes (helper "security"); names agreed in ``notes/urlnames.md``."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.accounts import views
from ostal.accounts.abilities import may_read_security_log
from ostal.web.navigation import Service, register_service

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("double-authentification/", views.mfa_setup, name="mfa_setup"),
    path("double-authentification/verifier/", views.mfa_verify, name="mfa_verify"),
    path(
        "double-authentification/codes-de-secours/",
        views.mfa_recovery_codes,
        name="mfa_recovery_codes",
    ),
    path("sessions/", views.sessions, name="sessions"),
    path("journal/", views.security_log, name="security_log"),
]

register_service(
    Service(
        "security_log",
        _("Journal de sécurité"),
        "accounts:security_log",
        may_read_security_log,
        order=85,
    )
)
