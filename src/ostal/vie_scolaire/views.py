"""Pages of vie scolaire: the teacher's roll call (phone first), the families' events and
justifications, vie scolaire's daily dashboard and its answers to justifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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

from ostal.core.params import date_param, parse_date, parse_id
from ostal.directory.models import Person, Profile, school_year_of
from ostal.vie_scolaire import display, selectors, services
from ostal.vie_scolaire.abilities import is_school_life_of
from ostal.vie_scolaire.models import Event, EventKind, Justification

TEACHING_PROFILES = {Profile.TEACHER, Profile.LIBRARIAN}
MANAGING_PROFILES = {Profile.SCHOOL_LIFE, Profile.DIRECTION}


def _n(n: int, zero: str, singular: str, plural: str) -> str:
    """A count in French: « aucun … » for zero, then singular or plural (``ngettext``)."""
    return zero if n == 0 else ngettext(singular, plural, n) % {"n": n}


def _user(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The service's first page, by role: the teacher's courses of the day, the family's
    events, or vie scolaire's dashboard."""
    user = _user(request)
    if user.profile in TEACHING_PROFILES:
        return _teacher_day(request, user)
    if user.profile in MANAGING_PROFILES:
        return _dashboard(request, user)
    if user.profile in (Profile.PUPIL, Profile.RELATIVE):
        return _family(request, user)
    raise Http404


def _teacher_day(request: HttpRequest, user: Person) -> HttpResponse:
    day = date_param(request.GET.get("date"), default=timezone.localdate())
    slots = selectors.teacher_slots(teacher=user, day=day)
    return render(request, "vie_scolaire/teacher_day.html", {"day": day, "slots": slots})


def _dashboard(request: HttpRequest, user: Person) -> HttpResponse:
    schools = selectors.managed_schools(user=user)
    wanted = parse_id(request.GET.get("etablissement"))
    school = next((s for s in schools if s.pk == wanted), schools[0] if schools else None)
    if school is None:
        return render(request, "vie_scolaire/dashboard.html", {"school": None})
    today = timezone.localdate()
    slots = selectors.school_slots(school=school, day=today)
    events = selectors.absences_of_day(school=school, day=today)
    absent = sum(1 for e in events if e.kind == EventKind.ABSENCE)
    context = {
        "school": school,
        "schools": schools,
        "today": today,
        "slots": slots,
        "forgotten": [s for s in slots if s.forgotten],
        "events": [(e, display.what(e), display.state_label(e)) for e in events],
        "absent_line": _n(
            absent,
            _("Aucune absence aujourd'hui."),
            "%(n)d absence aujourd'hui.",
            "%(n)d absences aujourd'hui.",
        ),
        "justifications": selectors.pending_justifications(school=school),
        "alerts": selectors.alerts(school=school, year=today.year, month=today.month),
    }
    return render(request, "vie_scolaire/dashboard.html", context)


def _family(request: HttpRequest, user: Person) -> HttpResponse:
    today = timezone.localdate()
    since = date(school_year_of(today), 8, 1)
    recs = selectors.records(pupil_ids=selectors.family_ids(user=user), since=since)
    children = []
    for rec in recs:
        month = rec.counts.month(today.year, today.month)
        rows = [
            {
                "event": e,
                "what": display.what(e),
                "course": display.course_label(e),
                "state": display.state_label(e, pending=e.pk in rec.pending),
                "motive": display.motive_label(e, family=True),
                "answer": rec.last_answers.get(e.pk),
                "can_justify": user.is_relative
                and not e.regularised
                and e.pk not in rec.pending
                and e.motive_id is None,
            }
            for e in rec.events
        ]
        children.append({"pupil": rec.pupil, "rows": rows, "summary": _summary(month)})
    return render(
        request,
        "vie_scolaire/family.html",
        {"children": children, "is_parent": user.is_relative},
    )


def _summary(month: Any) -> str:
    if not month.half_days and not month.latenesses:
        return _("Aucune absence ni aucun retard ce mois-ci.")
    parts = [
        _n(
            month.half_days,
            _("aucune demi-journée d'absence"),
            "%(n)d demi-journée d'absence",
            "%(n)d demi-journées d'absence",
        )
    ]
    if month.half_days:
        parts.append(
            _n(
                month.unjustified,
                _("toutes réglées"),
                "dont %(n)d non réglée",
                "dont %(n)d non réglées",
            )
        )
    parts.append(_n(month.latenesses, _("aucun retard"), "%(n)d retard", "%(n)d retards"))
    return _("Ce mois-ci : %(parts)s.") % {"parts": ", ".join(parts)}


