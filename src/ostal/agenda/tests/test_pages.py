"""The agenda's pages and API: the coming days lead with today and show the timetable and
the work due as read-only layers; the month lists its events; the form stores good input
and refuses bad input in French without storing anything; the API gives a range."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from ostal.agenda import services
from ostal.agenda.models import Calendar, Event
from ostal.agenda.tests.conftest import SchoolDay
from ostal.conftest import World
from ostal.homework import services as homework_services


def test_week_leads_with_today_and_shows_events_courses_and_work_due(
    schoolday: SchoolDay, add_event: Any, login: Any
) -> None:
    """A pupil's agenda starts today (Wednesday 25 November), shows their class's event,
    Thursday's French course and the work due on Thursday, from the timetable and the
    cahier de textes."""
    world = schoolday.world
    class_cal = services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_4b)
    add_event(
        world.teacher,
        class_cal,
        title="Sortie au musée Fabre",
        start="2026-11-26 14:00",
        end="2026-11-26 17:00",
    )
    homework_services.lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=date(2026, 11, 23),
        title="Fractions",
        course=schoolday.maths,
        homework=[
            homework_services.HomeworkInput(due_date=date(2026, 11, 26), instructions="Ex. 4")
        ],
    )
    page = login(world.pupil).get(reverse("agenda:week")).content.decode()
    assert page.index("mercredi 25 novembre") < page.index("jeudi 26 novembre")
    thursday = page[page.index("jeudi 26 novembre") :]
    assert "Sortie au musée Fabre" in thursday
    assert "10:00–11:00" in thursday and "Français" in thursday
    assert "Travail à faire pour ce jour" in thursday and "Mathématiques" in thursday


def test_parent_layers_name_the_child(schoolday: SchoolDay, login: Any) -> None:
    """A parent's agenda shows each child's courses with the child's first name."""
    page = login(schoolday.world.parent).get(reverse("agenda:week")).content.decode()
    assert 'Alice : <span class="agenda-layer__subject">Français' in page


