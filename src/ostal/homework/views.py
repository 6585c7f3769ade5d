"""Pages of the cahier de textes: write from a timetable slot, edit, copy, read a class's
record, its homework load, its PDF archive; pupils tick their work."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.core.params import date_param, parse_date
from ostal.directory.models import Person, SchoolClass
from ostal.directory.selectors import children_of, current_class_of
from ostal.homework import services
from ostal.homework.abilities import Audience, can_read_cahier, can_write_cahier
from ostal.homework.archive import archive_pdf
from ostal.homework.forms import CopyForm, LessonForm
from ostal.homework.models import Attachment
from ostal.homework.sanitize import html_to_light_markup
from ostal.homework.selectors import (
    audience_for_reader,
    homework_for_pupil,
    homework_load,
    lesson_for_writer,
    lesson_visible_to,
    lessons_of_audience,
    readable_audiences,
)
from ostal.timetable.models import Course
from ostal.timetable.selectors import monday_of, occurrence_for
from ostal.web.redirects import local_path

#: The last tick of a pupil without script, shown once by the item it concerns.
TICKED_SESSION_KEY = "ostal_homework_ticked"


def ticked_status(request: HttpRequest) -> dict[str, Any] | None:
    """The tick just made (``{"pk", "message"}``), once, for the page it returns to."""
    status = request.session.pop(TICKED_SESSION_KEY, None)
    return status if isinstance(status, dict) else None


def audience_key(audience: Audience) -> str:
    return f"{'classe' if isinstance(audience, SchoolClass) else 'groupe'}-{audience.pk}"


def _choices(audiences: list[Audience]) -> list[tuple[str, str]]:
    return [(audience_key(a), str(a)) for a in audiences]


def _resolve(key: str, audiences: list[Audience]) -> Audience | None:
    return next((a for a in audiences if audience_key(a) == key), None)


def _writable(user: Person) -> list[Audience]:
    return [a for a in readable_audiences(viewer=user) if can_write_cahier(user, a)]


def _homework_inputs(data: dict[str, Any]) -> list[services.HomeworkInput]:
    if not data.get("homework_due"):
        return []
    return [
        services.HomeworkInput(
            due_date=data["homework_due"],
            instructions=data["homework_instructions"],
            estimated_minutes=data.get("homework_minutes") or 0,
            is_test=bool(data.get("homework_is_test")),
            online_submission=bool(data.get("homework_online")),
        )
    ]


def _save(request: HttpRequest, form: LessonForm, audiences: list[Audience], **extra: Any) -> Any:
    data = form.cleaned_data
    audience = _resolve(data["audience"], audiences)
    if audience is None:
        form.add_error("audience", _("Choisissez une classe ou un groupe que vous avez."))
        return None
    visible: datetime | None = data.get("visible_from")
    try:
        return services.lesson_save(
            author=request.user,  # type: ignore[arg-type]
            audience=audience,
            title=data["title"],
            content=data.get("content", ""),
            links=(data.get("links") or "").splitlines(),
            homework=_homework_inputs(data),
            attachments=data.get("attachments") or [],
            visible_from=visible,
            **extra,
        )
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        return None


@login_required
def from_slot(request: HttpRequest, course_id: int, day: str) -> HttpResponse:
    """Write the lesson of a timetable slot: the form comes filled from the slot."""
    user: Person = request.user  # type: ignore[assignment]
    when = parse_date(day)
    if when is None:
        raise Http404
    course = (
        Course.objects.filter(pk=course_id)
        .select_related("subject", "school")
        .prefetch_related("classes__school", "groups__school")
        .first()
    )
    if course is None or occurrence_for(course=course, day=when) is None:
        raise Http404
    candidates: list[Audience] = [*course.classes.all(), *course.groups.all()]
    audiences = [a for a in candidates if can_write_cahier(user, a)]
    if not audiences:
        raise Http404
    existing = course.lessons.filter(date=when, author=user).first()
    if existing is not None:
        return redirect("homework:edit", existing.pk)
    form = LessonForm(
        request.POST or None,
        request.FILES or None,
        audiences=_choices(audiences),
        # No due date offered: a lesson without homework must save as it is.
        initial={"title": course.display_subject},
    )
    if request.method == "POST" and form.is_valid():
        lesson = _save(request, form, audiences, course=course, day=when)
        if lesson is not None:
            messages.success(request, _("Séance enregistrée dans le cahier de textes."))
            return redirect(reverse("timetable:day") + f"?date={when.isoformat()}")
    return render(
        request,
        "homework/lesson_form.html",
        {"form": form, "course": course, "day": when, "lesson": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Person = request.user  # type: ignore[assignment]
    lesson = lesson_for_writer(writer=user, pk=pk)
    if lesson is None:
        raise Http404
    audiences: list[Audience] = [lesson.audience]
    first = lesson.homework.first()
    initial = {
        "audience": audience_key(lesson.audience),
        "title": lesson.title,
        "content": html_to_light_markup(lesson.content),
        "links": "\n".join(lesson.links),
        "visible_from": timezone.localtime(lesson.visible_from),
    }
    if first is not None:
        initial.update(
            homework_due=first.due_date,
            homework_instructions=html_to_light_markup(first.instructions),
            homework_minutes=first.estimated_minutes,
            homework_is_test=first.is_test,
            homework_online=first.online_submission,
        )
    form = LessonForm(
        request.POST or None, request.FILES or None, audiences=_choices(audiences), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            audiences,
            course=lesson.course,
            day=lesson.date,
            lesson=lesson,
            subject=lesson.subject,
            subject_label=lesson.subject_label,
            start_time=lesson.start_time,
        )
        if saved is not None:
            messages.success(request, _("Séance modifiée."))
            return redirect(reverse("timetable:day") + f"?date={lesson.date.isoformat()}")
    copy_form = CopyForm(
        audiences=_choices([a for a in _writable(user) if a != lesson.audience]),
        initial={"day": lesson.date},
    )
    return render(
        request,
        "homework/lesson_form.html",
        {
            "form": form,
            "course": lesson.course,
            "day": lesson.date,
            "lesson": lesson,
            "copy_form": copy_form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a lesson (and its work) to another class or group the teacher writes in."""
    user: Person = request.user  # type: ignore[assignment]
    lesson = lesson_for_writer(writer=user, pk=pk)
    if lesson is None:
        raise Http404
    audiences = _writable(user)
    form = CopyForm(request.POST, audiences=_choices(audiences))
    if form.is_valid():
        target = _resolve(form.cleaned_data["audience"], audiences)
        assert target is not None
        services.lesson_copy(
            lesson=lesson, actor=user, audience=target, day=form.cleaned_data["day"]
        )
        messages.success(request, _("Séance copiée vers %(name)s.") % {"name": target})
    else:
        messages.error(request, _("Copie impossible : choisissez une classe et une date."))
    return redirect("homework:edit", lesson.pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The cahiers de textes the person may open."""
    user: Person = request.user  # type: ignore[assignment]
    audiences: list[Audience]
    if user.is_pupil:
        current = current_class_of(pupil=user)
        audiences = [current] if current else []
    elif user.is_relative:
        audiences = [c.school_class for c in children_of(relative=user) if c.school_class]
    else:
        audiences = readable_audiences(viewer=user)
    entries = [(a, audience_key(a).split("-")[0]) for a in audiences]
    return render(request, "homework/index.html", {"entries": entries})


def _reader_audience(request: HttpRequest, kind: str, pk: int) -> Audience:
    if kind not in {"classe", "groupe"}:
        raise Http404
    audience = audience_for_reader(viewer=request.user, kind=kind, pk=pk)  # type: ignore[arg-type]
    if audience is None:
        raise Http404
    return audience


@login_required
def audience_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The cahier de textes of a class or group (the legal record) over four weeks, latest
    first: the week of ``?date=`` (default today), the two before it and the one after; the
    whole year is the PDF archive."""
    audience = _reader_audience(request, kind, pk)
    day = date_param(request.GET.get("date"), default=timezone.localdate())
    monday = monday_of(day)
    start = monday - timedelta(weeks=AUDIENCE_WEEKS_BEFORE)
    end = start + timedelta(weeks=AUDIENCE_WEEKS) - timedelta(days=1)
    lessons = lessons_of_audience(
        viewer=request.user,  # type: ignore[arg-type]
        audience=audience,
        start=start,
        end=end,
    )
    lessons.reverse()
    return render(
        request,
        "homework/audience.html",
        {
            "audience": audience,
            "kind": kind,
            "lessons": lessons,
            "now": timezone.now(),
            "start": start,
            "end": end,
            "previous": monday - timedelta(weeks=AUDIENCE_WEEKS),
            "next": monday + timedelta(weeks=AUDIENCE_WEEKS),
            "current": start <= timezone.localdate() <= end,
        },
    )


AUDIENCE_WEEKS = 4  # the weeks the page of a class's or group's cahier de textes shows
AUDIENCE_WEEKS_BEFORE = 2  # of which before the week asked for


@login_required
def load(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's work load per day over four weeks (spot five tests on one day)."""
    audience = _reader_audience(request, "classe", pk)
    assert isinstance(audience, SchoolClass)
    start = monday_of(date_param(request.GET.get("date"), default=timezone.localdate()))
    end = start + timedelta(weeks=4) - timedelta(days=1)
    days = homework_load(viewer=request.user, school_class=audience, start=start, end=end)  # type: ignore[arg-type]
    return render(
        request,
        "homework/load.html",
        {
            "audience": audience,
            "days": days,
            "start": start,
            "end": end,
            "previous": start - timedelta(weeks=4),
            "next": start + timedelta(weeks=4),
        },
    )


@login_required
def archive(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The year's cahier de textes of a class or group as an accessible PDF."""
    audience = _reader_audience(request, kind, pk)
    lessons = lessons_of_audience(viewer=request.user, audience=audience)  # type: ignore[arg-type]
    response = HttpResponse(
        archive_pdf(audience=audience, lessons=lessons), content_type="application/pdf"
    )
    name = f"cahier-de-textes-{audience.school.uai}-{audience.code}-{audience.school_year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """A pupil ticks (or unticks) a piece of work."""
    user: Person = request.user  # type: ignore[assignment]
    homework = homework_for_pupil(pupil=user, pk=pk) if user.is_pupil else None
    if homework is None:
        raise Http404
    done = services.homework_mark_done(
        homework=homework, pupil=user, done=request.POST.get("done") != "0"
    )
    subject = homework.lesson.display_subject
    message = (
        _("« %(subject)s » : travail marqué comme fait.")
        if done
        else _("« %(subject)s » : travail remis à faire.")
    ) % {"subject": subject}
    if request.headers.get("X-Requested-With") == "fetch":
        # The page's script updates the button in place and keeps the focus on it.
        return JsonResponse(
            {
                "done": done,
                "message": message,
                "label": str(_("Fait ✓") if done else _("Marquer comme fait")),
            }
        )
    # Without script: back to the same item (its anchor), which says what happened.
    request.session[TICKED_SESSION_KEY] = {"pk": homework.pk, "message": message}
    target = local_path(request.POST.get("next", ""), secure=request.is_secure())
    return redirect(f"{(target or reverse('timetable:week')).split('#')[0]}#homework-{homework.pk}")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A pupil hands in work online (a file checked like attachments)."""
    user: Person = request.user  # type: ignore[assignment]
    homework = homework_for_pupil(pupil=user, pk=pk) if user.is_pupil else None
    if homework is None:
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choisissez le fichier à rendre."))
    else:
        try:
            services.homework_submit(homework=homework, pupil=user, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Travail rendu."))
    return redirect(reverse("timetable:week") + f"?date={homework.due_date.isoformat()}")


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Download an attachment, for readers of its cahier de textes only."""
    found = (
        Attachment.objects.select_related("lesson__school_class__school", "lesson__group__school")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    lesson = found.lesson
    if not can_read_cahier(request.user, lesson.audience):
        raise Http404
    if not lesson_visible_to(viewer=request.user, lesson=lesson):  # type: ignore[arg-type]
        raise Http404
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Content-Type"] = found.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
