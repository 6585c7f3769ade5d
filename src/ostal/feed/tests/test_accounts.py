"""Accounts made by the import: readable logins never given twice, to be activated, stable
across imports, one per (source, jointure)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import is_password_usable
from django.utils import timezone

from ostal.directory.models import Person, Source
from ostal.feed.importer import ACTIVATION_ALPHABET, activation_codes, unusable_passwords
from ostal.feed.models import ImportRun, SchoolKey
from ostal.feed.services import aaf_import, directory_retention_purge
from ostal.territory.models import School

from . import deliveries as d


def run_import(source, path):
    run, report = aaf_import(source=source, path=path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return report


def usernames() -> dict[str, str]:
    return dict(Person.objects.values_list("external_id", "username"))


def test_logins_are_ascii_first_last_with_a_suffix_for_namesakes(source, tmp_path):
    """Logins are ``first.last`` in lower-case ASCII; two namesakes of one import get two logins."""
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[
                d.pupil("E1", "Élodie", "Dupont-Lagarde"),
                d.pupil("E2", "Élodie", "Dupont-Lagarde"),
                d.pupil("E3", "Jean-Noël", "N'Guyen Çelik"),
            ],
            staff=[d.staff("T1", "ÉLODIE", "DUPONT-LAGARDE")],
        ),
    )

    assert usernames() == {
        "E1": "elodie.dupont-lagarde",
        "E2": "elodie.dupont-lagarde2",
        "E3": "jean-noel.n-guyen-celik",
        "T1": "elodie.dupont-lagarde3",
    }
    assert all(u.isascii() for u in usernames().values())


def test_new_accounts_await_activation_with_a_code_and_no_password(source, tmp_path):
    """A new account is to be activated: it has its own activation code of 8+ characters and no usable password, so it cannot log in."""
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"])],
            relatives=[d.relative("R1", "Diane", "Durand")],
            staff=[d.staff("T1", "Franck", "Garcia")],
        ),
    )

    people = list(Person.objects.all())
    assert len(people) == 3
    for person in people:
        assert person.state == Person.State.TO_ACTIVATE and not person.is_active
        assert len(person.activation_code) >= 8
        assert set(person.activation_code) <= set(ACTIVATION_ALPHABET)
        assert not person.has_usable_password()
    assert len({p.activation_code for p in people}) == 3
    assert len({p.password for p in people}) == 3


def test_codes_and_unusable_passwords_are_drawn_per_account() -> None:
    """Drawn for a whole batch at once, each code and each unusable password is still its
    own: the code's length and alphabet, every letter of it possible, no password usable."""
    codes = activation_codes(2000)
    assert len(codes) == 2000 and len(set(codes)) == 2000
    assert all(len(c) == 10 and set(c) <= set(ACTIVATION_ALPHABET) for c in codes)
    assert set("".join(codes)) == set(ACTIVATION_ALPHABET)
    passwords = unusable_passwords(2000)
    assert len(set(passwords)) == 2000
    assert not any(is_password_usable(p) for p in passwords)
    assert activation_codes(0) == [] and unusable_passwords(0) == []


def test_a_person_keeps_their_row_and_login_across_imports_even_renamed(source, tmp_path):
    """A person's identity is their (source, jointure): the same row and login at every import, even when their name changes."""
    pupils = [d.pupil("E1", "Alice", "Durand"), d.pupil("E2", "Bruno", "Petit")]
    run_import(
        source,
        d.delivery(tmp_path / "1", date="20250905", structures=[d.structure()], pupils=pupils),
    )
    first = dict(Person.objects.values_list("external_id", "pk"))
    logins = usernames()
    code = Person.objects.get(external_id="E1").activation_code

    report = run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250912",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Martin"), pupils[1]],
        ),
    )

    assert report.counts["Eleve"] == {"updated": 1, "unchanged": 1}
    assert dict(Person.objects.values_list("external_id", "pk")) == first
    assert usernames() == logins == {"E1": "alice.durand", "E2": "bruno.petit"}
    alice = Person.objects.get(external_id="E1")
    assert alice.last_name == "Martin" and alice.activation_code == code


