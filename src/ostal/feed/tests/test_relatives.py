"""Relatives: imported when a pupil of the import names them, and linked to that pupil."""

from __future__ import annotations

from ostal.directory.models import Person, Profile, RelativeLink
from ostal.feed import importer
from ostal.feed.models import ImportRun, PendingRelativeLink
from ostal.feed.services import aaf_import

from . import deliveries as d


def run_import(source, path):
    run, report = aaf_import(source=source, path=path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return report


def links() -> set[tuple[str, str, int]]:
    return set(
        RelativeLink.objects.values_list(
            "relative__external_id", "pupil__external_id", "legal_level"
        )
    )


def family(tmp_path, name: str, date: str):
    return d.delivery(
        tmp_path / name,
        date=date,
        structures=[d.structure()],
        pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"], in_charge=["R2"])],
        relatives=[d.relative("R1", "Diane", "Durand"), d.relative("R2", "Gérard", "Nourry")],
    )


def test_persons_in_charge_are_imported_only_when_the_deployment_says_so(
    source, tmp_path, settings
):
    """A legal representative (level 1) is imported and linked; a person in charge (level 2) only with ``OSTAL_AAF_PERSONS_IN_CHARGE``."""
    report = run_import(source, family(tmp_path, "1", "20250905"))

    assert report.counts["PersRelEleve"] == {"created": 1}
    assert report.warning_counts["relative_without_pupil"] == 1
    assert links() == {("R1", "E1", 1)}
    assert not Person.objects.filter(external_id="R2").exists()

    settings.OSTAL_AAF_PERSONS_IN_CHARGE = True
    report = run_import(source, family(tmp_path, "2", "20250906"))

    assert report.counts["PersRelEleve"] == {"unchanged": 1, "created": 1}
    assert links() == {("R1", "E1", 1), ("R2", "E1", 2)}
    assert Person.objects.get(external_id="R2").profile == Profile.RELATIVE


def test_a_relative_delivered_after_their_child_is_linked_to_them(source, tmp_path):
    """A relative missing from the export the first time and present the next is linked to the pupil who names them, though the pupil's record did not change."""
    pupil = d.pupil("E1", "Alice", "Durand", relatives=["R1"])
    first = run_import(
        source,
        d.delivery(tmp_path / "1", date="20250905", structures=[d.structure()], pupils=[pupil]),
    )
    assert first.warning_counts["relative_missing"] == 1
    assert not RelativeLink.objects.exists()

    second = run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250906",
            structures=[d.structure()],
            pupils=[pupil],
            relatives=[d.relative("R1", "Diane", "Durand")],
        ),
    )

    assert second.counts["Eleve"] == {"unchanged": 1}
    assert second.counts["PersRelEleve"] == {"created": 1}
    assert links() == {("R1", "E1", 1)}


def test_a_relative_detached_then_back_is_linked_again(source, tmp_path):
    """A relative missing from one complete import loses their child; back in the next, they get the child back."""
    pupil = d.pupil("E1", "Alice", "Durand", relatives=["R1"])
    everything = {"structures": [d.structure()], "pupils": [pupil]}
    diane = [d.relative("R1", "Diane", "Durand")]
    run_import(source, d.delivery(tmp_path / "1", date="20250905", relatives=diane, **everything))
    run_import(source, d.delivery(tmp_path / "2", date="20250906", **everything))
    assert Person.objects.get(external_id="R1").state == Person.State.DETACHED
    assert not RelativeLink.objects.exists()

    report = run_import(
        source, d.delivery(tmp_path / "3", date="20250907", relatives=diane, **everything)
    )

    assert report.counts["PersRelEleve"] == {"restored": 1}
    assert links() == {("R1", "E1", 1)}


def test_a_delta_giving_a_pupil_a_new_relative_links_them(source, tmp_path):
    """A Delta that replaces a pupil's ENTElevePersRelEleve and adds the new relative links them, and drops the relative the pupil no longer names."""
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"])],
            relatives=[d.relative("R1", "Diane", "Durand")],
        ),
    )

    report = run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250906",
            kind="Delta",
            pupils=[d.modify_request("E1", {"ENTElevePersRelEleve": ["R3$20$1$1$1$0"]}, "Eleve")],
            relatives=[d.relative("R3", "Henri", "Durand")],
        ),
    )

    assert report.counts == {"Eleve": {"updated": 1}, "PersRelEleve": {"created": 1}}
    assert links() == {("R3", "E1", 1)}
    link = RelativeLink.objects.get()
    assert (link.relation_code, link.is_financial, link.is_contact) == ("20", True, True)
    # A Delta does not detach: the former relative keeps their account, without the child.
    assert Person.objects.get(external_id="R1").state == Person.State.TO_ACTIVATE


def test_a_pupil_naming_a_pupil_or_staff_jointure_as_relative_gets_no_such_parent(source, tmp_path):
    """Only people imported as relatives can be linked as a pupil's relative: a jointure that is a pupil's (even the pupil's own) or a staff member's is a warning."""
    report = run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[
                d.pupil("E1", "Alice", "Durand", relatives=["E1", "E2", "T1"]),
                d.pupil("E2", "Bruno", "Petit"),
            ],
            staff=[d.staff("T1", "Franck", "Garcia")],
        ),
    )

    assert report.warning_counts["relative_missing"] == 3
    assert not RelativeLink.objects.exists()
    assert set(Person.objects.values_list("external_id", "profile")) == {
        ("E1", Profile.PUPIL),
        ("E2", Profile.PUPIL),
        ("T1", Profile.TEACHER),
    }


