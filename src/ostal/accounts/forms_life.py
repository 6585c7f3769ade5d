"""Forms of account life. Errors are French and say what to fix; the activation and reset
forms never say whether an account exists (one generic message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Person

GENERIC_ACTIVATION_ERROR = _(
    "Identifiant ou code d'activation incorrect. Vérifiez la lettre remise par "
    "l'établissement ; après plusieurs erreurs, l'activation est bloquée quelques minutes."
)
RATE_LIMITED_ERROR = _(
    "Trop de tentatives : attendez quelques minutes avant de réessayer. Si le problème "
    "persiste, adressez-vous à l'établissement."
)
EMAIL_INVALID = _("Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.fr.")
RESET_SENT_MESSAGE = _(
    "Si un compte correspond et qu'une adresse électronique confirmée y est associée, un "
    "lien de réinitialisation vient d'y être envoyé. Sans adresse confirmée, adressez-vous "
    "à l'administrateur de votre établissement : il vous remettra un nouveau code."
)


class ActivationForm(forms.Form):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Code d'activation"),
        max_length=32,
        help_text=_("Le code figure sur la lettre remise par l'établissement (ex. ABCDE-FGH23)."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class NewPasswordMixin(forms.Form):
    """Two password fields checked against the policy of ``self.person``."""

    person: Person

    new_password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_new_password2(self) -> str:
        first = self.cleaned_data.get("new_password1")
        second: str = self.cleaned_data.get("new_password2", "")
        if first and second and first != second:
            raise forms.ValidationError(
                _("Les deux mots de passe ne sont pas identiques."), code="password_mismatch"
            )
        return second

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first = data.get("new_password1")
        if first and "new_password2" in data:
            try:
                password_validation.validate_password(first, self.person)
            except forms.ValidationError as error:
                # Policy errors go on the first field, where the password was typed.
                self.add_error("new_password1", error)
        return data


class ActivationFinishForm(NewPasswordMixin):
    charter = forms.BooleanField(
        label=_("J'ai lu la charte d'utilisation et je l'accepte."),
        error_messages={"required": _("Pour activer le compte, acceptez la charte d'utilisation.")},
    )
    email = forms.EmailField(
        label=_("Adresse électronique (facultatif)"),
        required=False,
        help_text=_(
            "Une adresse confirmée vous permettra de réinitialiser vous-même votre mot de passe."
        ),
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mot de passe")
        self.fields["new_password1"].help_text = policy_help(person)


class SetPasswordForm(NewPasswordMixin):
    """A reset through an e-mailed link: the new password only."""

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = policy_help(person)


class CurrentPasswordMixin(forms.Form):
    person: Person

    old_password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.person.check_password(value):
            raise forms.ValidationError(
                _("Le mot de passe actuel est incorrect."), code="password_incorrect"
            )
        return value


class PasswordChangeForm(CurrentPasswordMixin, NewPasswordMixin):
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = policy_help(person)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("old_password")
            and data.get("new_password1")
            and data["old_password"] == data["new_password1"]
        ):
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    _("Le nouveau mot de passe doit être différent de l'actuel."),
                    code="password_unchanged",
                ),
            )
        return data


class EmailChangeForm(CurrentPasswordMixin):
    email = forms.EmailField(
        label=_("Nouvelle adresse électronique"),
        required=False,
        help_text=_("Laissez vide pour retirer l'adresse. Un lien de confirmation sera envoyé."),
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "old_password"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        super().__init__(*args, **kwargs)


class PasswordForgotForm(forms.Form):
    identifier = forms.CharField(
        label=_("Identifiant ou adresse électronique"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


def policy_help(person: Person) -> str:
    from ostal.accounts.passwords import policy_for

    minimum, classes = policy_for(person)
    text = _("Au moins %(n)d caractères.") % {"n": minimum}
    if classes > 1:
        text += " " + str(
            _("Mélangez au moins trois sortes : minuscules, majuscules, chiffres, autres signes.")
        )
    return text + " " + str(_("Le code d'activation ne peut pas servir de mot de passe."))
