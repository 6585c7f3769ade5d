"""Vie scolaire's daily dashboard: absences of the day, forgotten registers, justifications
to process, the legal alert; the school's vie scolaire and direction only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ostal.timetable.selectors import occurrence_for
from ostal.vie_scolaire import services
from ostal.vie_scolaire.models import Event, EventKind
from ostal.vie_scolaire.tests.conftest import MONDAY, WEDNESDAY, Life

pytestmark = pytest.mark.django_db


def test_dashboard_lists_forgotten_registers_and_the_days_absences(life: Life, login: Any) -> None:
    w = life.world
    html = login(life.cpe).get("/vie-scolaire/").content.decode()
    assert "Vie scolaire – Collège Test, mercredi 25 novembre" in html
    assert "Aucune absence aujourd&#x27;hui." in html
    # Wednesday 10:00: the 09:00 French course was not called: forgotten
    forgotten = html.split('id="forgotten"')[1].split("</section>")[0]
    assert "09:00 · Français · 4B – Franck Garcia" in forgotten
    occ = occurrence_for(course=life.wednesday, day=WEDNESDAY)
    assert occ is not None
    services.roll_call_save(
        actor=w.teacher,
        occ=occ,
        roster_ids={w.pupil.pk, w.other_pupil.pk},
        marks={w.pupil.pk: services.Mark(services.ABSENT)},
        validate=True,
    )
    html = login(life.cpe).get("/vie-scolaire/").content.decode()
    assert "Aucun appel oublié." in html
    assert "1 absence aujourd&#x27;hui." in html
    assert '<th scope="row">Alice Durand</th><td>Absence</td>' in html


def test_a_register_is_not_forgotten_before_fifteen_minutes(life: Life, login: Any) -> None:
    from ostal.timetable.tests.conftest import make_course

    make_course(life.world, weekday=3, start="09:50", end="10:50", subject=life.maths.subject)
    html = login(life.cpe).get("/vie-scolaire/").content.decode()
    forgotten = html.split('id="forgotten"')[1].split("</section>")[0]
    assert "09:00 · Français" in forgotten and "09:50" not in forgotten


def test_the_legal_alert_lists_pupils_at_four_unjustified_half_days(life: Life, login: Any) -> None:
    w = life.world
    for offset in (0, 1, 3):  # Monday, Tuesday, Thursday mornings: three half-days
        Event.objects.create(
            school=w.college,
            pupil=w.pupil,
            kind=EventKind.ABSENCE,
            date=MONDAY + timedelta(days=offset),
            start_time="08:00",
            end_time="09:00",
        )
    html = login(life.cpe).get("/vie-scolaire/").content.decode()
    assert "Aucun élève au seuil ce mois-ci." in html
    Event.objects.create(
        school=w.college,
        pupil=w.pupil,
        kind=EventKind.ABSENCE,
        date=MONDAY + timedelta(days=4),
        start_time="14:00",
        end_time="15:00",
    )
    html = login(life.cpe).get("/vie-scolaire/").content.decode()
    assert "Alice Durand : 4 demi-journées non réglées" in html


def test_direction_sees_the_dashboard_of_its_school_only(life: Life, login: Any) -> None:
    assert "Collège Test" in login(life.world.admin).get("/vie-scolaire/").content.decode()
    other = login(life.world.other_admin).get("/vie-scolaire/").content.decode()
    assert "Lycée Test" in other and "Collège Test" not in other


def test_the_agent_of_the_collectivite_has_no_vie_scolaire(life: Life, login: Any) -> None:
    assert login(life.world.agent).get("/vie-scolaire/").status_code == 404


def test_the_menu_offers_vie_scolaire_to_the_school_roles(life: Life, login: Any) -> None:
    for who in ("teacher", "pupil", "parent", "admin"):
        html = login(life.world.persona(who)).get("/").content.decode()
        assert 'href="/vie-scolaire/"' in html, who
    assert 'href="/vie-scolaire/"' not in login(life.world.agent).get("/").content.decode()


def test_vie_scolaire_gives_a_motive_then_regularises(life: Life, login: Any) -> None:
    from ostal.vie_scolaire.models import Motive

    w = life.world
    occ = occurrence_for(course=life.wednesday, day=WEDNESDAY)
    assert occ is not None
    services.roll_call_save(
        actor=w.teacher,
        occ=occ,
        roster_ids={w.pupil.pk, w.other_pupil.pk},
        marks={w.pupil.pk: services.Mark(services.ABSENT)},
        validate=True,
    )
    event = Event.objects.get()
    client = login(life.cpe)
    assert (
        f'href="/vie-scolaire/evenements/{event.pk}/"'
        in client.get("/vie-scolaire/").content.decode()
    )
    url = f"/vie-scolaire/evenements/{event.pk}/"
    bad = client.post(url, {"action": "regulariser"})
    assert bad.status_code == 400 and "Donnez d&#x27;abord un motif" in bad.content.decode()
    motive = Motive.objects.get(school=w.college, kind="absence", label="Raisons familiales")
    client.post(url, {"action": "motif", "motif": motive.pk})
    event.refresh_from_db()
    assert event.motive == motive and not event.regularised
    client.post(url, {"action": "regulariser"})
    event.refresh_from_db()
    assert event.regularised
    for who in ("teacher", "parent", "other_admin"):
        assert login(w.persona(who)).get(url).status_code == 404
