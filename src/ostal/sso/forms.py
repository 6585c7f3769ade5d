"""The registry form: what a manager may choose depends on what they manage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.directory.identity import ATTRIBUTE_NAMES
from ostal.sso.abilities import RegistryScope
from ostal.sso.models import ConnectedService
from ostal.territory.models import Authority, School

DEFAULT_ATTRIBUTES = (
    "ENTPersonJointure",
    "ENTPersonProfils",
    "ENTPersonStructRattach",
    "ENTEleveClasses",
    "nom",
    "prenom",
    "dateNaissance",
    "codePostal",
    "categories",
)


class ConnectedServiceForm(forms.Form):
    name = forms.CharField(label=_("Nom du service"), max_length=120)
    url_pattern = forms.CharField(
        label=_("Adresses du service (expression régulière)"),
        max_length=255,
        help_text=_(
            "Ancrée et en https, le nom du serveur écrit en toutes lettres : "
            "^https://pronote\\.exemple\\.fr/.*$"
        ),
    )
    scope = forms.ChoiceField(label=_("Ouvert à"), choices=ConnectedService.Scope.choices)
    authority = forms.ModelChoiceField(
        label=_("Collectivité"), queryset=Authority.objects.none(), required=False
    )
    school = forms.ModelChoiceField(
        label=_("Établissement"), queryset=School.objects.none(), required=False
    )
    released_attributes = forms.MultipleChoiceField(
        label=_("Attributs transmis au service"),
        choices=[(name, name) for name in ATTRIBUTE_NAMES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    proxy_callback = forms.BooleanField(
        label=_("Peut obtenir des tickets de proxy (PGT)"), required=False
    )
    accepts_proxy_tickets = forms.BooleanField(
        label=_("Accepte les tickets de proxy"), required=False
    )
    single_logout = forms.BooleanField(
        label=_("Prévenir le service à la déconnexion (déconnexion unique)"), required=False
    )
    enabled = forms.BooleanField(label=_("Activé"), required=False, initial=True)

    def __init__(self, *args: Any, scope: RegistryScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_scope: Any = self.fields["scope"]
        field_authority: Any = self.fields["authority"]
        field_school: Any = self.fields["school"]
        if scope.everything:
            field_authority.queryset = Authority.objects.order_by("kind", "name")
            field_school.queryset = School.objects.order_by("name")
        else:
            choices = [c for c in ConnectedService.Scope.choices if c[0] != "region"]
            if not scope.authority_ids:
                choices = [c for c in choices if c[0] != "authority"]
            field_scope.choices = choices
            field_authority.queryset = Authority.objects.filter(pk__in=scope.authority_ids)
            field_school.queryset = School.objects.filter(pk__in=scope.school_ids).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == ConnectedService.Scope.SCHOOL and not data.get("school"):
            self.add_error("school", _("Choisissez l'établissement."))
        if data.get("scope") == ConnectedService.Scope.AUTHORITY and not data.get("authority"):
            self.add_error("authority", _("Choisissez la collectivité."))
        return data
