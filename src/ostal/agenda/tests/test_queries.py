"""The agenda's pages read a constant number of queries whatever the number of events,
occurrences and invitations (conventions: list pages pin their query count)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostal.agenda import services
from ostal.agenda.models import Calendar
from ostal.conftest import World


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_week_and_month_queries_do_not_grow_with_events(
    world: World, add_event: Any, login: Any
) -> None:
    """The teacher's coming days and month cost the same with one event per calendar as
    with many events, repeated ones and invitations."""
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    class_cal = services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_4b)
    school = services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.college)
    admins = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.admin)
    add_event(world.teacher, personal)
    add_event(world.teacher, class_cal)
    add_event(world.admin, school)
    invited = add_event(world.admin, admins, title="Point")
    services.invitation_send(actor=world.admin, event=invited, people=[world.teacher.pk])
    client = login(world.teacher)
    urls = [reverse("agenda:week"), reverse("agenda:month"), "/api/v1/agenda/"]
    client.get(urls[0])  # the shell caches its counters on the first page
    before = [_count(client, url) for url in urls]
    for i in range(4):
        add_event(world.teacher, personal, title=f"Perso {i}", rrule="FREQ=DAILY;COUNT=5")
        add_event(world.teacher, class_cal, title=f"Classe {i}")
        add_event(world.admin, school, title=f"École {i}", audiences=["ENS"])
        more = add_event(world.admin, admins, title=f"Point {i}")
        services.invitation_send(actor=world.admin, event=more, people=[world.teacher.pk])
    after = [_count(client, url) for url in urls]
    assert after == before
    assert "Perso 3" in client.get(reverse("agenda:week")).content.decode()
