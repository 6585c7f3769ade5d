"""The week and day pages, the family view, holidays, changes and their notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.homework.services import HomeworkInput, lesson_save
from ostal.timetable.models import CourseChange, CourseNotice
from ostal.timetable.school_calendar import day_off
from ostal.timetable.services import course_change_record
from ostal.timetable.tests.conftest import MONDAY, make_course

pytestmark = pytest.mark.django_db
# Pinned as the queries beyond those of the bare account page (``/compte/``) measured in the
# same test, so that the shell's own cost (session, user, services menu of other apps) does
# not move them: timetable 5, cahier de textes 7 for a pupil, 2 + notices for a teacher.
PUPIL_WEEK_QUERIES = 7
TEACHER_DAY_QUERIES = 3
PARENT_VIEW_QUERIES = 9  # constant in the children (test_family_week); + 1: the sibling's class
# has no timetable (« pas encore publié »)


def _lesson(schoolday, n: int = 0):
    world = schoolday.world
    return lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title=f"Fractions {n}",
        course=schoolday.maths,
        homework=[
            HomeworkInput(
                due_date=MONDAY + timedelta(3), instructions=f"Exercices {n}", estimated_minutes=20
            )
        ],
    )


def test_pupil_week_shows_courses_lessons_and_work(schoolday, login) -> None:
    """The pupil's week lists their courses, the lesson written and the work due."""
    _lesson(schoolday)
    response = login(schoolday.world.pupil).get(f"/emploi-du-temps/?date={MONDAY + timedelta(2)}")
    assert response.status_code == 200
    days = response.context["days"]
    assert [d.day for d in days][0] == MONDAY
    assert [o.course for o in days[0].occurrences] == [schoolday.maths]
    assert days[0].occurrences[0].lesson.title == "Fractions 0"
    assert [h.instructions for h, _done in days[3].homework] == ["Exercices 0"]
    assert [o.course for o in days[3].occurrences] == [schoolday.french]


def test_pupil_of_another_class_sees_none_of_it(schoolday, login) -> None:
    """The sibling in another school sees neither the courses nor the work of the 4B."""
    _lesson(schoolday)
    response = login(schoolday.world.sibling).get(f"/emploi-du-temps/?date={MONDAY}")
    body = response.content.decode()
    assert response.status_code == 200 and "Fractions" not in body and "Exercices" not in body
    assert all(not d.occurrences for d in response.context["days"])


def test_no_course_on_school_or_public_holidays(schoolday, login) -> None:
    """Christmas holidays (zone C) and 11 November show no course, with the holiday's name."""
    assert day_off(date(2026, 11, 11)) is not None
    assert day_off(date(2026, 12, 21)) == "Vacances de Noël"
    assert day_off(MONDAY) is None
    response = login(schoolday.world.pupil).get("/emploi-du-temps/?date=2026-12-21")
    monday = response.context["days"][0]
    assert monday.holiday == "Vacances de Noël" and monday.occurrences == []


def test_ab_weeks(schoolday, world) -> None:
    """A course of A weeks runs one week in two."""
    from ostal.timetable.selectors import courses_of_pupil, occurrences

    a_week = make_course(
        world,
        weekday=2,
        start="14:00",
        end="15:00",
        subject=schoolday.maths.subject,
        weeks=[MONDAY.isoformat(), (MONDAY + timedelta(14)).isoformat()],
    )
    days = occurrences(
        courses=courses_of_pupil(pupil=world.pupil), start=MONDAY, end=MONDAY + timedelta(20)
    )
    tuesdays = [d for d in days if d.day.isoweekday() == 2]
    assert [a_week in [o.course for o in d.occurrences] for d in tuesdays] == [True, False, True]


def test_cancelled_course_is_shown_and_notified(schoolday, world, login) -> None:
    """Management cancels a course: pupils, parents and teacher get a notice; the week shows it."""
    response = login(world.admin).post(
        f"/emploi-du-temps/cours/{schoolday.maths.pk}/modifier/",
        {"day": str(MONDAY), "kind": "cancelled", "note": "Sortie au musée"},
    )
    assert response.status_code == 302
    change = CourseChange.objects.get()
    notified = set(
        CourseNotice.objects.filter(change=change).values_list("person__username", flat=True)
    )
    assert notified == {"eleve", "autre.eleve", "parent", "autre.parent", "prof"}
    day = login(world.pupil).get(f"/emploi-du-temps/jour/?date={MONDAY}")
    body = day.content.decode()
    assert "Cours annulé" in body and "Sortie au musée" in body
    assert "Changements d'emploi du temps" in body


