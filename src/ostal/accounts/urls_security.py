"""Login and security routes (helper "security"); names agreed in ``notes/urlnames.md``."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from ostal.accounts import views
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

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
        # the menu reads the request's roles; the page asks may_read_security_log
        lambda u: shell_roles(u).admin_of_a_scope,
        order=85,
    )
)
