from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    about_pupil = forms.TypedChoiceField(
        label=_("Élève concerné"), required=False, coerce=int, empty_value=None
    )
    no_reply = forms.BooleanField(label=_("Sans réponse possible"), required=False)
    query = forms.CharField(label=_("Rechercher un destinataire"), max_length=100, required=False)


class FreezeForm(forms.Form):
    scope = forms.ChoiceField(label=_("Périmètre"))
    reason = forms.CharField(label=_("Motif du gel"), max_length=300)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Nom du nouveau dossier"), max_length=60)
