"""RGPD: the personal data of people detached for longer than the retention delay is erased."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from ostal.core.models import SecurityEvent
from ostal.directory.models import Enrolment, Person, Profile, RelativeLink
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import, directory_retention_purge

from . import deliveries as d

ERASED_FIELDS = (
    "last_name",
    "first_name",
    "birth_name",
    "civility",
    "email",
    "academic_email",
    "mobile",
    "address",
    "postal_code",
    "city",
    "ine",
    "activation_code",
    "external_id",
)


@pytest.fixture
def detached(source, tmp_path):
    """Alice (pupil), Diane (her mother) and Bruno (pupil) detached by a complete import
    on 8 September 2025; Emma stays."""
    school = [d.structure()]
    with time_machine.travel("2025-09-05 20:00 +0000", tick=False):
        aaf_import(
            source=source,
            path=d.delivery(
                tmp_path / "1",
                date="20250905",
                structures=school,
                pupils=[
                    d.pupil("E1", "Alice", "Durand", ine="111111111AA", relatives=["R1"]),
                    d.pupil("E2", "Bruno", "Petit", ine="222222222BB"),
                    d.pupil("E3", "Emma", "Vidal", ine="333333333CC"),
                ],
                relatives=[d.relative("R1", "Diane", "Durand", email="diane@example.org")],
            ),
        )
    with time_machine.travel("2025-09-08 20:00 +0000", tick=False):
        run, _report = aaf_import(
            source=source,
            path=d.delivery(
                tmp_path / "2",
                date="20250908",
                structures=school,
                pupils=[d.pupil("E3", "Emma", "Vidal", ine="333333333CC")],
            ),
        )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    people = {p.external_id: p for p in Person.objects.all()}
    assert {p.state for j, p in people.items() if j != "E3"} == {Person.State.DETACHED}
    return people


def test_people_detached_more_than_90_days_ago_are_erased_and_keep_their_login(detached):
    """After 90 days detached, names, birth date, e-mails and INE are cleared, the state is ``deleted``, the row and login stay and one ``account_deleted`` event is written per person."""
    with time_machine.travel("2025-12-08 20:00 +0000", tick=False):  # 91 days later
        erased = directory_retention_purge()

    assert erased == 3
    for jointure in ("E1", "E2", "R1"):
        person = Person.objects.get(pk=detached[jointure].pk)
        assert person.state == Person.State.DELETED
        assert person.username == detached[jointure].username
        assert person.profile == detached[jointure].profile
        assert person.birth_date is None
        assert {name: getattr(person, name) for name in ERASED_FIELDS} == dict.fromkeys(
            ERASED_FIELDS, ""
        )
        assert not person.has_usable_password() and not person.is_active
        event = SecurityEvent.objects.get(subject=person)
        assert event.kind == SecurityEvent.Kind.ACCOUNT_DELETED
        assert event.username == person.username
        assert event.data["reason"] == "rgpd_retention"
    assert SecurityEvent.objects.filter(kind="account_deleted").count() == 3
    emma = Person.objects.get(pk=detached["E3"].pk)
    assert (emma.state, emma.last_name, emma.ine) == (
        Person.State.TO_ACTIVATE,
        "Vidal",
        "333333333CC",
    )
    assert Enrolment.objects.get().pupil == emma
    assert not RelativeLink.objects.exists()


def test_people_detached_10_days_ago_are_left_alone(detached):
    """People detached for less than the retention delay keep their data; a second purge erases nobody twice."""
    Person.objects.filter(external_id="E2").update(
        state_changed_at=timezone.now() - timedelta(days=10)
    )
    Person.objects.filter(external_id__in=["E1", "R1"]).update(
        state_changed_at=timezone.now() - timedelta(days=91)
    )

    assert directory_retention_purge() == 2
    assert directory_retention_purge() == 0

    bruno = Person.objects.get(pk=detached["E2"].pk)
    assert bruno.state == Person.State.DETACHED
    assert (bruno.first_name, bruno.last_name, bruno.ine) == ("Bruno", "Petit", "222222222BB")
    assert bruno.birth_date is not None and bruno.external_id == "E2"
    assert not SecurityEvent.objects.filter(subject=bruno).exists()
    assert set(
        Person.objects.filter(state=Person.State.DELETED).values_list("profile", flat=True)
    ) == {Profile.PUPIL, Profile.RELATIVE}
    assert SecurityEvent.objects.filter(kind="account_deleted").count() == 2


def test_the_retention_delay_is_a_setting(detached, settings):
    """``OSTAL_DIRECTORY_RETENTION_DAYS`` sets the delay (90 days by default)."""
    assert settings.OSTAL_DIRECTORY_RETENTION_DAYS == 90
    settings.OSTAL_DIRECTORY_RETENTION_DAYS = 5
    Person.objects.filter(state=Person.State.DETACHED).update(
        state_changed_at=timezone.now() - timedelta(days=10)
    )

    assert directory_retention_purge() == 3
    assert not Person.objects.filter(state=Person.State.DETACHED).exists()
