"""Families see their own children's events (each child named), justify them online with a
motive the school allows; vie scolaire accepts or refuses with a message; nobody sees or
justifies another family's events (404, page and API)."""

from __future__ import annotations

from typing import Any

import pytest

from ostal.vie_scolaire import services
from ostal.vie_scolaire.models import Event, Justification, Motive
from ostal.vie_scolaire.tests.conftest import Life

pytestmark = pytest.mark.django_db


def _called(life: Life) -> tuple[Event, Event]:
    """The Monday maths roll call: Alice absent, Chloé (another family) 5 minutes late."""
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
    return Event.objects.get(pupil=w.pupil), Event.objects.get(pupil=w.other_pupil)


def _motive(life: Life, label: str, kind: str = "absence") -> Motive:
    return Motive.objects.get(school=life.world.college, label=label, kind=kind)


def test_parent_sees_each_childs_events_named(life: Life, login: Any) -> None:
    _called(life)
    html = login(life.world.parent).get("/vie-scolaire/").content.decode()
    assert "Alice Durand" in html and "Bruno Durand" in html
    assert "Absence</strong> – lundi 23 novembre, 08:00 (Mathématiques)" in html
    assert "Non justifiée" in html
    assert "Justifier (le 23 novembre)" in html
    assert "Chloé" not in html and "Retard de 5 min" not in html
    assert "Ce mois-ci : 1 demi-journée d&#x27;absence, dont 1 non réglée, aucun retard." in html


def test_pupil_sees_only_their_own_and_cannot_justify(life: Life, login: Any) -> None:
    absence, lateness = _called(life)
    html = login(life.world.other_pupil).get("/vie-scolaire/").content.decode()
    assert "Retard de 5 min" in html and "Alice" not in html
    assert "Justifier" not in html
    client = login(life.world.other_pupil)
    assert client.get(f"/vie-scolaire/evenements/{lateness.pk}/justifier/").status_code == 404


def test_parent_justifies_and_vie_scolaire_accepts(life: Life, login: Any) -> None:
    absence, _ = _called(life)
    motive = _motive(life, "Maladie sans certificat")
    client = login(life.world.parent)
    form = client.get(f"/vie-scolaire/evenements/{absence.pk}/justifier/").content.decode()
    assert "Maladie sans certificat" in form
    assert "Sortie scolaire" not in form  # not choosable by parents
    answer = client.post(
        f"/vie-scolaire/evenements/{absence.pk}/justifier/",
        {"motif": motive.pk, "commentaire": "Fièvre depuis dimanche."},
    )
    assert answer.status_code == 302
    found = Justification.objects.get()
    assert (found.author, found.motive, found.state) == (
        life.world.parent,
        motive,
        Justification.State.PENDING,
    )
    assert "Justificatif en attente" in client.get("/vie-scolaire/").content.decode()

    cpe = login(life.cpe)
    dashboard = cpe.get("/vie-scolaire/").content.decode()
    assert "Alice Durand, le 23 novembre" in dashboard
    page = cpe.get(f"/vie-scolaire/justificatifs/{found.pk}/").content.decode()
    assert "Fièvre depuis dimanche." in page
    cpe.post(f"/vie-scolaire/justificatifs/{found.pk}/", {"decision": "accepter"})
    absence.refresh_from_db()
    assert absence.regularised and absence.motive == motive
    assert Justification.objects.get().state == Justification.State.ACCEPTED
    html = login(life.world.parent).get("/vie-scolaire/").content.decode()
    assert "Régularisée · Maladie sans certificat" in html
    assert "dont 1 non réglée" not in html and "toutes réglées" in html


def test_a_refusal_needs_a_message_which_the_parent_reads(life: Life, login: Any) -> None:
    absence, _ = _called(life)
    found = services.justification_submit(
        parent=life.world.parent,
        event=absence,
        motive_id=_motive(life, "Raisons familiales").pk,
        comment="",
    )
    cpe = login(life.cpe)
    url = f"/vie-scolaire/justificatifs/{found.pk}/"
    empty = cpe.post(url, {"decision": "refuser", "reponse": "  "})
    assert empty.status_code == 400
    assert "Dites à la famille pourquoi" in empty.content.decode()
    assert Justification.objects.get().state == Justification.State.PENDING
    cpe.post(url, {"decision": "refuser", "reponse": "Merci de fournir un certificat."})
    assert Justification.objects.get().state == Justification.State.REFUSED
    absence.refresh_from_db()
    assert not absence.regularised and absence.motive is None
    html = login(life.world.parent).get("/vie-scolaire/").content.decode()
    assert "Justificatif refusé par la vie scolaire : Merci de fournir un certificat." in html
    assert "Justifier (le 23 novembre)" in html  # may try again
    # already decided: a second decision is refused
    again = login(life.cpe).post(url, {"decision": "accepter"})
    assert again.status_code == 400 and "déjà été traité" in again.content.decode()