def test_a_login_is_never_given_again_even_after_erasure(source, tmp_path):
    """The login of a detached then erased person stays theirs: a later namesake gets another one."""
    school = [d.structure()]
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=school,
            pupils=[d.pupil("E1", "Jean", "Martin")],
        ),
    )
    run_import(source, d.delivery(tmp_path / "2", date="20250906", structures=school))
    Person.objects.filter(external_id="E1").update(
        state_changed_at=timezone.now() - timedelta(days=100)
    )
    assert directory_retention_purge() == 1

    run_import(
        source,
        d.delivery(
            tmp_path / "3",
            date="20250907",
            structures=school,
            pupils=[d.pupil("E9", "Jean", "Martin")],
        ),
    )

    assert set(Person.objects.values_list("username", "state", "external_id")) == {
        ("jean.martin", Person.State.DELETED, ""),
        ("jean.martin2", Person.State.TO_ACTIVATE, "E9"),
    }


def test_the_same_jointure_in_two_sources_is_two_people(source, aaf_fixtures):
    """Jointures are unique only within a source: the same export imported from two sources gives two people and one school known by both."""
    other = Source.objects.create(code="ac-autre", label="Autre académie", kind=Source.Kind.AAF)
    sample = aaf_fixtures / "real-2020-sample"

    run_import(source, sample)
    report = run_import(other, sample)

    assert report.counts == {"EtabEducNat": {"unchanged": 1}, "Eleve": {"created": 1}}
    people = Person.objects.filter(external_id="2000000").order_by("pk")
    assert [(p.source.code, p.username) for p in people] == [
        ("ac-test", "prenom.nom"),
        ("ac-autre", "prenom.nom2"),
    ]
    school = School.objects.get(uai="0000000V")
    assert set(SchoolKey.objects.values_list("source__code", "jointure", "school")) == {
        ("ac-test", "1", school.pk),
        ("ac-autre", "1", school.pk),
    }
    # Each source's complete import only reconciles its own people.
    run_import(source, sample)
    assert set(people.values_list("state", flat=True)) == {Person.State.TO_ACTIVATE}


def test_a_pupil_who_moves_academie_keeps_their_account_by_ine(territory, tmp_path):
    """A pupil detached by one académie and delivered by the other under a new jointure is
    recognised by INE: same account, same login, now keyed on the new source."""
    montpellier = Source.objects.create(code="ac-m", label="M", kind=Source.Kind.AAF)
    toulouse = Source.objects.create(code="ac-t", label="T", kind=Source.Kind.AAF)
    inès = d.pupil("5001", "Inès", "Voyageuse", ine="123456789AB")
    aaf_import(
        source=montpellier,
        path=d.delivery(
            tmp_path / "m1", date="20250910", structures=[d.structure()], pupils=[inès]
        ),
    )
    person = Person.objects.get(external_id="5001")
    aaf_import(
        source=montpellier,
        path=d.delivery(tmp_path / "m2", date="20250911", structures=[d.structure()]),
    )
    assert Person.objects.get(pk=person.pk).state == Person.State.DETACHED
    arriving = d.pupil("9501", "Inès", "Voyageuse", school="777", ine="123456789AB")
    run, report = aaf_import(
        source=toulouse,
        path=d.delivery(
            tmp_path / "t1",
            date="20250912",
            structures=[d.structure("777", "0311234B", "PIERRE DE FERMAT")],
            pupils=[arriving],
        ),
    )
    moved = Person.objects.get(pk=person.pk)
    assert (moved.source, moved.external_id, moved.username) == (toulouse, "9501", person.username)
    assert moved.state == Person.State.TO_ACTIVATE
    assert Person.objects.filter(ine="123456789AB").count() == 1
    assert report.counts["Eleve"]["restored"] == 1
    assert moved.enrolments.get().school_class.school.uai == "0311234B"
