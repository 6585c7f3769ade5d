"""The school's motives, managed by its vie scolaire and direction: list, add, edit,
deactivate; French errors and nothing half-saved; everyone else gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ostal.timetable.selectors import occurrence_for
from ostal.vie_scolaire import services
from ostal.vie_scolaire.models import Event, EventKind, Motive
from ostal.vie_scolaire.tests.conftest import WEDNESDAY, Life

pytestmark = pytest.mark.django_db

LIST = "/vie-scolaire/motifs/"


def _absence(life: Life) -> Event:
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
    return Event.objects.get()


def test_the_dashboard_links_to_the_motives_and_the_list_shows_the_defaults(
    life: Life, login: Any
) -> None:
    client = login(life.cpe)
    dashboard = client.get("/vie-scolaire/").content.decode()
    assert f'href="{LIST}?etablissement={life.world.college.pk}"' in dashboard
    page = client.get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Maladie avec certificat" in html and "Rendez-vous PsyEN" in html
    assert "confidentiel" in html and "Utilisé par aucun événement." in html
    assert Motive.objects.filter(school=life.world.college).count() == len(services.DEFAULT_MOTIVES)


def test_vie_scolaire_adds_a_motive_that_the_parents_can_then_choose(
    life: Life, login: Any
) -> None:
    w = life.world
    client = login(life.cpe)
    response = client.post(
        LIST,
        {
            "libelle": "  Convocation  au tribunal ",
            "type": "absence",
            "probant": "1",
            "parents": "1",
            "visible": "1",
        },
    )
    assert response.status_code == 302
    motive = Motive.objects.get(school=w.college, label="Convocation au tribunal")
    assert motive.kind == EventKind.ABSENCE and motive.proving
    assert motive.parents_may_choose and motive.shown_to_parents and motive.active
    # the defaults were given first, so they are not lost
    assert Motive.objects.filter(school=w.college).count() == len(services.DEFAULT_MOTIVES) + 1
    event = _absence(life)
    parent_page = login(w.parent).get(f"/vie-scolaire/evenements/{event.pk}/justifier/")
    assert "Convocation au tribunal" in parent_page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"libelle": "   ", "type": "absence"}, "Donnez un libellé au motif."),
        ({"libelle": "maladie AVEC certificat", "type": "absence"}, "existe déjà pour ce type"),
        ({"libelle": "x" * 121, "type": "absence"}, "Le libellé dépasse 120 caractères."),
        ({"libelle": "Neige", "type": "vacances"}, "motif d&#x27;absence ou de retard"),
        (
            {"libelle": "Secret", "type": "absence", "parents": "1"},
            "Un motif proposé aux parents doit leur être visible.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_stored(
    life: Life, login: Any, data: dict[str, str], message: str
) -> None:
    client = login(life.cpe)
    client.get(LIST)
    before = list(Motive.objects.values_list("pk", "label", "active"))
    response = client.post(LIST, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert Motive.objects.count() == len(before)
    assert list(Motive.objects.values_list("pk", "label", "active")) == before


def test_the_same_label_is_allowed_for_the_other_kind_and_in_another_school(
    life: Life, login: Any
) -> None:
    w = life.world
    services.motive_create(
        actor=life.cpe,
        school=w.college,
        kind="lateness",
        label="Grève des transports",
        proving=False,
        parents_may_choose=False,
        shown_to_parents=True,
    )
    services.motive_create(
        actor=w.other_admin,
        school=w.lycee,
        kind="absence",
        label="Grève des transports",
        proving=True,
        parents_may_choose=True,
        shown_to_parents=True,
    )
    assert Motive.objects.filter(label="Grève des transports").count() == 2


def test_editing_a_used_motive_keeps_its_events_and_a_duplicate_rename_is_refused(
    life: Life, login: Any
) -> None:
    w = life.world
    event = _absence(life)
    motive = Motive.objects.get(school=w.college, kind="absence", label="Raisons familiales")
    services.event_set_motive(actor=life.cpe, event=event, motive_id=motive.pk)
    client = login(w.admin)  # the school's local admin (direction's rights)
    url = f"/vie-scolaire/motifs/{motive.pk}/"
    assert "Utilisé par 1 événement." in client.get(LIST).content.decode()
    bad = client.post(
        url,
        {"action": "enregistrer", "libelle": "Rendez-vous médical", "parents": "1", "visible": "1"},
    )
    assert bad.status_code == 400 and "existe déjà pour ce type" in bad.content.decode()
    assert 'value="Rendez-vous médical"' in bad.content.decode()  # the input is kept
    motive.refresh_from_db()
    assert motive.label == "Raisons familiales" and motive.parents_may_choose
    ok = client.post(
        url,
        {
            "action": "enregistrer",
            "libelle": "Raisons familiales graves",
            "probant": "1",
            "visible": "1",
        },
    )
    assert ok.status_code == 302
    motive.refresh_from_db()
    assert motive.label == "Raisons familiales graves"
    assert motive.proving and not motive.parents_may_choose and motive.shown_to_parents
    event.refresh_from_db()
    assert event.motive_id == motive.pk and not event.regularised


def test_a_deactivated_motive_is_no_longer_offered_and_can_come_back(
    life: Life, login: Any
) -> None:
    w = life.world
    event = _absence(life)
    motive = Motive.objects.get(school=w.college, kind="absence", label="Raisons familiales")
    services.event_set_motive(actor=life.cpe, event=event, motive_id=motive.pk)
    client = login(life.cpe)
    url = f"/vie-scolaire/motifs/{motive.pk}/"
    assert client.post(url, {"action": "desactiver"}).status_code == 302
    motive.refresh_from_db()
    assert not motive.active and Motive.objects.filter(pk=motive.pk).exists()
    event.refresh_from_db()
    assert event.motive_id == motive.pk  # the events keep it
    assert "désactivé" in client.get(LIST).content.decode()
    other = Event.objects.create(
        school=w.college,
        pupil=w.other_pupil,
        kind="absence",
        date=WEDNESDAY,
        start_time=event.start_time,
        end_time=event.end_time,
    )
    treat = client.get(f"/vie-scolaire/evenements/{other.pk}/").content.decode()
    assert "Raisons familiales" not in treat
    justify = login(w.parent).get(f"/vie-scolaire/evenements/{event.pk}/justifier/")
    assert "Raisons familiales" not in justify.content.decode()
    with pytest.raises(ValidationError):
        services.event_set_motive(actor=life.cpe, event=other, motive_id=motive.pk)
    client = login(life.cpe)  # the test client was logged in as the parent
    assert client.post(url, {"action": "reactiver"}).status_code == 302
    motive.refresh_from_db()
    assert motive.active


def test_everyone_else_gets_404_on_every_view(life: Life, login: Any, bearer: Any) -> None:
    w = life.world
    motive = Motive.objects.create(school=w.college, kind="absence", label="Tempête")
    edit = f"/vie-scolaire/motifs/{motive.pk}/"
    for who in ("teacher", "pupil", "parent", "other_admin", "agent"):
        client = login(w.persona(who))
        assert client.get(LIST).status_code == 404 or who == "other_admin", who
        assert client.get(f"{LIST}?etablissement={w.college.pk}").status_code == 404, who
        assert (
            client.post(
                f"{LIST}?etablissement={w.college.pk}", {"libelle": "Intrus", "type": "absence"}
            ).status_code
            == 404
        ), who
        assert client.get(edit).status_code == 404, who
        assert client.post(edit, {"action": "desactiver"}).status_code == 404, who
        assert client.post(edit, {"libelle": "Piraté", "visible": "1"}).status_code == 404, who
    assert client.get("/vie-scolaire/motifs/999999/").status_code == 404
    motive.refresh_from_db()
    assert motive.label == "Tempête" and motive.active
    assert not Motive.objects.filter(label="Intrus").exists()
    # the other school's admin manages its own school's motives, not the collège's
    other = login(w.other_admin).get(LIST).content.decode()
    assert "Lycée Test" in other and "Tempête" not in other
    with pytest.raises(PermissionDenied):
        services.motive_set_active(actor=w.teacher, motive=motive, active=False)
    with pytest.raises(PermissionDenied):
        services.motive_create(
            actor=w.other_admin,
            school=w.college,
            kind="absence",
            label="X",
            proving=False,
            parents_may_choose=False,
            shown_to_parents=True,
        )


def test_the_api_lists_the_school_motives_for_its_staff_only(life: Life, bearer: Any) -> None:
    w = life.world
    api = "/api/v1/vie-scolaire/motifs/"
    data = bearer(life.cpe).get(api).json()
    assert data["school"]["id"] == w.college.pk
    labels = {(m["label"], m["kind"]) for m in data["results"]}
    assert ("Infirmerie", "absence") in labels and ("Panne de réveil", "lateness") in labels
    psy = next(m for m in data["results"] if m["label"] == "Rendez-vous PsyEN")
    assert psy["proving"] and not psy["shown_to_parents"] and psy["active"]
    assert bearer(life.cpe).get(f"{api}?etablissement={w.college.pk}").status_code == 200
    for who in (w.teacher, w.pupil, w.parent):
        assert bearer(who).get(api).status_code == 404
    assert bearer(w.other_admin).get(f"{api}?etablissement={w.college.pk}").status_code == 404
    assert bearer(life.cpe).get(f"{api}?etablissement=abc").status_code == 404
