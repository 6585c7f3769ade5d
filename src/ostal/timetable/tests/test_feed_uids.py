"""The private iCalendar feed as a strict client reads it (issue 13, items 6 and 7): UIDs
stay the same across re-imports, and the feed carries the VTIMEZONE its TZIDs name."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest

from ostal.conftest import World
from ostal.timetable.models import Course
from ostal.timetable.services import calendar_feed_renew
from ostal.timetable.tests.conftest import REAL_EDT, make_course
from ostal.timetable.tests.test_reimport import Index, make_index, upload

pytestmark = pytest.mark.django_db


def feed(client: Any, token: str) -> icalendar.Calendar:
    response = client.get(f"/emploi-du-temps/agenda/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def course_uids(calendar: icalendar.Calendar) -> list[str]:
    return [str(e["UID"]) for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("cours-")]


@pytest.fixture
def index(territory: None, time_machine: Any) -> Index:
    time_machine.move_to("2013-11-18 09:00 +01:00", tick=False)
    return make_index()


def test_feed_uids_are_the_same_after_a_reimport_and_after_courses_are_recreated(
    index: Index, client: Any, login: Any
) -> None:
    """A pupil's feed gives each course occurrence the same UID before and after the same
    export is imported again, even when the courses were deleted and imported anew."""
    upload(login(index.admin), REAL_EDT.read_bytes(), REAL_EDT.name)
    token = calendar_feed_renew(person=index.pupil).token
    client.logout()
    before = course_uids(feed(client, token))
    assert len(before) > 10 and len(set(before)) == len(before)
    ids = set(Course.objects.values_list("pk", flat=True))

    upload(login(index.admin), REAL_EDT.read_bytes(), REAL_EDT.name)
    client.logout()
    after_reimport = course_uids(feed(client, token))

    Course.objects.all().delete()
    upload(login(index.admin), REAL_EDT.read_bytes(), REAL_EDT.name)
    client.logout()
    after_recreation = course_uids(feed(client, token))

    assert set(Course.objects.values_list("pk", flat=True)).isdisjoint(ids)
    assert sorted(after_reimport) == sorted(before) == sorted(after_recreation)
    assert not any(f"-{pk}-" in uid for uid in before for pk in ids)


def test_a_room_change_in_the_file_keeps_the_uids(
    world: World, client: Any, login: Any, time_machine: Any
) -> None:
    """A CSV re-import that moves a course to another room keeps the UIDs of its events."""
    time_machine.move_to("2026-11-18 09:00 +01:00", tick=False)
    header = "jour;debut;fin;matiere;classes;groupes;enseignants;salle;semaines;du;au\n"
    line = "lundi;08:00;09:00;MATHÉMATIQUES;4B;;GARCIA Franck;{};;2026-09-01;2027-07-03\n"
    upload(login(world.admin), (header + line.format("B12")).encode(), "edt.csv", "csv")
    token = calendar_feed_renew(person=world.pupil).token
    client.logout()
    before = feed(client, token)

    upload(login(world.admin), (header + line.format("C7")).encode(), "edt.csv", "csv")
    client.logout()
    after = feed(client, token)

    assert course_uids(before) and course_uids(after) == course_uids(before)
    assert {str(e["LOCATION"]) for e in after.walk("VEVENT")} == {"C7"}
    assert Course.objects.get().room == "C7"


def test_feed_carries_the_paris_vtimezone_and_events_land_at_the_right_instants(
    schoolday: Any, world: World, client: Any, time_machine: Any
) -> None:
    """The feed defines the VTIMEZONE its TZID=Europe/Paris names (RFC 5545 §3.6.5), and a
    08:00 course is 07:00 UTC in winter, 06:00 UTC once summer time has begun."""
    time_machine.move_to("2027-03-17 09:00 +01:00", tick=False)
    make_course(
        world,
        weekday=2,
        start="08:00",
        end="09:00",
        subject=schoolday.maths.subject,
        first_date=date(2027, 3, 1),
        last_date=date(2027, 4, 10),
    )
    token = calendar_feed_renew(person=world.pupil).token

    calendar = feed(client, token)

    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()
    defined = zones[0].to_tz()
    instants = {}
    for event in calendar.walk("VEVENT"):
        start = event["DTSTART"]
        assert start.params["TZID"] == "Europe/Paris"
        local = start.dt.replace(tzinfo=None)
        instants[local.date()] = (
            start.dt.astimezone(UTC),
            local.replace(tzinfo=defined).astimezone(UTC),
        )
    winter = datetime(2027, 3, 23, 7, 0, tzinfo=UTC)
    summer = datetime(2027, 3, 30, 6, 0, tzinfo=UTC)
    assert instants[date(2027, 3, 23)] == (winter, winter)
    assert instants[date(2027, 3, 30)] == (summer, summer)
