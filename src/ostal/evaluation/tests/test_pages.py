"""The teacher's pages in order: menu, service, new evaluation, grid, publication; the
direction's periods page. Bad input answers a French error and stores nothing."""

from __future__ import annotations

from typing import Any

from ostal.evaluation.models import Evaluation, Mark, Period
from ostal.evaluation.tests.conftest import Marks


def test_a_teacher_goes_from_the_menu_to_a_published_evaluation(marks: Marks, login) -> None:
    """Menu « Notes » → service 4B maths → new evaluation → grid → published."""
    w = marks.world
    client = login(w.teacher)
    home = client.get("/").content.decode()
    assert 'href="/notes/"' in home
    index = client.get("/notes/").content.decode()
    service = w.teacher.assignments.get()
    assert f'href="/notes/services/{service.pk}/nouvelle/"' in index
    bad = client.post(
        f"/notes/services/{service.pk}/nouvelle/",
        {"day": "1999-01-04", "title": "Fractions", "scale": "20", "coefficient": "2"},
    )
    assert "La date doit être dans l&#x27;année scolaire" in bad.content.decode()
    assert not Evaluation.objects.exists()
    created = client.post(
        f"/notes/services/{service.pk}/nouvelle/",
        {
            "day": marks.day(10, 5).isoformat(),
            "title": "Fractions",
            "scale": "20",
            "coefficient": "1,5",
        },
    )
    evaluation = Evaluation.objects.get()
    assert created.url == f"/notes/evaluations/{evaluation.pk}/"
    assert str(evaluation.coefficient) == "1.50"
    grid = client.get(created.url).content.decode()
    assert f'name="mark-{w.pupil.pk}"' in grid and f'name="mark-{w.other_pupil.pk}"' in grid
    assert "Non publiée" in grid
    wrong = client.post(created.url, {f"mark-{w.pupil.pk}": "15", f"mark-{w.other_pupil.pk}": "x"})
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "a été enregistré : corrigez" in text and "Chloé Petit" in text
    assert 'aria-invalid="true"' in text and 'value="x"' in text  # what was typed is kept
    assert not Mark.objects.exists()
    saved = client.post(created.url, {f"mark-{w.pupil.pk}": "15", f"mark-{w.other_pupil.pk}": "nr"})
    assert saved.status_code == 302
    page = client.get(created.url).content.decode()
    assert "2 notes enregistrées." in page
    assert "Moyenne de la classe : 15" in page and "1 note" in page
    client.post(f"/notes/evaluations/{evaluation.pk}/publication/")
    evaluation.refresh_from_db()
    assert evaluation.is_published
    table = client.get(f"/notes/services/{service.pk}/?periode=1").content.decode()
    assert "Fractions" in table and ">nr<" in table


def test_the_grid_keeps_tab_order_down_the_column(marks: Marks, login) -> None:
    """One input per pupil, in the roster's alphabetical order, no tabindex to fight."""
    w = marks.world
    evaluation = marks.evaluation(publish=False)
    page = login(w.teacher).get(f"/notes/evaluations/{evaluation.pk}/").content.decode()
    assert page.index(f'id="mark-{w.pupil.pk}"') < page.index(f'id="mark-{w.other_pupil.pk}"')
    assert 'tabindex="1"' not in page


def test_the_direction_chooses_the_periods_from_its_page(
    marks: Marks, login, django_assert_max_num_queries: Any
) -> None:
    """From « Notes », the direction opens its school's periods and saves semestres; a
    missing end date is a French error with nothing stored."""
    w = marks.world
    client = login(w.admin)
    index = client.get("/notes/").content.decode()
    url = f"/notes/etablissements/{w.college.pk}/periodes/"
    assert f'href="{url}"' in index
    assert f'href="/notes/classes/{w.class_4b.pk}/"' in index
    y = marks.year
    bad = client.post(
        url,
        {
            "kind": "semester",
            "start_1": f"{y}-09-01",
            "start_2": f"{y + 1}-02-01",
            "end_2": f"{y + 1}-07-03",
        },
    )
    assert bad.status_code == 400 and "Indiquez cette date." in bad.content.decode()
    assert not Period.objects.exists()
    ok = client.post(
        url,
        {
            "kind": "semester",
            "start_1": f"{y}-09-01",
            "end_1": f"{y + 1}-01-31",
            "start_2": f"{y + 1}-02-01",
            "end_2": f"{y + 1}-07-03",
        },
    )
    assert ok.status_code == 302
    assert list(Period.objects.values_list("kind", "index")) == [("semester", 1), ("semester", 2)]
    assert login(w.other_admin).get(url).status_code == 404


def test_the_head_teacher_locks_the_period_from_the_class_page(marks: Marks, login) -> None:
    """Class page → « Verrouiller la période » → the grid refuses new marks (400, French
    message, nothing stored); only the direction sees « Rouvrir la période »."""
    w = marks.world
    evaluation = marks.evaluation(marks={w.pupil: "12"})
    head = login(marks.head_teacher)
    url = f"/notes/classes/{w.class_4b.pk}/?periode=1"
    assert "Verrouiller la période (Trimestre 1)" in head.get(url).content.decode()
    locked = head.post(f"/notes/classes/{w.class_4b.pk}/verrou/", {"periode": "1"})
    assert locked.status_code == 302 and locked.url == url
    page = head.get(url).content.decode()
    assert "Période verrouillée le" in page and "Rouvrir la période" not in page
    teacher = login(w.teacher)
    refused = teacher.post(f"/notes/evaluations/{evaluation.pk}/", {f"mark-{w.pupil.pk}": "19"})
    assert refused.status_code == 400
    assert "Trimestre 1 est verrouillé après le conseil de classe (4B)" in refused.content.decode()
    assert Mark.objects.get().value == 12
    assert "Rouvrir la période" in login(w.admin).get(url).content.decode()
    assert (
        login(w.teacher)
        .post(
            f"/notes/classes/{w.class_4b.pk}/verrou/", {"periode": "1", "action": "deverrouiller"}
        )
        .status_code
        == 404
    )
