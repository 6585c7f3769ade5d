"""JSON API of the school day (mobile app): the week, a class's cahier de textes, the
teacher's writes, the pupil's tick. Same selectors, services and predicates as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.core.params import date_param, parse_id, validate_date_bounds
from ostal.directory.models import Person
from ostal.directory.selectors import child_of
from ostal.homework import services as homework_services
from ostal.homework.models import LessonEntry
from ostal.homework.selectors import (
    audience_for_reader,
    audience_for_writer,
    homework_for_pupil,
    lesson_for_writer,
    lessons_of_audience,
)
from ostal.timetable.agenda import pupil_days, teacher_days
from ostal.timetable.models import Course
from ostal.timetable.selectors import Day, monday_of, occurrence_for


def _homework_json(h: Any, done: bool | None = None) -> dict[str, Any]:
    data = {
        "id": h.pk,
        "due_date": h.due_date.isoformat(),
        "instructions": h.instructions,
        "estimated_minutes": h.estimated_minutes,
        "is_test": h.is_test,
        "online_submission": h.online_submission,
        "subject": h.lesson.subject_label,
    }
    if done is not None:
        data["done"] = done
    return data


def _lesson_json(lesson: LessonEntry) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "date": lesson.date.isoformat(),
        "subject": lesson.subject_label,
        "title": lesson.title,
        "content": lesson.content,
        "links": lesson.links,
        "course": lesson.course_id,
        "visible_from": lesson.visible_from.isoformat(),
        "homework": [_homework_json(h) for h in lesson.homework.all()],
    }


def _days_json(days: list[Day]) -> list[dict[str, Any]]:
    return [
        {
            "date": d.day.isoformat(),
            "holiday": d.holiday,
            "courses": [
                {
                    "course": o.course.pk,
                    "start": o.start.strftime("%H:%M"),
                    "end": o.end.strftime("%H:%M"),
                    "subject": o.course.display_subject,
                    "room": o.room,
                    "teachers": [t.display_name for t in o.teachers],
                    "audience": o.audience_label,
                    "cancelled": o.cancelled,
                    "replaced_by": o.replaced_by.display_name if o.replaced_by else None,
                    "lesson": o.lesson.pk if o.lesson else None,
                    "lesson_title": o.lesson.title if o.lesson else None,
                }
                for o in d.occurrences
            ],
            "homework_due": [_homework_json(h, done) for h, done in d.homework],
        }
        for d in days
    ]


class WeekView(APIView):
    """The week of the person (``?date=`` any day of it); a parent adds ``?eleve=<id>``."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        day = date_param(request.query_params.get("date"), default=timezone.localdate())
        monday = monday_of(day)
        end = monday + timedelta(days=6)
        if user.is_relative:
            child = child_of(relative=user, pupil_id=parse_id(request.query_params.get("eleve")))
            if child is None:
                raise Http404
            days = pupil_days(pupil=child.pupil, start=monday, end=end)
        elif user.is_pupil:
            days = pupil_days(pupil=user, start=monday, end=end)
        else:
            days = teacher_days(teacher=user, start=monday, end=end)
        return Response({"monday": monday.isoformat(), "days": _days_json(days)})


class AudienceLessonsView(APIView):
    """The cahier de textes of a class (``classe``) or group (``groupe``)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, kind: str, pk: int) -> Response:
        if kind not in {"classe", "groupe"}:
            raise Http404
        audience = audience_for_reader(viewer=request.user, kind=kind, pk=pk)  # type: ignore[arg-type]
        if audience is None:
            raise Http404
        lessons = lessons_of_audience(viewer=request.user, audience=audience)  # type: ignore[arg-type]
        return Response({"audience": str(audience), "lessons": [_lesson_json(x) for x in lessons]})


class HomeworkIn(serializers.Serializer):
    due_date = serializers.DateField(validators=[validate_date_bounds])
    instructions = serializers.CharField()
    estimated_minutes = serializers.IntegerField(min_value=0, max_value=600, default=0)
    is_test = serializers.BooleanField(default=False)
    online_submission = serializers.BooleanField(default=False)


class LessonIn(serializers.Serializer):
    course = serializers.IntegerField(required=False)
    audience = serializers.RegexField(r"^(classe|groupe)-[0-9]{1,18}$")
    date = serializers.DateField(validators=[validate_date_bounds])
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    links = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    visible_from = serializers.DateTimeField(
        required=False, allow_null=True, default=None, validators=[validate_date_bounds]
    )
    subject = serializers.CharField(required=False, allow_blank=True, default="")
    homework = HomeworkIn(many=True, required=False, default=list)


def _write(request: Request, lesson: LessonEntry | None) -> Response:
    data_in = LessonIn(data=request.data)
    data_in.is_valid(raise_exception=True)
    data = data_in.validated_data
    kind, _sep, raw_pk = data["audience"].partition("-")
    audience = audience_for_writer(writer=request.user, kind=kind, pk=int(raw_pk))  # type: ignore[arg-type]
    if audience is None:
        raise Http404
    course = None
    if data.get("course"):
        course = Course.objects.filter(pk=data["course"], school=audience.school).first()
        if course is None or occurrence_for(course=course, day=data["date"]) is None:
            raise ValidationError({"course": ["Ce cours n'a pas lieu à cette date."]})
    try:
        saved = homework_services.lesson_save(
            author=request.user,  # type: ignore[arg-type]
            audience=audience,
            day=data["date"],
            title=data["title"],
            content=data["content"],
            links=data["links"],
            visible_from=data["visible_from"],
            course=course,
            subject_label=data["subject"],
            lesson=lesson,
            homework=[homework_services.HomeworkInput(**h) for h in data["homework"]],
        )
    except DjangoValidationError as exc:
        raise ValidationError({"non_field": exc.messages}) from None
    except DjangoPermissionDenied:
        raise Http404 from None
    return Response(_lesson_json(saved), status=201 if lesson is None else 200)


class LessonCreateView(APIView):
    """A teacher writes a lesson (and its work) in a class or group they teach."""

    @extend_schema(request=LessonIn, responses={201: dict})
    def post(self, request: Request) -> Response:
        return _write(request, None)


class LessonUpdateView(APIView):
    @extend_schema(request=LessonIn, responses={200: dict})
    def put(self, request: Request, pk: int) -> Response:
        lesson = lesson_for_writer(writer=request.user, pk=pk)  # type: ignore[arg-type]
        if lesson is None:
            raise Http404
        return _write(request, lesson)


class HomeworkDoneIn(serializers.Serializer[Any]):
    done = serializers.BooleanField(default=True)


class HomeworkDoneOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    done = serializers.BooleanField()


class HomeworkDoneView(APIView):
    """A pupil ticks (``{"done": true}``) or unticks their work."""

    @extend_schema(request=HomeworkDoneIn, responses={200: HomeworkDoneOut})
    def post(self, request: Request, pk: int) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        homework = homework_for_pupil(pupil=user, pk=pk) if user.is_pupil else None
        if homework is None:
            raise Http404
        done = homework_services.homework_mark_done(
            homework=homework, pupil=user, done=bool(request.data.get("done", True))
        )
        return Response({"id": homework.pk, "done": done})