def _marks(request: HttpRequest, roster: list[Person]) -> dict[int, services.Mark]:
    marks: dict[int, services.Mark] = {}
    for pupil in roster:
        status = request.POST.get(f"statut-{pupil.pk}", services.PRESENT)
        if status == services.PRESENT:
            continue
        raw = (request.POST.get(f"retard-{pupil.pk}") or "").strip()
        minutes = 0
        if status == services.LATE:
            if not raw.isdigit() or len(raw) > 4:
                raise ValidationError(
                    _("Indiquez les minutes de retard de %(name)s.") % {"name": pupil}
                )
            minutes = int(raw)
        marks[pupil.pk] = services.Mark(status, minutes)
    return marks


@dataclass
class Row:
    pupil: Person
    mark: services.Mark


@login_required
def roll_call(request: HttpRequest, course_id: int, day: str) -> HttpResponse:
    """The roll call of one course on one date: everyone present by default."""
    user = _user(request)
    when = parse_date(day)
    occ = selectors.occurrence_to_call(user=user, course_id=course_id, day=when) if when else None
    if occ is None:
        raise Http404
    pupils = selectors.roster(course=occ.course)
    register = selectors.register_of(occ)
    error = ""
    if request.method == "POST":
        try:
            saved = services.roll_call_save(
                actor=user,
                occ=occ,
                roster_ids={p.pk for p in pupils},
                marks=_marks(request, pupils),
                validate=request.POST.get("action") == "valider",
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if saved.locked:
                messages.success(request, _("Appel validé."))
                return redirect(reverse("vie_scolaire:index") + f"?date={occ.day.isoformat()}")
            messages.success(request, _("Appel enregistré, pas encore validé."))
            return redirect(request.path)
    existing = selectors.events_of_register(register)
    rows: list[Row] = []
    for pupil in pupils:
        event = existing.get(pupil.pk)
        if request.method == "POST":  # refused: show what was entered
            raw = (request.POST.get(f"retard-{pupil.pk}") or "").strip()
            mark = services.Mark(
                request.POST.get(f"statut-{pupil.pk}", services.PRESENT),
                int(raw) if raw.isdigit() and len(raw) <= 4 else 0,
            )
        elif event is None:
            mark = services.Mark(services.PRESENT)
        elif event.kind == EventKind.ABSENCE:
            mark = services.Mark(services.ABSENT)
        else:
            mark = services.Mark(services.LATE, event.late_minutes)
        rows.append(Row(pupil, mark))
    absent = sum(1 for r in rows if r.mark.status == services.ABSENT)
    late = sum(1 for r in rows if r.mark.status == services.LATE)
    locked = register is not None and register.locked
    context = {
        "occ": occ,
        "rows": rows,
        "register": register,
        "locked": locked,
        "correcting": locked,  # only vie scolaire reaches a locked register's form
        "teacher_locked": locked and not is_school_life_of(user, occ.course.school),
        "error": error,
        "counts": ", ".join(
            [
                _n(len(rows), _("aucun élève"), "%(n)d élève", "%(n)d élèves"),
                _n(absent, _("aucun absent"), "%(n)d absent", "%(n)d absents"),
                _n(late, _("aucun retard"), "%(n)d en retard", "%(n)d en retard"),
            ]
        ),
        "corrections": list(register.corrections.select_related("pupil", "actor"))
        if register is not None
        else [],
    }
    return render(request, "vie_scolaire/roll_call.html", context, status=400 if error else 200)


@login_required
def justify(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent justifies an absence or lateness of their child."""
    user = _user(request)
    event = selectors.event_for_family(user=user, pk=pk) if user.is_relative else None
    if event is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.justification_submit(
                parent=user,
                event=event,
                motive_id=parse_id(request.POST.get("motif")),
                comment=request.POST.get("commentaire", ""),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Justificatif envoyé à la vie scolaire."))
            return redirect("vie_scolaire:index")
    return render(
        request,
        "vie_scolaire/justify.html",
        {
            "event": event,
            "what": display.what(event),
            "course": display.course_label(event),
            "motives": selectors.parent_motives(event=event),
            "error": error,
            "posted": request.POST,
        },
        status=400 if error else 200,
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Vie scolaire accepts or refuses a family's justification."""
    user = _user(request)
    found: Justification | None = selectors.justification_for_manager(user=user, pk=pk)
    if found is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.justification_decide(
                actor=user,
                justification=found,
                accept=request.POST.get("decision") == "accepter",
                answer=request.POST.get("reponse", ""),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            accepted = found.state == Justification.State.ACCEPTED
            messages.success(
                request, _("Justificatif accepté.") if accepted else _("Justificatif refusé.")
            )
            return redirect(
                reverse("vie_scolaire:index") + f"?etablissement={found.event.school_id}"
            )
    event: Event = found.event
    return render(
        request,
        "vie_scolaire/decide.html",
        {
            "j": found,
            "event": event,
            "what": display.what(event),
            "state": display.state_label(event),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def treat(request: HttpRequest, pk: int) -> HttpResponse:
    """Vie scolaire gives an event its motive (regularised at once if « probant ») or
    regularises a justified one."""
    user = _user(request)
    event = selectors.event_for_manager(user=user, pk=pk)
    if event is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "regulariser":
                services.event_regularise(actor=user, event=event)
                done = _("Événement régularisé.")
            else:
                services.event_set_motive(
                    actor=user, event=event, motive_id=parse_id(request.POST.get("motif"))
                )
                done = _("Motif enregistré.")
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect(reverse("vie_scolaire:index") + f"?etablissement={event.school_id}")
    return render(
        request,
        "vie_scolaire/treat.html",
        {
            "event": event,
            "what": display.what(event),
            "course": display.course_label(event),
            "state": display.state_label(event),
            "motives": selectors.school_motives(event=event),
            "error": error,
        },
        status=400 if error else 200,
    )


def _flags(request: HttpRequest) -> dict[str, bool]:
    return {
        "proving": request.POST.get("probant") == "1",
        "parents_may_choose": request.POST.get("parents") == "1",
        "shown_to_parents": request.POST.get("visible") == "1",
    }


def _uses_line(n: int) -> str:
    return _n(
        n,
        _("Utilisé par aucun événement."),
        "Utilisé par %(n)d événement.",
        "Utilisé par %(n)d événements.",
    )


@login_required
def motives(request: HttpRequest) -> HttpResponse:
    """The school's motives with their flags, and the form to add one (vie scolaire and
    direction of the school)."""
    user = _user(request)
    school = selectors.managed_school(user=user, wanted=parse_id(request.GET.get("etablissement")))
    if school is None:
        raise Http404
    services.ensure_motives(school)  # idempotent: the defaults are shown before any edit
    error = ""
    form: dict[str, Any] = {"label": "", "kind": EventKind.ABSENCE, "visible": True}
    if request.method == "POST":
        flags = _flags(request)
        form = {
            "label": request.POST.get("libelle", ""),
            "kind": request.POST.get("type", ""),
            "probant": flags["proving"],
            "parents": flags["parents_may_choose"],
            "visible": flags["shown_to_parents"],
        }
        try:
            created = services.motive_create(
                actor=user, school=school, kind=form["kind"], label=form["label"], **flags
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Motif « %(label)s » ajouté.") % {"label": created.label})
            return redirect(reverse("vie_scolaire:motives") + f"?etablissement={school.pk}")
    rows = [(m, _uses_line(n)) for m, n in selectors.motives_of_school(school=school)]
    return render(
        request,
        "vie_scolaire/motives.html",
        {
            "school": school,
            "rows": rows,
            "kinds": EventKind.choices,
            "form": form,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def motive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a motive's label and flags, deactivate or reactivate it."""
    user = _user(request)
    motive = selectors.motive_for_manager(user=user, pk=pk)
    if motive is None:
        raise Http404
    error = ""
    back = reverse("vie_scolaire:motives") + f"?etablissement={motive.school_id}"
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("desactiver", "reactiver"):
                services.motive_set_active(actor=user, motive=motive, active=action == "reactiver")
                done = _("Motif réactivé.") if motive.active else _("Motif désactivé.")
            else:
                services.motive_update(
                    actor=user,
                    motive=motive,
                    label=request.POST.get("libelle", ""),
                    **_flags(request),
                )
                done = _("Motif enregistré.")
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error = " ".join(exc.messages)
            motive.refresh_from_db()  # the page names the stored motive; the form keeps input
        else:
            messages.success(request, done)
            return redirect(back)
    form = {
        "label": motive.label,
        "probant": motive.proving,
        "parents": motive.parents_may_choose,
        "visible": motive.shown_to_parents,
    }
    if error and request.POST.get("action") not in ("desactiver", "reactiver"):
        flags = _flags(request)
        form = {
            "label": request.POST.get("libelle", ""),
            "probant": flags["proving"],
            "parents": flags["parents_may_choose"],
            "visible": flags["shown_to_parents"],
        }
    return render(
        request,
        "vie_scolaire/motive_edit.html",
        {"motive": motive, "form": form, "back": back, "error": error},
        status=400 if error else 200,
    )
