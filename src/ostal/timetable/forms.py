"""Forms of the timetable pages (labels in French)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.core.params import validate_date_bounds
from ostal.directory.models import Person
from ostal.timetable.models import Course, CourseChange
from ostal.timetable.services import TEACHING_PROFILES


class ImportForm(forms.Form):
    origin = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (Course.Origin.EDT, _("Export ENT d'EDT / PRONOTE (XML en clair)")),
            (Course.Origin.CSV, _("Fichier CSV (format décrit dans la documentation)")),
            (Course.Origin.ICAL, _("Fichier iCalendar (.ics, conventions de la documentation)")),
        ],
    )
    file = forms.FileField(label=_("Fichier"))
    dry_run = forms.BooleanField(
        label=_("Simulation : vérifier sans rien enregistrer"), required=False, initial=True
    )


class CourseChangeForm(forms.Form):
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_bounds],
    )
    kind = forms.ChoiceField(label=_("Modification"), choices=CourseChange.Kind.choices)
    replacement_teacher = forms.ModelChoiceField(
        label=_("Professeur remplaçant"), queryset=Person.objects.none(), required=False
    )
    room = forms.CharField(label=_("Nouvelle salle"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Message aux élèves et aux parents"), max_length=300, required=False
    )

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["replacement_teacher"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Person.objects.filter(
            affiliations__school=school, affiliations__profile__in=TEACHING_PROFILES
        ).distinct()
