"""The JSON API for the mobile app: a family's events (child named), one event with the
motives a parent may choose, the justification; another family's events answer 404."""

from __future__ import annotations

from typing import Any

import pytest

from ostal.vie_scolaire import services
from ostal.vie_scolaire.models import Event, Justification, Motive
from ostal.vie_scolaire.tests.conftest import Life

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(life: Life) -> Life:
    w = life.world
    services.roll_call_save(
        actor=w.teacher,
        occ=life.monday_maths(),
        roster_ids={w.pupil.pk, w.other_pupil.pk},
        marks={
            w.pupil.pk: services.Mark(services.ABSENT),
            w.other_pupil.pk: services.Mark(services.LATE, 5),
        },
        validate=True,
    )
    return life


def test_parent_reads_their_childrens_events(called: Life, bearer: Any) -> None:
    w = called.world
    data = bearer(w.parent).get("/api/v1/vie-scolaire/evenements/").json()
    assert [(e["child"]["name"], e["kind"], e["state"]) for e in data["results"]] == [
        ("Alice Durand", "absence", "Non justifiée")
    ]
    one = data["results"][0]
    assert (one["date"], one["start"], one["course"]) == ("2026-11-23", "08:00", "Mathématiques")
    mine = bearer(w.parent).get(f"/api/v1/vie-scolaire/evenements/?eleve={w.sibling.pk}").json()
    assert mine["results"] == []


def test_pupil_reads_their_own(called: Life, bearer: Any) -> None:
    data = bearer(called.world.other_pupil).get("/api/v1/vie-scolaire/evenements/").json()
    assert [(e["child"]["name"], e["late_minutes"]) for e in data["results"]] == [
        ("Chloé Petit", 5)
    ]


def test_another_family_is_404(called: Life, bearer: Any) -> None:
    w = called.world
    theirs = Event.objects.get(pupil=w.other_pupil)
    client = bearer(w.parent)
    answer = client.get(f"/api/v1/vie-scolaire/evenements/?eleve={w.other_pupil.pk}")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/vie-scolaire/evenements/{theirs.pk}/").status_code == 404
    motive = Motive.objects.filter(school=w.college, parents_may_choose=True).first()
    assert motive is not None
    posted = client.post(
        f"/api/v1/vie-scolaire/evenements/{theirs.pk}/justifier/",
        {"motive": motive.pk},
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert not Justification.objects.exists()


def test_parent_justifies_through_the_api(called: Life, bearer: Any) -> None:
    w = called.world
    event = Event.objects.get(pupil=w.pupil)
    client = bearer(w.parent)
    detail = client.get(f"/api/v1/vie-scolaire/evenements/{event.pk}/").json()
    labels = [m["label"] for m in detail["motives"]]
    assert "Maladie sans certificat" in labels and "Sortie scolaire" not in labels
    motive = next(m["id"] for m in detail["motives"] if m["label"] == "Maladie sans certificat")
    bad = client.post(
        f"/api/v1/vie-scolaire/evenements/{event.pk}/justifier/",
        {"motive": 999999},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "Choisissez un motif" in str(bad.json()["error"]["fields"])
    posted = client.post(
        f"/api/v1/vie-scolaire/evenements/{event.pk}/justifier/",
        {"motive": motive, "comment": "Fièvre"},
        content_type="application/json",
    )
    assert posted.status_code == 201 and posted.json()["state"] == "pending"
    again = client.get(f"/api/v1/vie-scolaire/evenements/{event.pk}/").json()
    assert again["pending_justification"] is True
    assert again["state"] == "Justificatif en attente"


def test_a_pupil_cannot_justify_through_the_api(called: Life, bearer: Any) -> None:
    w = called.world
    event = Event.objects.get(pupil=w.pupil)
    motive = Motive.objects.filter(school=w.college, parents_may_choose=True).first()
    assert motive is not None
    answer = bearer(w.pupil).post(
        f"/api/v1/vie-scolaire/evenements/{event.pk}/justifier/",
        {"motive": motive.pk},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert (
        bearer(w.pupil).get(f"/api/v1/vie-scolaire/evenements/{event.pk}/").json()["motives"] == []
    )


def test_anonymous_gets_401(called: Life, client: Any) -> None:
    assert client.get("/api/v1/vie-scolaire/evenements/").status_code == 401
