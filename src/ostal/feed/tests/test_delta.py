"""A Delta delivery applies exactly its add, modify and delete requests, nothing more."""

from __future__ import annotations

from ostal.directory.models import Enrolment, Person, Profile
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import

from . import deliveries as d


def run_import(source, path):
    run, report = aaf_import(source=source, path=path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run, report


def classes_of(jointure: str) -> set[str]:
    return set(
        Enrolment.objects.filter(pupil__external_id=jointure).values_list(
            "school_class__code", flat=True
        )
    )


def test_a_delta_adds_moves_renames_and_detaches_only_whom_it_names(source, tmp_path):
    """In a Delta, addRequest creates, a replace of ENTEleveClasses moves a pupil, a replace of sn renames only, deleteRequest detaches, and nobody else is touched."""
    run_import(
        source,
        d.delivery(
            tmp_path / "complete",
            date="20250905",
            structures=[d.structure()],
            pupils=[
                d.pupil("E1", "Alice", "Durand", school_class="4A", ine="111111111AA"),
                d.pupil("E2", "Bruno", "Petit", school_class="4A", ine="222222222BB"),
                d.pupil("E3", "Chloé", "Roux", school_class="4B"),
                d.pupil("E5", "Emma", "Vidal", school_class="4B"),
            ],
            staff=[d.staff("T1", "Franck", "Garcia", classes=["4A"])],
        ),
    )
    before = {p.external_id: p for p in Person.objects.all()}
    delta = d.delivery(
        tmp_path / "delta",
        date="20250910",
        kind="Delta",
        pupils=[
            d.pupil("E4", "David", "Sabatier", school_class="4B"),
            d.modify_request("E1", {"ENTEleveClasses": [f"{d.SCHOOL}$4B"]}, "Eleve"),
            d.modify_request("E2", {"sn": ["Petit-Martin"]}, "Eleve"),
            d.delete_request("E3", "Eleve"),
        ],
    )
    assert [p.name for p in delta.iterdir()] == ["X_Delta_20250910_Eleve_0000.xml"]

    run, report = run_import(source, delta)

    assert run.kind == "delta"
    assert report.counts == {"Eleve": {"created": 1, "updated": 2, "detached": 1}}
    # addRequest: a new pupil, in their class and school.
    david = Person.objects.get(source=source, external_id="E4")
    assert (david.profile, david.state) == (Profile.PUPIL, Person.State.TO_ACTIVATE)
    assert classes_of("E4") == {"4B"}
    assert david.affiliations.get().school.uai == d.SCHOOL_UAI
    # modifyRequest on ENTEleveClasses: another class, the rest of the person as it was.
    alice = Person.objects.get(external_id="E1")
    assert classes_of("E1") == {"4B"}
    assert alice.affiliations.get().school.uai == d.SCHOOL_UAI
    assert (alice.last_name, alice.first_name, alice.ine) == ("Durand", "Alice", "111111111AA")
    assert (alice.pk, alice.username) == (before["E1"].pk, before["E1"].username)
    # modifyRequest on sn: the name only.
    bruno = Person.objects.get(external_id="E2")
    assert (bruno.last_name, bruno.first_name) == ("Petit-Martin", "Bruno")
    assert (bruno.ine, bruno.birth_date) == ("222222222BB", before["E2"].birth_date)
    assert bruno.username == before["E2"].username
    assert classes_of("E2") == {"4A"}
    assert bruno.affiliations.get().is_main
    assert {c["record"]: c["fields"] for c in report.changes}["E2"] == ["last_name"]
    # deleteRequest: detached, out of their class, row kept.
    chloe = Person.objects.get(external_id="E3")
    assert chloe.state == Person.State.DETACHED and chloe.last_name == "Roux"
    assert classes_of("E3") == set() and not chloe.affiliations.exists()
    # A Delta is not the whole truth: those it does not mention stay as they were.
    for jointure in ("E5", "T1"):
        person = Person.objects.get(external_id=jointure)
        assert person.state == Person.State.TO_ACTIVATE
        assert person.updated_at == before[jointure].updated_at
    assert classes_of("E5") == {"4B"}
    assert Person.objects.get(external_id="T1").assignments.get().school_class.code == "4A"


def test_a_delta_that_modifies_or_deletes_an_unknown_person_warns(source, tmp_path):
    """Modifying or deleting somebody the directory does not know is a warning, not an error."""
    run_import(
        source,
        d.delivery(
            tmp_path / "complete",
            date="20250905",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand")],
        ),
    )
    delta = d.delivery(
        tmp_path / "delta",
        date="20250910",
        kind="Delta",
        pupils=[
            d.modify_request("NOBODY", {"sn": ["Fantôme"]}, "Eleve"),
            d.delete_request("GHOST", "Eleve"),
        ],
    )

    _run, report = run_import(source, delta)

    assert report.warning_counts == {"unknown_person": 2}
    assert dict(report.counts) == {}
    assert list(Person.objects.values_list("external_id", "state")) == [
        ("E1", Person.State.TO_ACTIVATE)
    ]
