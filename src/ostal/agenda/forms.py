"""Forms of the agenda (labels in French). They only read what was typed; the rules are
the services'."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.agenda.models import Event
from ostal.agenda.recurrence import PARIS
from ostal.agenda.services import EventInput
from ostal.core.params import validate_date_bounds
from ostal.directory.models import Profile
from ostal.homework.forms import MARKUP_HELP

REPEATS = [
    ("", _("Ne se répète pas")),
    ("FREQ=DAILY", _("Tous les jours")),
    ("FREQ=WEEKLY", _("Toutes les semaines")),
    ("FREQ=WEEKLY;INTERVAL=2", _("Toutes les deux semaines")),
    ("FREQ=MONTHLY", _("Tous les mois")),
    ("FREQ=YEARLY", _("Tous les ans")),
    ("custom", _("Règle personnalisée (RFC 5545)")),
]
_UNTIL = re.compile(r";UNTIL=(\d{8})T235959$")
_DATE = {"type": "date"}
_TIME = {"type": "time"}


class EventForm(forms.Form):
    calendar = forms.ChoiceField(label=_("Agenda"))
    title = forms.CharField(label=_("Titre"), max_length=200)
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    all_day = forms.BooleanField(label=_("Toute la journée"), required=False)
    start_date = forms.DateField(
        label=_("Date de début"),
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        validators=[validate_date_bounds],
    )
    start_time = forms.TimeField(
        label=_("Heure de début"), required=False, widget=forms.TimeInput(attrs=_TIME)
    )
    end_date = forms.DateField(
        label=_("Date de fin"),
        required=False,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        validators=[validate_date_bounds],
        help_text=_("Laisser vide : le même jour."),
    )
    end_time = forms.TimeField(
        label=_("Heure de fin"), required=False, widget=forms.TimeInput(attrs=_TIME)
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKUP_HELP,
    )
    repeat = forms.ChoiceField(label=_("Répétition"), choices=REPEATS, required=False)
    until = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
        validators=[validate_date_bounds],
        help_text=_("Laisser vide pour répéter sans fin."),
    )
    rrule = forms.CharField(
        label=_("Règle personnalisée"),
        required=False,
        max_length=500,
        help_text=_("Par exemple FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10"),
    )
    exdates = forms.CharField(
        label=_("Dates exclues"),
        required=False,
        help_text=_("Dates AAAA-MM-JJ séparées par des virgules."),
    )
    skip_holidays = forms.BooleanField(
        label=_("Pas pendant les vacances scolaires ni les jours fériés"), required=False
    )
    audiences = forms.MultipleChoiceField(
        label=_("Publics (agenda d'établissement ; aucun choix : tout le monde)"),
        choices=[
            (p, label)
            for p, label in Profile.choices
            if p not in {Profile.AUTHORITY_STAFF, Profile.ACADEMIC, Profile.GUEST}
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["calendar"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.key, t.label) for t in targets]

    def clean_exdates(self) -> list[date]:
        out = []
        for raw in re.split(r"[,;\s]+", self.cleaned_data.get("exdates") or ""):
            if not raw:
                continue
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                raise forms.ValidationError(
                    _("Date exclue illisible : « %(value)s » (AAAA-MM-JJ attendu).")
                    % {"value": raw[:20]}
                ) from None
            validate_date_bounds(value)
            out.append(value)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_day") and data.get("start_date") and not data.get("start_time"):
            self.add_error("start_time", _("Indiquez l'heure de début, ou « toute la journée »."))
        if data.get("repeat") == "custom" and not data.get("rrule"):
            self.add_error("rrule", _("Écrivez la règle, ou choisissez une répétition."))
        return data

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        start_day: date = data["start_date"]
        end_day: date = data.get("end_date") or start_day
        start_clock: time = data.get("start_time") or time(0, 0)
        end_clock: time | None = data.get("end_time")
        start = datetime.combine(start_day, start_clock)
        if end_clock is None:
            end = datetime.combine(end_day, start_clock.replace(hour=min(start_clock.hour + 1, 23)))
            if end <= start:
                end = datetime.combine(end_day, time(23, 59))
        else:
            end = datetime.combine(end_day, end_clock)
        repeat = data.get("repeat") or ""
        rule = data.get("rrule", "") if repeat == "custom" else repeat
        if rule and repeat != "custom" and data.get("until"):
            rule += f";UNTIL={data['until']:%Y%m%d}T235959"
        return EventInput(
            title=data["title"],
            place=data.get("place", ""),
            description=data.get("description", ""),
            start=start,
            end=end,
            all_day=bool(data.get("all_day")),
            rrule=rule,
            exdates=data.get("exdates") or [],
            skip_holidays=bool(data.get("skip_holidays")),
            audiences=list(data.get("audiences") or []),
        )


def initial_of(event: Event, key: str) -> dict[str, Any]:
    """The form's initial values for an existing event."""
    start = event.starts_at.astimezone(PARIS)
    end = event.ends_at.astimezone(PARIS)
    if event.all_day:
        end = end - timedelta(days=1)  # stored as the next midnight
    rule, until = event.rrule, None
    match = _UNTIL.search(rule)
    if match:
        rule, until = rule[: match.start()], datetime.strptime(match.group(1), "%Y%m%d").date()
    preset = rule in {value for value, _label in REPEATS if value not in {"", "custom"}}
    return {
        "calendar": key,
        "title": event.title,
        "place": event.place,
        "all_day": event.all_day,
        "start_date": start.date(),
        "start_time": None if event.all_day else start.time().replace(second=0),
        "end_date": end.date(),
        "end_time": None if event.all_day else end.time().replace(second=0),
        "description": event.description,
        "repeat": (rule if preset else "custom") if event.rrule else "",
        "until": until if preset else None,
        "rrule": "" if preset else event.rrule,
        "exdates": ", ".join(event.exdates),
        "skip_holidays": event.skip_holidays,
        "audiences": event.audiences,
    }


class InviteForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("Personnes à inviter"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier iCalendar (.ics)"))
