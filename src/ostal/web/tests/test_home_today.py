"""The home leads with today (issue 15, item 3): today's courses and their changes, the work
due in the coming days and the unread messages, for a pupil, for each child of a parent
(each item naming the child) and for a teacher; on a day without school, the next one."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.directory.models import Subject
from ostal.homework.models import Homework, LessonEntry
from ostal.homework.services import HomeworkInput, homework_mark_done, lesson_save
from ostal.messaging.models import Delivery
from ostal.messaging.services import message_send
from ostal.timetable.models import Course, CourseChange
from ostal.timetable.services import course_change_record
from ostal.timetable.tests.conftest import make_course

pytestmark = pytest.mark.django_db
WEDNESDAY = date(2026, 11, 25)  # SCHOOL_WEEK_NOW's day
THURSDAY = date(2026, 11, 26)


@pytest.fixture
def day(school_week_clock, world):
    """The 4B's Wednesday: maths at 8:00 (cancelled today) and French at 9:00, both taught
    by the persona ``teacher``; French homework due tomorrow; one unread message each."""
    maths = Subject.objects.get(code="061300")
    french = Subject.objects.get_or_create(code="020700", defaults={"label": "FRANÇAIS"})[0]
    cancelled = make_course(world, weekday=3, start="08:00", end="09:00", subject=maths)
    make_course(world, weekday=3, start="09:00", end="10:00", subject=french, room="C3")
    course_change_record(
        course=cancelled, day=WEDNESDAY, kind=CourseChange.Kind.CANCELLED, actor=world.admin
    )
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=date(2026, 11, 23),
        title="Le conte",
        subject=french,
        homework=[HomeworkInput(due_date=THURSDAY, instructions="<p>Lire le conte</p>")],
    )
    for person in (world.pupil, world.parent, world.teacher):
        message_send(
            sender=world.admin, targets=[f"p:{person.pk}"], subject="Info", body="<p>x</p>"
        )
    return world


def _today(body: str) -> str:
    """The « Aujourd'hui » section of a home page."""
    return body.split('aria-labelledby="today-title"')[1].split("Toute la semaine")[0]


def test_a_pupil_home_leads_with_today(day, login) -> None:
    """A pupil's home opens on today's courses with their changes, the work due tomorrow and
    the unread messages, before the teaching team."""
    world = day
    body = login(world.pupil).get("/").content.decode()
    assert body.index("today-title") < body.index("Équipe pédagogique")
    today = _today(body)
    assert "Aujourd'hui, mercredi 25 novembre" in body
    assert "08:00</time>–09:00 <strong>" in today and "Cours annulé" in today
    assert "09:00</time>–10:00" in today and "salle C3" in today
    assert "pour demain" in today and "Lire le conte" in today
    assert '<a href="/messagerie/">1 message non lu</a>' in today
    assert today.endswith('<a href="/emploi-du-temps/">')  # « Toute la semaine »
    assert Delivery.objects.filter(recipient=world.pupil, read_at__isnull=True).count() == 1


def test_work_ticked_done_is_marked_on_the_home(day, login) -> None:
    """Work the pupil has ticked stays listed, marked « fait »."""
    world = day
    work = Homework.objects.get(due_date=THURSDAY)
    homework_mark_done(homework=work, pupil=world.pupil)
    today = _today(login(world.pupil).get("/").content.decode())
    assert "today__work--done" in today and "Lire le conte" in today


def test_a_parent_home_names_the_child_of_each_item(day, login) -> None:
    """A parent sees today per child, each course and work named by the child's first name."""
    world = day
    response = login(world.parent).get("/")
    today = _today(response.content.decode())
    assert "Alice Durand – 4B" in today and "Bruno Durand – 2NDE1" in today
    assert "Alice – <time" in today and "Alice – pour demain" in today
    assert "Bruno – " not in today  # his class has no course nor work
    bruno = today.split("Bruno Durand – 2NDE1")[1]
    assert "pas encore publié l'emploi du temps" in bruno and "Pas de cours." not in bruno
    assert [a.child.pupil for a in response.context["agendas"]] == [world.pupil, world.sibling]
    assert "1 message non lu" in today
    assert today.endswith('<a href="/emploi-du-temps/famille/">')  # « Toute la semaine »


