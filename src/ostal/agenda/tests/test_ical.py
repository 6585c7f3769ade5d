"""Each calendar as a private iCalendar feed (the timetable's link token), read back with
the ``icalendar`` library; and the import of an external file, whole or not at all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar as ICalendar

from ostal.agenda import services
from ostal.agenda.ical import ImportFileError, ics_import
from ostal.agenda.models import Calendar, Event
from ostal.conftest import World
from ostal.timetable.services import calendar_feed_renew


def _feed(client: Any, person: Any, calendar: Calendar) -> Any:
    token = calendar_feed_renew(person=person)
    return client.get(reverse("agenda:feed", args=[token.token, calendar.pk]))


def test_feed_of_a_weekly_event_parses_with_rrule_exdates_and_paris_zone(
    world: World, add_event: Any, client: Any
) -> None:
    """The personal feed has the event with its rule, its excluded date and the holidays
    left out as EXDATE, in Europe/Paris with a VTIMEZONE."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    event = add_event(
        world.teacher,
        personal,
        title="Club d'échecs",
        start="2026-11-25 10:00",
        end="2026-11-25 11:00",
        rrule="FREQ=WEEKLY;UNTIL=20270127T090000Z",
        exdates=[date(2026, 12, 2)],
        skip_holidays=True,
    )
    response = _feed(client, world.teacher, personal)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = ICalendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["UID"]) == event.uid
    assert str(vevent["SUMMARY"]) == "Club d'échecs"
    start = vevent.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Paris")
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"]
    excluded = sorted(dt.dt.date() for dt in vevent["EXDATE"].dts)
    # the excluded date, then the Wednesdays of the Christmas holidays (zone C)
    assert excluded == [date(2026, 12, 2), date(2026, 12, 23), date(2026, 12, 30)]


def test_feed_follows_the_audience_and_the_reader(
    world: World, add_event: Any, client: Any
) -> None:
    """A parent's feed of the school calendar has the events for parents, not those for
    teachers; a calendar the token's owner may not read, or a bad token, is a 404."""
    school = services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.college)
    add_event(world.admin, school, title="Réunion des parents", audiences=["TUT"])
    add_event(world.admin, school, title="Conseil pédagogique", audiences=["ENS"])
    response = _feed(client, world.parent, school)
    titles = [str(e["SUMMARY"]) for e in ICalendar.from_ical(response.content).walk("VEVENT")]
    assert titles == ["Réunion des parents"]
    teachers = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    assert _feed(client, world.parent, teachers).status_code == 404
    assert client.get(reverse("agenda:feed", args=["nope", school.pk])).status_code == 404


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//FR
BEGIN:VEVENT
UID:chorale@example.org
DTSTART;TZID=Europe/Paris:20261104T170000
DTEND;TZID=Europe/Paris:20261104T180000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Paris:20261111T170000
SUMMARY:Chorale
LOCATION:Salle polyvalente
END:VEVENT
BEGIN:VEVENT
UID:chorale@example.org
RECURRENCE-ID;TZID=Europe/Paris:20261118T170000
DTSTART;TZID=Europe/Paris:20261119T170000
DTEND;TZID=Europe/Paris:20261119T180000
SUMMARY:Chorale (déplacée)
END:VEVENT
BEGIN:VEVENT
UID:brocante@example.org
DTSTART;VALUE=DATE:20261206
DTEND;VALUE=DATE:20261207
SUMMARY:Brocante
END:VEVENT
END:VCALENDAR
"""


def test_import_then_reimport_changes_nothing(world: World) -> None:
    """Importing a file adds its events (a moved occurrence is its own event and leaves
    the series); importing it again changes nothing."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.parent)
    first = ics_import(actor=world.parent, calendar=personal, content=ICS.encode())
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    chorale = Event.objects.get(uid="chorale@example.org")
    assert chorale.rrule == "FREQ=WEEKLY;COUNT=6"
    assert chorale.exdates == ["2026-11-11", "2026-11-18"]
    assert chorale.place == "Salle polyvalente"
    brocante = Event.objects.get(uid="brocante@example.org")
    assert brocante.all_day
    again = ics_import(actor=world.parent, calendar=personal, content=ICS.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Event.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n", "n'est pas un iCalendar"),
        (b"hello world", "BEGIN:VCALENDAR manquant"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "aucun événement"),
        (
            ICS.replace("DTSTART;VALUE=DATE:20261206\n", "").encode(),
            "Événement n° 3 (UID brocante@example.org) : DTSTART",
        ),
        (
            ICS.replace("FREQ=WEEKLY;COUNT=6", "FREQ=MINUTELY").encode(),
            "Événement n° 1 (UID chorale@example.org) : Fréquence de répétition refusée",
        ),
    ],
)
def test_bad_file_is_refused_in_french_and_nothing_is_imported(
    world: World, content: bytes, message: str
) -> None:
    """A file that is not iCalendar, has no event, or has one bad event is refused with a
    message saying where, and not a single event is stored."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.parent)
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ics_import(actor=world.parent, calendar=personal, content=content)
    assert not Event.objects.exists()


def test_import_page_shows_the_error_and_stores_nothing(world: World, login: Any) -> None:
    """The page answers 422 with « Rien n'a été importé » and the reason."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = ICS.replace("DTEND;VALUE=DATE:20261207", "DTEND;VALUE=DATE:20261201")
    response = login(world.parent).post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile("agenda.ics", bad.encode(), content_type="text/calendar")},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Rien n&#x27;a été importé" in page or "Rien n'a été importé" in page
    assert "Événement n° 3" in page
    assert not Event.objects.exists()
    good = login(world.parent).post(
        reverse("agenda:import"),
        {"file": SimpleUploadedFile("agenda.ics", ICS.encode(), content_type="text/calendar")},
    )
    assert good.status_code == 302
    assert Event.objects.filter(calendar__owner=world.parent).count() == 3
