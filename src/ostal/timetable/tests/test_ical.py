"""The private iCalendar feed: parses in a standard library, revocable."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from ostal.timetable.models import CalendarFeedToken
from ostal.timetable.services import calendar_feed_renew
from ostal.timetable.tests.conftest import make_course

pytestmark = pytest.mark.django_db


def test_feed_parses_and_lists_the_courses(schoolday, world, client, login) -> None:
    """The feed of a pupil is valid iCalendar with their courses in Europe/Paris time."""
    today = timezone.localdate()
    make_course(
        world,
        weekday=today.isoweekday(),
        start="17:00",
        end="18:00",
        subject=schoolday.maths.subject,
        first_date=today - timedelta(days=60),
        last_date=today + timedelta(days=60),
    )
    login(world.pupil).post("/emploi-du-temps/agenda/", {"action": "renew"})
    token = CalendarFeedToken.objects.get(person=world.pupil).token
    client.logout()
    response = client.get(f"/emploi-du-temps/agenda/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert events
    subjects = {str(e["SUMMARY"]) for e in events}
    assert subjects <= {"Mathématiques", "Français"}
    for event in events:
        assert event.decoded("DTSTART").tzinfo is not None
        assert event.decoded("DTEND") > event.decoded("DTSTART")


def test_revoked_link_stops_working(world, client) -> None:
    """Renewing the link kills the old one; revoking kills it too."""
    old = calendar_feed_renew(person=world.teacher).token
    new = calendar_feed_renew(person=world.teacher).token
    assert client.get(f"/emploi-du-temps/agenda/{old}.ics").status_code == 404
    assert client.get(f"/emploi-du-temps/agenda/{new}.ics").status_code == 200
    client.force_login(world.teacher, backend="django.contrib.auth.backends.ModelBackend")
    client.post("/emploi-du-temps/agenda/", {"action": "revoke"})
    client.logout()
    assert client.get(f"/emploi-du-temps/agenda/{new}.ics").status_code == 404
