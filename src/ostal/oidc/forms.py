"""The registry form: what a region admin or the operator says about a new application."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.oidc.models import (
    SCOPE_API,
    SCOPE_EMAIL,
    SCOPE_OPENID,
    SCOPE_OSTAL,
    SCOPE_PROFILE,
    Client,
)

SCOPE_CHOICES = [
    (SCOPE_OPENID, _("openid : identifiant de la personne (obligatoire)")),
    (SCOPE_PROFILE, _("profile : nom, prénom, identifiant de connexion, date de naissance")),
    (SCOPE_EMAIL, _("email : adresse électronique confirmée")),
    (SCOPE_OSTAL, _("ostal : profil, établissements, classes (attributs SDET)")),
    (SCOPE_API, _("api : utiliser l'API de l'ENT au nom de la personne")),
]


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'application"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Type d'application"), choices=Client.Kind.choices, widget=forms.RadioSelect
    )
    redirect_uris = forms.CharField(
        label=_("Adresses de retour (une par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Comparées à l'identique. https ; pour une application mobile, aussi un schéma "
            "privé (fr.ostal.app:/callback) ou http://127.0.0.1/…"
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Portées autorisées"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[SCOPE_OPENID, SCOPE_PROFILE],
    )
    first_party = forms.BooleanField(
        label=_("Application interne (pas d'écran de consentement)"), required=False
    )

    def __init__(self, *args: Any, may_mark_first_party: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_mark_first_party:
            del self.fields["first_party"]

    def clean_redirect_uris(self) -> list[str]:
        uris = self.cleaned_data["redirect_uris"].split()
        if not uris:
            raise forms.ValidationError(_("Indiquez au moins une adresse de retour."))
        return list(dict.fromkeys(uris))

    def clean_scopes(self) -> list[str]:
        scopes: list[str] = self.cleaned_data["scopes"]
        if SCOPE_OPENID not in scopes:
            raise forms.ValidationError(_("La portée openid est obligatoire."))
        return scopes
