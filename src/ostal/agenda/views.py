"""Pages of the agenda: the coming days (today first) and the month, an event (answers to
an invitation, invitations), the event form, the calendars with their private links, the
import of a file, and each calendar's feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.agenda import services
from ostal.agenda.abilities import can_manage_calendar
from ostal.agenda.forms import EventForm, ImportForm, InviteForm, initial_of
from ostal.agenda.ical import ImportFileError, calendar_feed, ics_import
from ostal.agenda.layers import agenda_days
from ostal.agenda.models import Calendar, Event, Invitation
from ostal.agenda.selectors import (
    Target,
    event_for_manager,
    event_for_reader,
    invitations_of,
    occurrences_for,
    pending_invitations,
    readable_calendars,
    writable_targets,
)
from ostal.core.params import date_param, parse_date
from ostal.directory.models import Person
from ostal.homework.sanitize import light_markup_to_html
from ostal.messaging.rules_engine import nameable, reachable_recipients, unnamed_label
from ostal.timetable.models import CalendarFeedToken
from ostal.timetable.selectors import feed_person
from ostal.timetable.services import calendar_feed_renew

DAYS_SHOWN = 7


def _user(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _children(request: HttpRequest) -> list[Any]:
    return list(request.ostal.children)  # type: ignore[attr-defined]


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """The coming seven days from today (or ``?date=``): events, courses, work due."""
    user = _user(request)
    start = date_param(request.GET.get("date"), default=timezone.localdate())
    end = start + timedelta(days=DAYS_SHOWN - 1)
    events = occurrences_for(user=user, start=start, end=end)
    days = agenda_days(
        person=user, start=start, days=DAYS_SHOWN, events=events, children=_children(request)
    )
    return render(
        request,
        "agenda/week.html",
        {
            "days": days,
            "start": start,
            "end": end,
            "previous": start - timedelta(days=DAYS_SHOWN),
            "next": start + timedelta(days=DAYS_SHOWN),
            "today": timezone.localdate(),
            "pending": pending_invitations(user=user),
        },
    )


@login_required
def month(request: HttpRequest) -> HttpResponse:
    """A month as a list of the days that have events (no layers: see the week)."""
    user = _user(request)
    current = date_param(request.GET.get("date"), default=timezone.localdate())
    first = current.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    length = (following - first).days
    events = occurrences_for(user=user, start=first, end=following - timedelta(days=1))
    days = agenda_days(person=user, start=first, days=length, events=events, layers=False)
    shown = [d for d in days if d.events]
    count = len({(o.event.pk, o.start) for o in events})
    return render(
        request,
        "agenda/month.html",
        {
            "days": shown,
            "first": first,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "next": following,
            "today": timezone.localdate(),
            "summary": ngettext("%(n)s événement ce mois-ci", "%(n)s événements ce mois-ci", count)
            % {"n": count}
            if count
            else _("Aucun événement ce mois-ci."),
        },
    )


def _target(targets: list[Target], key: str) -> Calendar:
    target = next((t for t in targets if t.key == key), None)
    if target is None:
        raise Http404
    return services.calendar_ensure(kind=target.kind, target=target.obj)


def _key_of(calendar: Calendar) -> str:
    if calendar.kind == Calendar.Kind.PERSONAL:
        return "personnel"
    if calendar.kind == Calendar.Kind.CLASS:
        return f"classe-{calendar.school_class_id}"
    if calendar.kind == Calendar.Kind.GROUP:
        return f"groupe-{calendar.group_id}"
    return f"etablissement-{calendar.school_id}"


def _event_form(request: HttpRequest, event: Event | None) -> HttpResponse:
    user = _user(request)
    targets = writable_targets(user=user)
    if event is not None:
        key = _key_of(event.calendar)
        # an event stays in its calendar; a manager of it who no longer teaches the class
        # (the school's management) keeps that single choice
        targets = [t for t in targets if t.key == key] or [
            Target(key, event.calendar.label, event.calendar.kind, None)
        ]
        initial = initial_of(event, key)
    else:
        day = parse_date(request.GET.get("date")) or timezone.localdate()
        initial = {"calendar": "personnel", "start_date": day}
    form = EventForm(request.POST or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        calendar = (
            event.calendar if event is not None else _target(targets, form.cleaned_data["calendar"])
        )
        try:
            saved = services.event_save(
                actor=user, calendar=calendar, data=form.event_input(), event=event
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            fields = {"title", "place", "description", "rrule", "exdates", "audiences"}
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in fields else None, errors)
        else:
            messages.success(request, _("Événement enregistré."))
            return redirect("agenda:event", saved.pk)
    return render(
        request,
        "agenda/event_form.html",
        {"form": form, "event": event},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_manager(user=_user(request), pk=pk)
    if event is None:
        raise Http404
    return _event_form(request, event)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = event_for_reader(user=user, pk=pk)
    if found is None:
        raise Http404
    event, invitation = found
    manager = invitation is None and can_manage_calendar(user, event.calendar)
    invitations = invitations_of(event=event) if event.calendar.kind == "personal" else []
    named = nameable(user, [i.person_id for i in invitations] + [event.calendar.owner_id or 0])
    guests = [
        (i, i.person.display_name if i.person_id in named else unnamed_label(i.person_id))
        for i in invitations
    ]
    organiser = event.calendar.owner if event.calendar.kind == "personal" else None
    return render(
        request,
        "agenda/event.html",
        {
            "event": event,
            "invitation": invitation,
            "manager": manager,
            "guests": guests,
            "organiser": organiser.display_name
            if organiser is not None and organiser.pk in named
            else None,
            "description": light_markup_to_html(event.description),
            "answers": [
                (Invitation.Answer.ACCEPTED, _("J'accepte")),
                (Invitation.Answer.MAYBE, _("Peut-être")),
                (Invitation.Answer.DECLINED, _("Je décline")),
            ],
            "day": parse_date(request.GET.get("date")),
        },
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete an event (all its occurrences and invitations)."""
    user = _user(request)
    event = event_for_manager(user=user, pk=pk)
    if event is None:
        raise Http404
    if request.method == "POST":
        services.event_delete(actor=user, event=event)
        messages.success(request, _("Événement supprimé."))
        return redirect("agenda:week")
    return render(request, "agenda/event_delete.html", {"event": event})


