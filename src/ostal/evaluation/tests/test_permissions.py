"""Who sees which marks, by page and by API: never an unpublished mark to a pupil or a
family, never another family's; missing and forbidden are the same 404."""

from __future__ import annotations

import pytest

from ostal.evaluation.tests.conftest import Marks

GRID = {
    "anonymous": 302,
    "pupil": 404,
    "parent": 404,
    "other_parent": 404,
    "teacher": 200,
    "other_teacher": 404,
    "admin": 404,  # the direction reads the class's averages, it does not mark
    "other_admin": 404,
    "agent": 404,
}


@pytest.mark.parametrize(("persona", "status"), GRID.items())
def test_only_the_teacher_of_the_subject_opens_the_mark_grid(
    persona: str, status: int, marks: Marks, login
) -> None:
    """The mark grid (and its publication) belongs to the teachers of the subject and class."""
    evaluation = marks.evaluation(marks={marks.world.pupil: "12"}, publish=False)
    client = login(marks.world.persona(persona))
    response = client.get(f"/notes/evaluations/{evaluation.pk}/")
    assert response.status_code == status
    published = client.post(f"/notes/evaluations/{evaluation.pk}/publication/")
    evaluation.refresh_from_db()
    assert evaluation.is_published is (status == 200)
    assert published.status_code == (302 if status in (200, 302) else 404)


def test_head_teacher_of_the_class_is_not_a_marker(marks: Marks, login) -> None:
    """The head teacher (French) cannot open the maths grid but reads the class's averages."""
    evaluation = marks.evaluation(marks={marks.world.pupil: "12"})
    client = login(marks.head_teacher)
    assert client.get(f"/notes/evaluations/{evaluation.pk}/").status_code == 404
    page = client.get(f"/notes/classes/{marks.world.class_4b.pk}/?periode=1")
    assert page.status_code == 200
    assert "Mathématiques" in page.content.decode()


CLASS = {
    "anonymous": 302,
    "pupil": 404,
    "parent": 404,
    "teacher": 404,  # a teacher of the class who is not its head teacher
    "admin": 200,
    "other_admin": 404,
    "agent": 404,
}


@pytest.mark.parametrize(("persona", "status"), CLASS.items())
def test_a_class_s_averages_are_read_by_head_teacher_and_direction(
    persona: str, status: int, marks: Marks, login
) -> None:
    """The class table: head teacher and the school's management only."""
    client = login(marks.world.persona(persona))
    assert client.get(f"/notes/classes/{marks.world.class_4b.pk}/").status_code == status


def test_unpublished_marks_are_never_shown_to_pupil_or_parent(marks: Marks, login, bearer) -> None:
    """Published 14 is shown with the class average; unpublished 3 is not, on the page nor
    in the API, to the pupil nor to the parent."""
    w = marks.world
    marks.evaluation(title="Fractions", marks={w.pupil: "14", w.other_pupil: "10"})
    marks.evaluation(title="Secret", marks={w.pupil: "3", w.other_pupil: "3"}, publish=False)
    for person in (w.pupil, w.parent):
        page = login(person).get("/notes/?periode=1").content.decode()
        assert "Fractions" in page and "Secret" not in page
        assert "<strong>14</strong>/20" in page
        assert ">12<" in page  # the class average of « Fractions »
        client = bearer(person)
        query = "?periode=1" + (f"&eleve={w.pupil.pk}" if person == w.parent else "")
        data = client.get(f"/api/v1/evaluation/{query}").json()
        assert [m["title"] for m in data["marks"]] == ["Fractions"]
        assert data["marks"][0]["value"] == "14.00"
        assert data["marks"][0]["class"]["average"] == "12.00"
        assert data["averages"] == [
            {
                "subject": "Mathématiques",
                "average": "14.00",
                "marks": 1,
                "class": {"average": "12.00", "min": "10.00", "max": "14.00", "count": 2},
            }
        ]
        client.defaults.pop("HTTP_AUTHORIZATION")


def test_another_family_s_marks_are_a_404(marks: Marks, login, bearer) -> None:
    """Chloé's parent asking for Alice by the API gets a 404; her page names only Chloé."""
    w = marks.world
    marks.evaluation(title="Fractions", marks={w.pupil: "17", w.other_pupil: "9"})
    client = bearer(w.other_parent)
    assert client.get(f"/api/v1/evaluation/?eleve={w.pupil.pk}").status_code == 404
    assert client.get("/api/v1/evaluation/").status_code == 404
    assert (
        client.get(f"/api/v1/evaluation/?eleve={w.other_pupil.pk}&periode=1").json()["marks"][0][
            "value"
        ]
        == "9.00"
    )
    client.defaults.pop("HTTP_AUTHORIZATION")
    page = login(w.other_parent).get("/notes/?periode=1").content.decode()
    assert "Notes de Chloé" in page and "Alice" not in page
    assert "<strong>9</strong>/20" in page and "<strong>17</strong>" not in page


def test_the_api_is_for_pupils_and_parents(marks: Marks, bearer, client) -> None:
    """A teacher or an anonymous caller gets 404 / 401 from the pupil's marks API."""
    assert client.get("/api/v1/evaluation/").status_code == 401
    assert bearer(marks.world.teacher).get("/api/v1/evaluation/").status_code == 404


def test_a_parent_sees_each_child_named(marks: Marks, login) -> None:
    """One page for all children: Alice's section and Bruno's (no class marks yet)."""
    w = marks.world
    marks.evaluation(marks={w.pupil: "15"})
    page = login(w.parent).get("/notes/?periode=1").content.decode()
    assert "Notes d&#x27;Alice" in page or "Notes d'Alice" in page
    assert "Notes de Bruno" in page
    assert "Aucune note publiée sur cette période." in page
