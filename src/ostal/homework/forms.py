"""Forms of the cahier de textes (labels in French)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.core.params import validate_date_bounds
from ostal.homework.sanitize import light_markup_to_html

MARKUP_HELP = _(
    "Une ligne vide sépare les paragraphes ; un retour à la ligne est conservé ; "
    "« - » en début de ligne fait une liste à puces, « 1. » une liste numérotée."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class LessonForm(forms.Form):
    audience = forms.ChoiceField(label=_("Classe ou groupe"))
    title = forms.CharField(label=_("Titre de la séance"), max_length=200)
    content = forms.CharField(
        label=_("Contenu de la séance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKUP_HELP,
    )
    links = forms.CharField(
        label=_("Liens (un par ligne)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(label=_("Pièces jointes"), required=False)
    visible_from = forms.DateTimeField(
        label=_("Visible par les élèves à partir du"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_date_bounds],
        help_text=_("Laisser vide pour la rendre visible tout de suite."),
    )
    homework_due = forms.DateField(
        label=_("Travail à faire pour le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_bounds],
        help_text=_("Laisser vide s'il n'y a pas de travail à faire."),
    )
    homework_instructions = forms.CharField(
        label=_("Travail à faire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=MARKUP_HELP,
    )
    homework_minutes = forms.IntegerField(
        label=_("Durée estimée (minutes)"), required=False, min_value=0, max_value=600
    )
    homework_is_test = forms.BooleanField(label=_("Contrôle ou devoir surveillé"), required=False)
    homework_online = forms.BooleanField(label=_("À rendre en ligne"), required=False)

    def __init__(self, *args: Any, audiences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = audiences

    def clean_content(self) -> str:
        return light_markup_to_html(self.cleaned_data.get("content") or "")

    def clean_homework_instructions(self) -> str:
        return light_markup_to_html(self.cleaned_data.get("homework_instructions") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        due, text = data.get("homework_due"), (data.get("homework_instructions") or "").strip()
        if due and not text:
            self.add_error("homework_instructions", _("Écrivez la consigne du travail à faire."))
        if text and not due:
            self.add_error("homework_due", _("Indiquez pour quel jour ce travail est à faire."))
        return data


class CopyForm(forms.Form):
    audience = forms.ChoiceField(label=_("Copier vers"))
    day = forms.DateField(
        label=_("Date de la séance"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_bounds],
    )

    def __init__(self, *args: Any, audiences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = audiences
