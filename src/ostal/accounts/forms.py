"""The login form: one generic error for every failure (rule: a login attempt never tells
whether an account exists, is inactive or is locked)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

GENERIC_LOGIN_ERROR = _(
    "Identifiant ou mot de passe incorrect. Vérifiez votre saisie ; après plusieurs erreurs, "
    "la connexion est bloquée quelques minutes."
)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}

    def confirm_login_allowed(self, user: object) -> None:
        # Inactive accounts never reach here (the backends refuse them), but keep the same
        # generic message if a backend ever lets one through.
        if not getattr(user, "is_active", False):
            raise forms.ValidationError(GENERIC_LOGIN_ERROR, code="invalid_login")