def test_month_lists_occurrences_with_plural(world: World, add_event: Any, login: Any) -> None:
    """The month view counts its occurrences with the right plural."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    add_event(world.teacher, personal, title="Natation", rrule="FREQ=DAILY;COUNT=2")
    client = login(world.teacher)
    page = client.get(reverse("agenda:month")).content.decode()
    assert "2 événements ce mois-ci" in page
    assert page.count("Natation") == 2
    empty = client.get(reverse("agenda:month"), {"date": "2027-03-01"}).content.decode()
    assert "Aucun événement ce mois-ci." in empty


def _form(**kw: Any) -> dict[str, Any]:
    data = {
        "calendar": "personnel",
        "title": "Rendez-vous",
        "start_date": "2026-11-27",
        "start_time": "09:00",
        "end_date": "",
        "end_time": "10:00",
        "repeat": "",
    }
    data.update(kw)
    return data


def test_form_stores_a_weekly_event_until_a_date(world: World, login: Any) -> None:
    """The form stores a weekly event until a date as an RFC 5545 rule in Paris time."""
    response = login(world.teacher).post(
        reverse("agenda:event_new"),
        _form(repeat="FREQ=WEEKLY", until="2026-12-18", exdates="2026-12-04"),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.rrule == "FREQ=WEEKLY;UNTIL=20261218T235959"
    assert event.exdates == ["2026-12-04"]
    assert event.calendar.owner == world.teacher
    assert event.starts_at.isoformat() == "2026-11-27T08:00:00+00:00"


def test_form_refuses_bad_input_in_french_and_stores_nothing(world: World, login: Any) -> None:
    """An end before the start, a bad rule, a bad excluded date or a calendar one may not
    write in: 422, a French message, nothing stored."""
    client = login(world.teacher)
    cases = [
        (_form(end_time="08:00"), "La fin doit venir après le début."),
        (_form(repeat="custom", rrule="FREQ=SECONDLY"), "Fréquence de répétition refusée"),
        (_form(repeat="FREQ=WEEKLY", exdates="demain"), "Date exclue illisible"),
        (_form(calendar=f"classe-{world.class_2nde.pk}"), "Sélectionnez un choix valide"),
        (_form(title=""), "Ce champ est obligatoire"),
    ]
    for data, message in cases:
        response = client.post(reverse("agenda:event_new"), data)
        assert response.status_code == 422, message
        assert message in response.content.decode().replace("&#x27;", "'"), message
    assert not Event.objects.exists()


def test_teacher_writes_in_the_class_calendar_and_the_pupil_reads_it(
    world: World, login: Any
) -> None:
    """The teacher's form offers their class; the class's pupil then sees the event."""
    response = login(world.teacher).post(
        reverse("agenda:event_new"), _form(calendar=f"classe-{world.class_4b.pk}", title="Contrôle")
    )
    assert response.status_code == 302
    assert Event.objects.get().calendar.school_class == world.class_4b
    page = login(world.pupil).get(reverse("agenda:week"), {"date": "2026-11-27"})
    assert "Contrôle" in page.content.decode()


def test_skip_one_occurrence(world: World, add_event: Any, login: Any) -> None:
    """« Retirer seulement l'occurrence » adds that date to the exclusions, the rest stays."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    event = add_event(world.teacher, personal, rrule="FREQ=DAILY;COUNT=3")
    response = login(world.teacher).post(
        reverse("agenda:occurrence_skip", args=[event.pk]), {"date": "2026-11-26"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.exdates == ["2026-11-26"]


def test_api_range_create_and_refusals(world: World, add_event: Any, bearer: Any) -> None:
    """The API gives the occurrences of a range with their Paris offsets, adds an event to
    a calendar one writes in (404 elsewhere), and refuses a bad range with 400."""
    school = services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.college)
    add_event(
        world.admin,
        school,
        title="Cross du collège",
        start="2026-11-26 09:00",
        end="2026-11-26 12:00",
    )
    client = bearer(world.pupil)
    data = client.get("/api/v1/agenda/", {"start": "2026-11-25", "end": "2026-11-27"}).json()
    assert [(o["title"], o["start"]) for o in data["occurrences"]] == [
        ("Cross du collège", "2026-11-26T09:00:00+01:00")
    ]
    assert data["occurrences"][0]["managed"] is False
    bad = client.get("/api/v1/agenda/", {"start": "2026-11-25", "end": "2027-11-25"})
    assert bad.status_code == 400
    created = client.post(
        "/api/v1/agenda/evenements/",
        {
            "title": "Révisions",
            "start": "2026-11-28T14:00:00+01:00",
            "end": "2026-11-28T16:00:00+01:00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    refused = client.post(
        "/api/v1/agenda/evenements/",
        {
            "calendar": f"classe-{world.class_4b.pk}",
            "title": "Pirate",
            "start": "2026-11-28T14:00:00+01:00",
            "end": "2026-11-28T16:00:00+01:00",
        },
        content_type="application/json",
    )
    assert refused.status_code == 404
    invalid = client.post(
        "/api/v1/agenda/evenements/",
        {"title": "X", "start": "2026-11-28T14:00:00+01:00", "end": "2026-11-28T13:00:00+01:00"},
        content_type="application/json",
    )
    assert invalid.status_code == 400
    assert list(
        Event.objects.filter(calendar__owner=world.pupil).values_list("title", flat=True)
    ) == ["Révisions"]


def test_edit_form_shows_the_event_and_saves_changes(world: World, login: Any) -> None:
    """The edit form is filled with the event as typed (repetition, until, exclusions);
    saving it again with a new title keeps the rule and the calendar."""
    client = login(world.teacher)
    client.post(
        reverse("agenda:event_new"),
        _form(repeat="FREQ=WEEKLY", until="2026-12-18", exdates="2026-12-04"),
    )
    event = Event.objects.get()
    page = client.get(reverse("agenda:event_edit", args=[event.pk])).content.decode()
    assert 'value="2026-12-18"' in page and 'value="2026-12-04"' in page
    assert '<option value="FREQ=WEEKLY" selected>' in page
    response = client.post(
        reverse("agenda:event_edit", args=[event.pk]),
        _form(title="Rendez-vous déplacé", repeat="FREQ=WEEKLY", until="2026-12-18"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.rrule, event.exdates) == (
        "Rendez-vous déplacé",
        "FREQ=WEEKLY;UNTIL=20261218T235959",
        [],
    )
    assert Event.objects.count() == 1