def test_a_teacher_home_lists_today_and_the_lessons_to_fill(day, login) -> None:
    """A teacher's home shows today's courses and the past week's lessons still to write,
    the cancelled course left out."""
    world = day
    response = login(world.teacher).get("/")
    today = _today(response.content.decode())
    assert "Cours du jour" in today and "Cours annulé" in today and "4B" in today
    fill = today.split("Séances à remplir")[1]
    assert "/cahier-de-textes/seance/" in fill and "2026-11-25" in fill
    to_fill = response.context["agendas"][0].to_fill
    assert [(o.day, o.course.subject.code) for o in to_fill] == [(WEDNESDAY, "020700")]
    assert not LessonEntry.objects.filter(date=WEDNESDAY).exists()
    body = response.content.decode()
    assert body.index("today-title") < body.index("Mes classes")


def test_on_a_sunday_the_home_says_so_and_shows_the_next_school_day(
    day, login, time_machine
) -> None:
    """On a Sunday the home says there is no school and shows Monday's courses."""
    world = day
    time_machine.move_to("2026-11-29 11:00 +01:00", tick=False)
    response = login(world.pupil).get("/")
    today = _today(response.content.decode())
    assert "Pas de cours aujourd'hui (dimanche)." in today
    assert "Prochain jour de classe : lundi 30 novembre." in today
    assert "Cours du lundi 30 novembre" in today
    agenda = response.context["agendas"][0]
    assert agenda.school_today is False and agenda.day.day == date(2026, 11, 30)


def test_in_the_holidays_the_home_names_them_and_the_day_school_resumes(
    day, login, time_machine
) -> None:
    """In the Christmas holidays the home names them and shows the day school resumes."""
    world = day
    time_machine.move_to("2026-12-23 09:00 +01:00", tick=False)
    response = login(world.parent).get("/")
    today = _today(response.content.decode())
    assert "Pas de cours aujourd'hui : Vacances de Noël." in today
    assert "Prochain jour de classe : lundi 4 janvier." in today
    assert response.context["agendas"][0].day.day == date(2027, 1, 4)


@pytest.mark.parametrize(("persona", "limit"), [("pupil", 24), ("parent", 31), ("teacher", 20)])
def test_the_home_query_count_does_not_grow_with_courses(day, login, persona, limit) -> None:
    """The home reads a fixed number of queries per persona, whatever the number of courses."""
    world = day
    client = login(world.persona(persona))
    client.get("/")  # warm the session and the unread counter
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    maths = Subject.objects.get(code="061300")
    for hour in range(10, 16):
        make_course(world, weekday=3, start=f"{hour}:00", end=f"{hour}:55", subject=maths)
    with CaptureQueriesContext(connection) as after:
        assert client.get("/").status_code == 200
    assert len(after) == len(before) <= limit
    assert Course.objects.filter(weekday=3).count() == 8


def test_a_parents_home_costs_the_same_for_one_child_or_two(day, login) -> None:
    """A family's « Aujourd'hui » reads all the children together: a parent of two children
    costs the same queries as a parent of one (issue 24: no per-child loop). (Whether a
    school has published its timetable is asked only when a child has no course at all, at
    most two queries for all the children: here every child's class has its timetable.)"""
    world = day
    lycee_course = make_course(
        world, weekday=2, start="08:00", end="09:00", subject=Subject.objects.get(code="061300")
    )
    lycee_course.classes.set([world.class_2nde])
    counts = []
    for parent in (world.other_parent, world.parent):  # one child, then two
        client = login(parent)
        client.get("/")  # warm the session and the unread counter
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        assert response.status_code == 200
        agendas = response.context["agendas"]
        assert len(agendas) == parent.children_links.count()
        assert not any(a.unpublished for a in agendas)
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