@pytest.mark.parametrize(
    ("motive", "message"),
    [
        ("", "Choisissez un motif dans la liste."),
        ("abc", "Choisissez un motif dans la liste."),
        ("Sortie scolaire", "Choisissez un motif dans la liste."),  # not for parents
        ("Panne de réveil", "Choisissez un motif dans la liste."),  # a lateness motive
    ],
)
def test_bad_justifications_are_refused_and_nothing_stored(
    life: Life, login: Any, motive: str, message: str
) -> None:
    absence, _ = _called(life)
    found = Motive.objects.filter(school=life.world.college, label=motive).first()
    value = str(found.pk) if found is not None else motive
    answer = login(life.world.parent).post(
        f"/vie-scolaire/evenements/{absence.pk}/justifier/", {"motif": value}
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not Justification.objects.exists()


def test_a_comment_too_long_and_a_second_pending_are_refused(life: Life, login: Any) -> None:
    absence, _ = _called(life)
    motive = _motive(life, "Raisons familiales")
    client = login(life.world.parent)
    url = f"/vie-scolaire/evenements/{absence.pk}/justifier/"
    long = client.post(url, {"motif": motive.pk, "commentaire": "x" * 1001})
    assert long.status_code == 400 and "dépasse 1000 caractères" in long.content.decode()
    assert client.post(url, {"motif": motive.pk}).status_code == 302
    second = client.post(url, {"motif": motive.pk})
    assert second.status_code == 400 and "déjà en attente" in second.content.decode()
    assert Justification.objects.count() == 1


@pytest.mark.parametrize("who", ["other_parent", "other_pupil", "pupil", "teacher", "agent"])
def test_nobody_but_the_parents_justifies(life: Life, login: Any, who: str) -> None:
    absence, _ = _called(life)
    motive = _motive(life, "Raisons familiales")
    client = login(life.world.persona(who))
    url = f"/vie-scolaire/evenements/{absence.pk}/justifier/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"motif": motive.pk}).status_code == 404
    assert not Justification.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "teacher", "parent", "pupil"])
def test_only_the_schools_vie_scolaire_decides(life: Life, login: Any, who: str) -> None:
    absence, _ = _called(life)
    found = services.justification_submit(
        parent=life.world.parent,
        event=absence,
        motive_id=_motive(life, "Raisons familiales").pk,
        comment="",
    )
    client = login(life.world.persona(who))
    url = f"/vie-scolaire/justificatifs/{found.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accepter"}).status_code == 404
    assert Justification.objects.get().state == Justification.State.PENDING


def test_direction_of_the_school_decides_too(life: Life, login: Any) -> None:
    absence, _ = _called(life)
    found = services.justification_submit(
        parent=life.world.parent,
        event=absence,
        motive_id=_motive(life, "Raisons familiales").pk,
        comment="",
    )
    login(life.world.admin).post(
        f"/vie-scolaire/justificatifs/{found.pk}/", {"decision": "accepter"}
    )
    assert Justification.objects.get().state == Justification.State.ACCEPTED


def test_justified_then_regularised_absence_counts(life: Life) -> None:
    """Worked example: a motive given (justified) leaves the half-day unjustified for the
    alert until vie scolaire regularises it."""
    from ostal.vie_scolaire.selectors import records

    absence, _ = _called(life)
    pupil = life.world.pupil

    def month() -> tuple[int, int]:
        rec = records(pupil_ids=[pupil.pk], since=absence.date)[0]
        m = rec.counts.month(2026, 11)
        return m.half_days, m.unjustified

    assert month() == (1, 1)
    services.event_set_motive(
        actor=life.cpe, event=absence, motive_id=_motive(life, "Raisons familiales").pk
    )
    absence.refresh_from_db()
    assert absence.justified and not absence.regularised
    assert month() == (1, 1)
    services.event_regularise(actor=life.cpe, event=absence)
    assert month() == (1, 0)


def test_a_proving_motive_regularises_at_once(life: Life) -> None:
    absence, _ = _called(life)
    services.event_set_motive(
        actor=life.cpe, event=absence, motive_id=_motive(life, "Maladie avec certificat").pk
    )
    absence.refresh_from_db()
    assert absence.regularised


def test_confidential_motives_are_hidden_from_families(life: Life, login: Any) -> None:
    absence, _ = _called(life)
    services.event_set_motive(
        actor=life.cpe, event=absence, motive_id=_motive(life, "Rendez-vous PsyEN").pk
    )
    html = login(life.world.parent).get("/vie-scolaire/").content.decode()
    assert "Motif confidentiel" in html and "PsyEN" not in html