def test_a_delta_adding_only_the_relative_links_the_pupil_who_named_them(source, tmp_path):
    """A relative a pupil named before they existed, delivered later by a Delta that does not touch the pupil, is linked to that pupil."""
    first = run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"])],
        ),
    )
    assert first.warning_counts["relative_missing"] == 1
    assert not RelativeLink.objects.exists()

    report = run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250906",
            kind="Delta",
            relatives=[d.relative("R1", "Diane", "Durand")],
        ),
    )

    assert report.counts["PersRelEleve"] == {"created": 1}
    assert report.relatives_linked_later == 1
    assert links() == {("R1", "E1", 1)}
    assert not PendingRelativeLink.objects.exists()


def test_a_pupil_no_longer_naming_a_missing_relative_leaves_no_pending_link(source, tmp_path):
    """When a pupil's record stops naming a relative who never arrived, that relative is not linked if they arrive later."""
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"])],
        ),
    )
    run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250906",
            kind="Delta",
            pupils=[d.modify_request("E1", {"ENTElevePersRelEleve": [""]}, "Eleve")],
        ),
    )
    assert not PendingRelativeLink.objects.exists()

    run_import(
        source,
        d.delivery(
            tmp_path / "3",
            date="20250907",
            kind="Delta",
            relatives=[d.relative("R1", "Diane", "Durand")],
        ),
    )
    assert not RelativeLink.objects.exists()


def test_created_relatives_are_reported_under_their_childs_school(source, tmp_path):
    """A relative created by a complete import is counted in the section of the school of the pupil who names them (relatives have no school of their own)."""
    report = run_import(source, family(tmp_path, "1", "20250905"))

    assert report.schools[d.SCHOOL_UAI]["PersRelEleve"] == {"created": 1}
    assert "PersRelEleve" not in report.schools.get("—", {})


def test_a_confirmed_email_is_never_replaced_by_the_feed(source, tmp_path):
    """A parent's e-mail confirmed in Ostal stays theirs when the feed sends another address; an unconfirmed one follows the feed."""
    from django.utils import timezone

    def delivery(name, date, mail, last="Durand"):
        return d.delivery(
            tmp_path / name,
            date=date,
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", relatives=["R1"])],
            relatives=[d.relative("R1", "Diane", last, email=mail)],
        )

    run_import(source, delivery("1", "20250905", "diane@ecole.example"))
    diane = Person.objects.get(external_id="R1")
    assert diane.email == "diane@ecole.example"
    Person.objects.filter(pk=diane.pk).update(
        email="diane@perso.example", email_confirmed_at=timezone.now()
    )

    run_import(source, delivery("2", "20250906", "autre@ecole.example", last="Martin"))

    diane.refresh_from_db()
    assert (diane.last_name, diane.email) == ("Martin", "diane@perso.example")
    assert diane.email_confirmed_at is not None

    Person.objects.filter(pk=diane.pk).update(email_confirmed_at=None)
    run_import(source, delivery("3", "20250907", "nouveau@ecole.example", last="Durand"))
    diane.refresh_from_db()
    assert diane.email == "nouveau@ecole.example"


def test_links_written_in_chunks_keep_every_pending_link_and_one_link_per_pair(
    source, tmp_path, monkeypatch, settings
):
    """A pupil's links split across chunks all survive (pending ones included), and a relative named twice by one pupil gets one link, the first named."""
    monkeypatch.setattr(importer, "LINK_CHUNK", 1)
    settings.OSTAL_AAF_PERSONS_IN_CHARGE = True
    pupils = [
        d.pupil("E1", "Alice", "Durand", relatives=["R1", "R2", "R3"]),
        d.pupil("E2", "Bruno", "Martin", relatives=["R4"], in_charge=["R4"]),
    ]
    first = run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250905",
            structures=[d.structure()],
            pupils=pupils,
            relatives=[d.relative("R1", "Diane", "Durand"), d.relative("R4", "Eva", "Martin")],
        ),
    )
    assert first.warning_counts["relative_missing"] == 2
    assert links() == {("R1", "E1", 1), ("R4", "E2", 1)}
    assert set(PendingRelativeLink.objects.values_list("relative_external_id", flat=True)) == {
        "R2",
        "R3",
    }

    run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250906",
            structures=[d.structure()],
            pupils=pupils,
            relatives=[
                d.relative("R1", "Diane", "Durand"),
                d.relative("R2", "Gilles", "Durand"),
                d.relative("R3", "Hélène", "Durand"),
                d.relative("R4", "Eva", "Martin"),
            ],
        ),
    )
    assert links() == {("R1", "E1", 1), ("R2", "E1", 1), ("R3", "E1", 1), ("R4", "E2", 1)}
    assert not PendingRelativeLink.objects.exists()
