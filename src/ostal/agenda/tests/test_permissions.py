"""Who reads and who writes each kind of calendar: a matrix over the personas. Missing
and forbidden both answer 404."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ostal.agenda import services
from ostal.agenda.models import Calendar, Event
from ostal.agenda.selectors import occurrences_for, readable_calendars
from ostal.conftest import World
from ostal.directory.models import Profile

PERSONAS = [
    "pupil",
    "parent",
    "other_parent",
    "sibling",
    "teacher",
    "other_teacher",
    "admin",
    "other_admin",
    "agent",
]

# Who sees an event of each calendar (the personal one is the teacher's).
READERS = {
    "personal": {"teacher"},
    "class": {"pupil", "parent", "other_parent", "teacher", "admin"},
    "school": {"pupil", "parent", "other_parent", "teacher", "admin"},
}
WRITERS = {"personal": {"teacher"}, "class": {"teacher", "admin"}, "school": {"admin"}}


@pytest.fixture
def events(world: World, add_event: Any) -> dict[str, Event]:
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    class_cal = services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_4b)
    school = services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.college)
    return {
        "personal": add_event(world.teacher, personal, title="Rendez-vous médecin"),
        "class": add_event(world.teacher, class_cal, title="Sortie au musée"),
        "school": add_event(world.admin, school, title="Portes ouvertes"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_readers_see_the_event_writers_edit_it_everyone_else_gets_404(
    world: World, events: dict[str, Event], login: Any, persona: str
) -> None:
    """For each kind of calendar: its readers see an event's page, anyone else gets the
    same 404 as for an unknown event; only its writers may edit or delete the event (the
    others get a 404, the service refuses them, nothing is deleted)."""
    client = login(world.persona(persona))
    for kind, event in events.items():
        page = client.get(reverse("agenda:event", args=[event.pk]))
        if persona in READERS[kind]:
            assert page.status_code == 200, kind
            assert event.title in page.content.decode()
        else:
            assert page.status_code == 404, kind
        edit = client.get(reverse("agenda:event_edit", args=[event.pk]))
        if persona in WRITERS[kind]:
            assert edit.status_code == 200, kind
            assert client.post(reverse("agenda:event_delete", args=[event.pk])).status_code == 302
            assert not Event.objects.filter(pk=event.pk).exists()
        else:
            assert edit.status_code == 404, kind
            deleted = client.post(reverse("agenda:event_delete", args=[event.pk]))
            assert deleted.status_code == 404, kind
            assert Event.objects.filter(pk=event.pk).exists()
            with pytest.raises(PermissionDenied):
                services.event_delete(actor=world.persona(persona), event=event)


def test_unknown_event_and_anonymous(world: World, events: dict[str, Event], login: Any) -> None:
    """An unknown id is a 404; anonymous people are sent to the login page."""
    assert login(world.teacher).get(reverse("agenda:event", args=[999999])).status_code == 404
    client = login(None)
    client.logout()
    anonymous = client.get(reverse("agenda:event", args=[events["school"].pk]))
    assert anonymous.status_code == 302
    assert "/comptes/connexion/" in anonymous["Location"]


def test_school_event_with_audience_is_seen_by_those_profiles_and_the_writers_only(
    world: World, add_event: Any
) -> None:
    """An event of the school's calendar for parents only shows to parents of the school
    and to its management, not to its pupils and teachers."""
    school = services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.college)
    add_event(world.admin, school, title="Réunion parents-professeurs", audiences=["TUT"])
    seen = {
        name
        for name in PERSONAS
        if any(
            o.event.title == "Réunion parents-professeurs"
            for o in occurrences_for(
                user=world.persona(name), start=date(2026, 11, 25), end=date(2026, 11, 25)
            )
        )
    }
    assert seen == {"parent", "other_parent", "admin"}


def test_audiences_only_on_a_school_calendar(world: World, add_event: Any) -> None:
    """Choosing profiles on a class's calendar is refused and nothing is stored."""
    class_cal = services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_4b)
    with pytest.raises(Exception, match="établissement"):
        add_event(world.teacher, class_cal, audiences=[Profile.RELATIVE])
    assert not Event.objects.exists()


def test_readable_calendars_of_a_parent_are_their_childrens(
    world: World, events: dict[str, Event]
) -> None:
    """A parent reads their own calendar (if any), their children's classes' and schools'
    calendars, never a teacher's personal calendar."""
    services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_2nde)
    services.calendar_ensure(kind=Calendar.Kind.SCHOOL, target=world.lycee)
    kinds = sorted(
        (c.kind, c.school_class_id or c.school_id)
        for c in readable_calendars(user=world.parent).calendars
    )
    assert kinds == sorted(
        [
            ("class", world.class_4b.pk),
            ("class", world.class_2nde.pk),
            ("school", world.college.pk),
            ("school", world.lycee.pk),
        ]
    )
    assert readable_calendars(user=world.parent).managed == set()
