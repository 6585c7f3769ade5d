"""The login form: one generic error for every failure (rule: a login attempt never tells
whether an account exists, is inactive or is locked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ostal.core.params import validate_date_bounds

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


class SecondFactorForm(forms.Form):
    """A code from the authenticator app (6 digits) or a recovery code."""

    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_("Les 6 chiffres affichés par votre application, ou un code de secours."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
        error_messages={"required": _("Saisissez le code.")},
    )


class TotpConfirmForm(forms.Form):
    """The first code of a newly configured authenticator app."""

    code = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Saisissez le code à 6 chiffres.")},
    )


class SecurityLogFilterForm(forms.Form):
    """Filters of the security log: kind, login typed, date range."""

    kind = forms.ChoiceField(label=_("Type"), required=False)
    username = forms.CharField(label=_("Identifiant"), max_length=150, required=False)
    since = forms.DateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Date de début invalide (format AAAA-MM-JJ).")},
        validators=[validate_date_bounds],
    )
    until = forms.DateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Date de fin invalide (format AAAA-MM-JJ).")},
        validators=[validate_date_bounds],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ostal.core.models import SecurityEvent

        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Tous")), *SecurityEvent.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("La date de début est après la date de fin."))
        return data
