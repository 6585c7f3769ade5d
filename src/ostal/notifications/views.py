"""The preferences page (``/compte/notifications/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ostal.directory.models import Person
from ostal.notifications import selectors, services
from ostal.notifications.forms import PreferencesForm


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    current = selectors.preferences_for(person=person)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_update(person=person, **form.cleaned_data)
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(
            initial={
                "email_digest": current.email_digest,
                "daily_hour": current.daily_hour,
                "quiet_start": current.quiet_start,
                "quiet_end": current.quiet_end,
            }
        )
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "person": person,
            "current": current,
            "deliverable": selectors.email_deliverable(person),
        },
        status=400 if request.method == "POST" else 200,
    )