@require_POST
@login_required
def occurrence_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one date of a repeated event."""
    user = _user(request)
    event = event_for_manager(user=user, pk=pk)
    day = parse_date(request.POST.get("date"))
    if event is None:
        raise Http404
    if day is None:
        messages.error(request, _("Date invalide : une date AAAA-MM-JJ est attendue."))
        return redirect("agenda:event", event.pk)
    try:
        services.occurrence_skip(actor=user, event=event, day=day)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("L'occurrence du %(d)s est retirée.") % {"d": day.strftime("%d/%m/%Y")}
        )
    return redirect("agenda:event", event.pk)


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite people to a personal event: a search among the people one may write to."""
    user = _user(request)
    event = event_for_manager(user=user, pk=pk)
    if event is None or event.calendar.kind != Calendar.Kind.PERSONAL:
        raise Http404
    query = (request.GET.get("q") or "")[:100]
    found = list(reachable_recipients(user, query, limit=20)) if query else []
    if request.method == "POST":
        # the ids posted are checked by the service against the same rules
        posted = [int(v) for v in request.POST.getlist("people") if v.isdigit()][:50]
        choices = [(pk_, str(pk_)) for pk_ in posted]
    else:
        choices = [(p.pk, p.display_name) for p in found]
    form = InviteForm(request.POST or None, choices=choices)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.invitation_send(
                actor=user, event=event, people=form.cleaned_data["people"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                ngettext("%(n)s personne invitée.", "%(n)s personnes invitées.", len(created))
                % {"n": len(created)},
            )
            return redirect("agenda:event", event.pk)
    elif request.method == "POST":
        error = _("Choisissez au moins une personne à inviter.")
    return render(
        request,
        "agenda/invite.html",
        {"event": event, "form": form, "query": query, "found": found, "error": error},
        status=422 if error else 200,
    )


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = event_for_reader(user=user, pk=pk)
    if found is None or found[1] is None:
        raise Http404
    try:
        services.invitation_answer(
            invitation=found[1], person=user, answer=request.POST.get("answer", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Votre réponse est enregistrée."))
    return redirect("agenda:event", pk)


@login_required
def calendars(request: HttpRequest) -> HttpResponse:
    """The calendars one reads, each with its private iCalendar link."""
    user = _user(request)
    if request.method == "POST":
        calendar_feed_renew(person=user)
        messages.success(request, _("Nouveau lien privé créé ; l'ancien ne fonctionne plus."))
        return redirect("agenda:calendars")
    services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=user)
    readable = readable_calendars(user=user)
    token = CalendarFeedToken.objects.filter(person=user).first()
    rows = [
        (
            c,
            c.pk in readable.managed,
            request.build_absolute_uri(reverse("agenda:feed", args=[token.token, c.pk]))
            if token
            else None,
        )
        for c in readable.calendars
    ]
    return render(request, "agenda/calendars.html", {"rows": rows, "has_token": token is not None})


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Import an external .ics file into one's personal calendar, whole or not at all."""
    user = _user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        calendar = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=user)
        upload = form.cleaned_data["file"]
        try:
            result = ics_import(actor=user, calendar=calendar, content=upload.read())
        except ImportFileError as exc:
            error = _("Rien n'a été importé. %(reason)s") % {"reason": exc}
        else:
            messages.success(
                request,
                _("Import terminé : %(c)s, %(u)s, %(n)s.")
                % {
                    "c": ngettext("%(n)s ajouté", "%(n)s ajoutés", result.created)
                    % {"n": result.created},
                    "u": ngettext("%(n)s modifié", "%(n)s modifiés", result.updated)
                    % {"n": result.updated},
                    "n": ngettext("%(n)s inchangé", "%(n)s inchangés", result.unchanged)
                    % {"n": result.unchanged},
                },
            )
            return redirect("agenda:month")
    return render(
        request,
        "agenda/import.html",
        {"form": form, "error": error},
        status=422 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


def feed(request: HttpRequest, token: str, calendar_id: int) -> HttpResponse:
    """A calendar's private feed (no session: the person's link token is the credential)."""
    person = feed_person(token=token)
    if person is None:
        raise Http404
    readable = readable_calendars(user=person)
    calendar = readable.by_id(calendar_id)
    if calendar is None:
        raise Http404
    body = calendar_feed(calendar=calendar, person=person, manager=calendar.pk in readable.managed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


feed.audience_service = "agenda"  # type: ignore[attr-defined]
