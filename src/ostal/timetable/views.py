"""Pages of the timetable: week and day (pupils, teachers), the family view (parents),
imports and course changes (school management), the private calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.core.params import date_param
from ostal.directory.abilities import is_management_of_school
from ostal.directory.models import Person, Profile
from ostal.directory.selectors import Child
from ostal.homework.views import ticked_status
from ostal.timetable import services
from ostal.timetable.agenda import pupil_days, pupils_weeks, teacher_days
from ostal.timetable.forms import CourseChangeForm, ImportForm
from ostal.timetable.ical import calendar_for
from ostal.timetable.models import CalendarFeedToken, Course, CourseChange, TimetableImport
from ostal.timetable.selectors import (
    Day,
    feed_person,
    monday_of,
    notices_for,
    occurrences,
    without_timetable,
)

WEEK_DAYS = 6  # Monday to Saturday are shown; Sunday only when it has courses


def _day_param(request: HttpRequest) -> date:
    return date_param(request.GET.get("date"), default=timezone.localdate())


def _days_for(user: Person, start: date, end: date) -> list[Day]:
    if user.profile == Profile.PUPIL:
        return pupil_days(pupil=user, start=start, end=end)
    return teacher_days(teacher=user, start=start, end=end)


def _trim_sunday(days: list[Day]) -> list[Day]:
    return [d for d in days if d.day.isoweekday() != 7 or d.occurrences]


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """A pupil's or teacher's week: courses, lessons written, work due."""
    user: Person = request.user  # type: ignore[assignment]
    if user.profile == Profile.RELATIVE:
        return redirect(reverse("timetable:family") + request.get_full_path()[len(request.path) :])
    monday = monday_of(_day_param(request))
    days = _trim_sunday(_days_for(user, monday, monday + timedelta(days=6)))
    return render(
        request,
        "timetable/week.html",
        {
            "days": days,
            "monday": monday,
            "previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1),
            "is_pupil": user.is_pupil,
            "today": timezone.localdate(),
            "ticked": ticked_status(request),
        },
    )


@login_required
def day(request: HttpRequest) -> HttpResponse:
    """One day, with the person's course-change notices."""
    user: Person = request.user  # type: ignore[assignment]
    if user.profile == Profile.RELATIVE:
        return redirect("timetable:family")
    current = _day_param(request)
    days = _days_for(user, current, current)
    return render(
        request,
        "timetable/day.html",
        {
            "day": days[0],
            "previous": current - timedelta(days=1),
            "next": current + timedelta(days=1),
            "is_pupil": user.is_pupil,
            "notices": notices_for(person=user),
            "ticked": ticked_status(request),
        },
    )


@login_required
def family(request: HttpRequest) -> HttpResponse:
    """A parent's week of each child (timetable and work), one section per child."""
    user: Person = request.user  # type: ignore[assignment]
    monday = monday_of(_day_param(request))
    end = monday + timedelta(days=6)
    # the children as the shell reads them for its child switcher (not read twice)
    family: list[Child] = request.ostal.children  # type: ignore[attr-defined]
    audiences, weeks = pupils_weeks(pupils=[c.pupil for c in family], start=monday, end=end)
    days_of = {c.pupil.pk: _trim_sunday(weeks[c.pupil.pk]) for c in family}
    # A week without a single course may be a week of holidays, or a school that has not
    # published its timetable: ask only then (no query in an ordinary week), for all the
    # children at once.
    empty = [
        pk for pk, days in days_of.items() if not any(d.occurrences or d.holiday for d in days)
    ]
    unpublished = (
        without_timetable(audiences={pk: audiences[pk] for pk in empty}) if empty else set()
    )
    children = [
        FamilyChild(child=c, days=days_of[c.pupil.pk], unpublished=c.pupil.pk in unpublished)
        for c in family
    ]
    if not children:
        raise Http404
    return render(
        request,
        "timetable/family.html",
        {
            "children": children,
            "monday": monday,
            "previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1),
            "notices": notices_for(person=user),
            "today": timezone.localdate(),
        },
    )


@dataclass
class FamilyChild:
    """One child's section of the family week."""

    child: Child
    days: list[Day]
    unpublished: bool  # the school has no timetable for the child's classes and groups


def _managed_school(request: HttpRequest) -> Any:
    school = request.ostal.school  # type: ignore[attr-defined]
    if school is None or not is_management_of_school(request.user, school):
        raise Http404
    return school


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Import a timetable file (EDT export, CSV) for the active school, dry run first."""
    school = _managed_school(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    run = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.timetable_import(
            school=school,
            content=upload.read(),
            filename=upload.name,
            origin=form.cleaned_data["origin"],
            dry_run=form.cleaned_data["dry_run"],
            actor=request.user,  # type: ignore[arg-type]
        )
    runs = TimetableImport.objects.filter(school=school).select_related("actor")[:10]
    return render(
        request,
        "timetable/import.html",
        {"form": form, "run": run, "runs": runs, "school": school},
        status=422 if run is not None and run.status == TimetableImport.Status.FAILED else 200,
    )


@login_required
def course_change(request: HttpRequest, course_id: int) -> HttpResponse:
    """Management records a change of one course on one date."""
    school = _managed_school(request)
    course = (
        Course.objects.filter(pk=course_id, school=school)
        .select_related("subject")
        .prefetch_related("classes", "groups", "teachers")
        .first()
    )
    if course is None:
        raise Http404
    form = CourseChangeForm(
        request.POST or None, school=school, initial={"day": _day_param(request)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.course_change_record(
                course=course,
                day=data["day"],
                kind=data["kind"],
                actor=request.user,  # type: ignore[arg-type]
                replacement_teacher=data.get("replacement_teacher"),
                room=data.get("room", ""),
                note=data.get("note", ""),
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Modification enregistrée ; les personnes concernées sont prévenues.")
            )
            return redirect(reverse("timetable:courses") + f"?date={data['day'].isoformat()}")
    return render(request, "timetable/change.html", {"form": form, "course": course})


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    """Management: the school's courses of a day, each with a link to change it."""
    school = _managed_school(request)
    current = _day_param(request)
    days = occurrences(courses=Course.objects.filter(school=school), start=current, end=current)
    changes = CourseChange.objects.filter(course__school=school, date=current).select_related(
        "course__subject", "replacement_teacher"
    )
    return render(
        request,
        "timetable/courses.html",
        {
            "day": days[0],
            "changes": changes,
            "previous": current - timedelta(days=1),
            "next": current + timedelta(days=1),
        },
    )


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The person's private iCalendar link: create, renew, revoke."""
    user: Person = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(person=user)
            messages.success(request, _("Le lien d'agenda est désactivé."))
        else:
            services.calendar_feed_renew(person=user)
            messages.success(
                request, _("Nouveau lien d'agenda créé ; l'ancien ne fonctionne plus.")
            )
        return redirect("timetable:calendar")
    token = CalendarFeedToken.objects.filter(person=user).first()
    url = (
        request.build_absolute_uri(reverse("timetable:feed", args=[token.token])) if token else None
    )
    return render(request, "timetable/calendar.html", {"feed_url": url})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private iCalendar feed (no session: the token is the credential)."""
    person = feed_person(token=token)
    if person is None:
        raise Http404
    body = calendar_for(person=person, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


feed.audience_service = "emploi-du-temps"  # type: ignore[attr-defined]


@require_POST
@login_required
def notices_read(request: HttpRequest) -> HttpResponse:
    from ostal.timetable.models import CourseNotice

    user: Person = request.user  # type: ignore[assignment]
    CourseNotice.objects.filter(person=user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("timetable:day")
