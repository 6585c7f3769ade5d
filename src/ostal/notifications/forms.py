"""The preferences form, shared by the page and the JSON API (same French messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.notifications.models import Frequency

TIME_FORMATS = ["%H:%M"]


class TimeInput(forms.TimeInput):
    input_type = "time"


class PreferencesForm(forms.Form):
    email_digest = forms.ChoiceField(
        label=_("Récapitulatif des nouveaux messages par courriel"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez la fréquence du récapitulatif."),
            "invalid_choice": _(
                "Fréquence inconnue : choisissez « jamais » (off), « une fois par jour » "
                "(daily) ou « au plus une fois par heure » (hourly)."
            ),
        },
    )
    daily_hour = forms.TypedChoiceField(
        label=_("Heure du récapitulatif quotidien"),
        choices=[(h, f"{h} h") for h in range(24)],
        coerce=int,
        help_text=_("Le récapitulatif quotidien part à partir de cette heure (heure de Paris)."),
        error_messages={
            "required": _("Choisissez l'heure du récapitulatif quotidien."),
            "invalid_choice": _("L'heure du récapitulatif doit être un nombre entier de 0 à 23."),
        },
    )
    quiet_start = forms.TimeField(
        label=_("Début des heures de silence"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=TimeInput(format="%H:%M"),
        help_text=_(
            "Format HH:MM, heure de Paris. Laissez les deux heures vides pour n'en avoir aucune."
        ),
        error_messages={
            "invalid": _(
                "Début des heures de silence invalide : écrivez une heure au format HH:MM "
                "(par exemple 21:30)."
            )
        },
    )
    quiet_end = forms.TimeField(
        label=_("Fin des heures de silence"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=TimeInput(format="%H:%M"),
        help_text=_("Peut être le lendemain : 21:00 à 07:00 passe minuit."),
        error_messages={
            "invalid": _(
                "Fin des heures de silence invalide : écrivez une heure au format HH:MM "
                "(par exemple 07:00)."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "quiet_start" in data and "quiet_end" in data:
            start, end = data["quiet_start"], data["quiet_end"]
            if (start is None) != (end is None):
                missing = "quiet_end" if end is None else "quiet_start"
                self.add_error(
                    missing,
                    _(
                        "Indiquez le début et la fin des heures de silence, ou laissez les "
                        "deux vides."
                    ),
                )
            elif start is not None and start == end:
                self.add_error(
                    "quiet_end",
                    _("La fin des heures de silence doit être différente de leur début."),
                )
        return data
