from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Person

STATE_CHOICES = [
    ("", _("Tous")),
    ("locked", _("Verrouillés (trop d'échecs de connexion)")),
    *[(value, label) for value, label in Person.State.choices if value != Person.State.DELETED],
]


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom, prénom ou identifiant"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    etat = forms.ChoiceField(label=_("État du compte"), choices=STATE_CHOICES, required=False)
