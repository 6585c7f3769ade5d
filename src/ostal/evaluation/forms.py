"""Forms of the marks pages (labels in French)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.core.params import validate_date_bounds
from ostal.evaluation.models import Period


class EvaluationForm(forms.Form):
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_bounds],
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    scale = forms.IntegerField(label=_("Noté sur"), min_value=1, max_value=100, initial=20)
    coefficient = forms.DecimalField(
        label=_("Coefficient"),
        min_value=0.01,
        max_value=20,
        decimal_places=2,
        initial=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )


class PeriodsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Découpage de l'année"), choices=Period.Kind.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, 4):
            self.fields[f"start_{i}"] = forms.DateField(
                label=_("Début de la période %(n)s") % {"n": i},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                validators=[validate_date_bounds],
            )
            self.fields[f"end_{i}"] = forms.DateField(
                label=_("Fin de la période %(n)s") % {"n": i},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                validators=[validate_date_bounds],
            )
