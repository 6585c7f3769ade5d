"""The register of a course occurrence: the teacher calls the roll (everyone present by
default), validates, the register locks; vie scolaire corrects with a trace; a cancelled
course has no register, a replaced one is the substitute's; bad input stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.timetable.models import CourseChange
from ostal.vie_scolaire import services
from ostal.vie_scolaire.models import Correction, Event, EventKind, Motive, Register
from ostal.vie_scolaire.tests.conftest import MONDAY, WEDNESDAY, Life

pytestmark = pytest.mark.django_db


def _url(life: Life, day: Any = MONDAY, course: Any = None) -> str:
    return f"/vie-scolaire/appel/{(course or life.maths).pk}/{day.isoformat()}/"


def _roster(life: Life) -> set[int]:
    return {life.world.pupil.pk, life.world.other_pupil.pk}


def test_teacher_calls_the_roll_and_validates(life: Life, login: Any) -> None:
    w = life.world
    client = login(w.teacher)
    page = client.get(_url(life))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Durand Alice" in html and "Petit Chloé" in html
    assert "2 élèves, aucun absent, aucun retard" in html
    assert html.count('value="present" checked') == 2  # everyone present by default
    answer = client.post(
        _url(life),
        {
            f"statut-{w.pupil.pk}": "absent",
            f"statut-{w.other_pupil.pk}": "late",
            f"retard-{w.other_pupil.pk}": "7",
            "action": "valider",
        },
    )
    assert answer.status_code == 302
    register = Register.objects.get(course=life.maths, date=MONDAY)
    assert register.state == Register.State.DONE and register.locked
    assert register.called_by == w.teacher and register.validated_at is not None
    absence = Event.objects.get(pupil=w.pupil)
    assert (absence.kind, absence.school, absence.date) == (EventKind.ABSENCE, w.college, MONDAY)
    assert (absence.start_time.isoformat(), absence.end_time.isoformat()) == (
        "08:00:00",
        "09:00:00",
    )
    late = Event.objects.get(pupil=w.other_pupil)
    assert (late.kind, late.late_minutes, late.end_time.isoformat()) == (
        EventKind.LATENESS,
        7,
        "08:07:00",
    )
    # the school got its default motives with the first register
    assert Motive.objects.filter(school=w.college, parents_may_choose=True).exists()


def test_save_without_validating_keeps_it_open(life: Life, login: Any) -> None:
    w = life.world
    client = login(w.teacher)
    client.post(_url(life), {f"statut-{w.pupil.pk}": "absent", "action": "enregistrer"})
    register = Register.objects.get()
    assert register.state == Register.State.IN_PROGRESS
    # back to present: the absence disappears
    client.post(_url(life), {f"statut-{w.pupil.pk}": "present", "action": "valider"})
    assert not Event.objects.exists()
    assert Register.objects.get().state == Register.State.DONE


def test_a_validated_register_is_locked_for_the_teacher(life: Life, login: Any) -> None:
    w = life.world
    client = login(w.teacher)
    client.post(_url(life), {f"statut-{w.pupil.pk}": "absent", "action": "valider"})
    page = client.get(_url(life))
    assert "Appel validé : il ne peut plus être modifié que par la vie scolaire." in (
        page.content.decode()
    )
    again = client.post(_url(life), {f"statut-{w.pupil.pk}": "present", "action": "valider"})
    assert again.status_code == 400
    assert "seule la vie scolaire peut encore le corriger" in again.content.decode()
    assert Event.objects.get().kind == EventKind.ABSENCE


def test_vie_scolaire_corrects_a_validated_register_with_a_trace(life: Life, login: Any) -> None:
    w = life.world
    login(w.teacher).post(_url(life), {f"statut-{w.pupil.pk}": "absent", "action": "valider"})
    client = login(life.cpe)
    page = client.get(_url(life))
    assert "vos corrections sont tracées" in page.content.decode()
    client.post(
        _url(life),
        {f"statut-{w.pupil.pk}": "late", f"retard-{w.pupil.pk}": "20", "action": "valider"},
    )
    event = Event.objects.get()
    assert (event.kind, event.late_minutes) == (EventKind.LATENESS, 20)
    trace = Correction.objects.get()
    assert (trace.pupil, trace.actor, trace.before, trace.after) == (
        w.pupil,
        life.cpe,
        "absent",
        "en retard de 20 min",
    )
    assert Register.objects.get().called_by == w.teacher  # the roll call stays the teacher's
    assert "absent → en retard de 20 min" in client.get(_url(life)).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"statut-{p}": "late"}, "Indiquez les minutes de retard"),
        ({"statut-{p}": "late", "retard-{p}": "abc"}, "Indiquez les minutes de retard"),
        ({"statut-{p}": "late", "retard-{p}": "0"}, "de 1 à 60 pour ce cours"),
        ({"statut-{p}": "late", "retard-{p}": "61"}, "de 1 à 60 pour ce cours"),
        ({"statut-{p}": "parti"}, "Choisissez présent, absent ou en retard"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_stored(
    life: Life, login: Any, data: dict[str, str], message: str
) -> None:
    w = life.world
    post = {k.format(p=w.other_pupil.pk): v for k, v in data.items()}
    post[f"statut-{w.pupil.pk}"] = "absent"
    post["action"] = "valider"
    answer = login(w.teacher).post(_url(life), post)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert 'value="absent" checked' in answer.content.decode()  # what was entered stays
    assert not Register.objects.exists() and not Event.objects.exists()


def test_the_service_refuses_a_pupil_outside_the_course(life: Life) -> None:
    occ = life.monday_maths()
    with pytest.raises(ValidationError):
        services.roll_call_save(
            actor=life.world.teacher,
            occ=occ,
            roster_ids=_roster(life),
            marks={life.world.sibling.pk: services.Mark(services.ABSENT)},
            validate=True,
        )
    assert not Register.objects.exists()


def test_a_cancelled_course_has_no_register(life: Life, login: Any) -> None:
    CourseChange.objects.create(course=life.maths, date=MONDAY, kind=CourseChange.Kind.CANCELLED)
    assert login(life.world.teacher).get(_url(life)).status_code == 404
    assert login(life.cpe).get(_url(life)).status_code == 404
    page = login(life.world.teacher).get(f"/vie-scolaire/?date={MONDAY.isoformat()}")
    assert "Cours annulé : pas d'appel." in page.content.decode()


def test_a_replaced_course_is_the_substitutes(life: Life, login: Any) -> None:
    w = life.world
    substitute = factories.teacher(
        school=w.college, username="remplacant", last_name="Martin", password=PASSWORD
    )
    CourseChange.objects.create(
        course=life.maths,
        date=MONDAY,
        kind=CourseChange.Kind.REPLACEMENT,
        replacement_teacher=substitute,
    )
    assert login(w.teacher).get(_url(life)).status_code == 404
    client = login(substitute)
    day = client.get(f"/vie-scolaire/?date={MONDAY.isoformat()}").content.decode()
    assert "Faire l'appel (Mathématiques, 08:00)" in day
    client.post(_url(life), {f"statut-{w.pupil.pk}": "absent", "action": "valider"})
    assert Register.objects.get().called_by == substitute
    with pytest.raises(PermissionDenied):
        services.roll_call_save(
            actor=w.teacher,
            occ=life.monday_maths(),
            roster_ids=_roster(life),
            marks={},
            validate=True,
        )


@pytest.mark.parametrize("who", ["other_teacher", "pupil", "parent", "other_admin", "agent"])
def test_nobody_else_reaches_a_register(life: Life, login: Any, who: str) -> None:
    client = login(life.world.persona(who))
    assert client.get(_url(life)).status_code == 404
    assert client.post(_url(life), {"action": "valider"}).status_code == 404
    assert not Register.objects.exists()


def test_anonymous_is_sent_to_login(life: Life, client: Any) -> None:
    answer = client.get(_url(life))
    assert answer.status_code == 302 and "/comptes/connexion/" in answer["Location"]


def test_a_day_without_the_course_or_a_bad_date_is_404(life: Life, login: Any) -> None:
    client = login(life.world.teacher)
    assert client.get(_url(life, day=WEDNESDAY)).status_code == 404  # maths is on Mondays
    assert client.get(f"/vie-scolaire/appel/{life.maths.pk}/2026-13-01/").status_code == 404


def test_teacher_day_lists_the_registers_and_the_forgotten(life: Life, login: Any) -> None:
    """Wednesday 10:00: the 09:00 course is forgotten (15 minutes passed), not yet done."""
    page = login(life.world.teacher).get("/vie-scolaire/").content.decode()
    assert "Faire l'appel (Français, 09:00)" in page
    assert "oublié" in page