def test_replacement_moves_the_course_to_the_replacing_teacher(schoolday, world, login) -> None:
    """The replacing teacher sees the course that day; the absent teacher no longer does."""
    substitute = factories.teacher(
        school=world.college, first_name="Zoé", last_name="Remplaçante", password=PASSWORD
    )
    course_change_record(
        course=schoolday.maths,
        day=MONDAY,
        kind="replacement",
        actor=world.admin,
        replacement_teacher=substitute,
    )
    theirs = login(substitute).get(f"/emploi-du-temps/jour/?date={MONDAY}").context["day"]
    assert [o.course for o in theirs.occurrences] == [schoolday.maths]
    mine = login(world.teacher).get(f"/emploi-du-temps/jour/?date={MONDAY}").context["day"]
    assert mine.occurrences == []
    assert CourseNotice.objects.filter(person=substitute).exists()


def test_changes_are_for_management_only(schoolday, world, login) -> None:
    """A teacher or a pupil cannot change a course; a change on a day without the course is refused."""
    url = f"/emploi-du-temps/cours/{schoolday.maths.pk}/modifier/"
    assert (
        login(world.teacher).post(url, {"day": str(MONDAY), "kind": "cancelled"}).status_code == 404
    )
    assert login(world.other_admin).get(url).status_code == 404
    response = login(world.admin).post(
        url, {"day": str(MONDAY + timedelta(1)), "kind": "cancelled"}
    )
    assert response.status_code == 200 and "pas lieu ce jour" in response.content.decode()
    assert not CourseChange.objects.exists()


def test_parent_sees_the_week_of_each_child(schoolday, world, login) -> None:
    """The family view has a section per child with their courses and work."""
    _lesson(schoolday)
    response = login(world.parent).get(f"/emploi-du-temps/famille/?date={MONDAY}")
    assert response.status_code == 200
    children = response.context["children"]
    assert {c.child.pupil for c in children} == {world.pupil, world.sibling}
    body = response.content.decode()
    assert "Exercices 0" in body and "Bruno" in body
    assert (
        login(world.other_parent)
        .get(f"/emploi-du-temps/famille/?date={MONDAY}")
        .context["children"][0]
        .child.pupil
        == world.other_pupil
    )
    assert login(world.pupil).get("/emploi-du-temps/famille/").status_code == 404


def _count(client, url: str) -> int:
    """Queries of the page beyond those of the bare account page (the shell's caches, such
    as the unread-messages counter, warmed first so both pages find them alike)."""
    client.get("/compte/")
    counts = []
    for page in (url, "/compte/"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts[0] - counts[1]


def _more(schoolday, world, n: int) -> None:
    for i in range(n):
        make_course(
            world,
            weekday=1 + i % 5,
            start=f"{13 + i % 4}:00",
            end=f"{13 + i % 4}:30",
            subject=schoolday.maths.subject,
        )
        _lesson(schoolday, i + 1)


def test_pupil_week_query_count_is_constant(schoolday, world, login) -> None:
    """The pupil's week costs the same number of queries with 2 or 12 courses and lessons."""
    client = login(world.pupil)
    url = f"/emploi-du-temps/?date={MONDAY}"
    _lesson(schoolday)
    small = _count(client, url)
    _more(schoolday, world, 10)
    assert _count(client, url) == small
    assert small == PUPIL_WEEK_QUERIES, small


def test_teacher_day_query_count_is_constant(schoolday, world, login) -> None:
    """The teacher's day costs the same number of queries whatever their number of courses."""
    client = login(world.teacher)
    url = f"/emploi-du-temps/jour/?date={MONDAY}"
    _lesson(schoolday)
    small = _count(client, url)
    _more(schoolday, world, 10)
    assert _count(client, url) == small
    assert small == TEACHER_DAY_QUERIES, small


def test_parent_view_query_count_is_constant(schoolday, world, login) -> None:
    """The family view's queries grow with the children, not with their courses or work."""
    client = login(world.parent)
    url = f"/emploi-du-temps/famille/?date={MONDAY}"
    _lesson(schoolday)
    small = _count(client, url)
    _more(schoolday, world, 10)
    assert _count(client, url) == small
    assert small == PARENT_VIEW_QUERIES, small


def test_demo_fills_a_week_for_the_demo_class(world, login) -> None:
    """The demo builds a timetable and this week's lessons for a class with an active pupil."""
    from ostal.homework.models import LessonEntry
    from ostal.timetable.demo import schoolday_demo
    from ostal.timetable.models import Course

    assert schoolday_demo(school=world.college) == 20
    assert Course.objects.filter(classes=world.class_4b).count() == 20
    assert LessonEntry.objects.filter(school_class=world.class_4b).count() == 6
    assert schoolday_demo(school=world.college) == 0  # idempotent
    assert login(world.pupil).get("/emploi-du-temps/").status_code == 200
