"""The teacher's text keeps its paragraphs and lists (a documented light markup, sanitised
with the shared nh3 profile), and a lesson without homework saves from the slot's form."""

from __future__ import annotations

from typing import Any

import pytest

from ostal.homework.models import Homework, LessonEntry
from ostal.homework.sanitize import html_to_light_markup, light_markup_to_html
from ostal.timetable.tests.conftest import MONDAY


@pytest.fixture
def pinned(time_machine: Any) -> None:
    """The clock in the fixtures' school week (before the world is built)."""
    time_machine.move_to("2026-11-23 09:00 +01:00", tick=False)


TEXT = "Correction du contrôle.\n\nÀ retenir :\n- le théorème\n- sa réciproque\n\n1. lire\n2. écrire <script>x</script>"


def test_a_lesson_without_homework_saves_as_the_form_comes(pinned, schoolday, login) -> None:
    """The slot's form offers no due date, so a lesson with no work to do is saved as it
    comes (no « Écrivez la consigne » error) and records no homework."""
    world = schoolday.world
    client = login(world.teacher)
    url = f"/cahier-de-textes/seance/{schoolday.maths.pk}/{MONDAY}/"
    form = client.get(url)
    html = form.content.decode()
    assert form.status_code == 200
    assert "homework_due" not in form.context["form"].initial
    assert 'name="homework_due"' in html and 'name="homework_due" value=' not in html
    initial = form.context["form"].initial
    response = client.post(
        url,
        {"audience": f"classe-{world.class_4b.pk}", "title": initial["title"],
         "homework_due": initial.get("homework_due", ""), "homework_instructions": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert LessonEntry.objects.count() == 1 and not Homework.objects.exists()


def test_paragraphs_and_lists_reach_the_pupil(pinned, schoolday, login) -> None:
    """Paragraphs, line breaks and « - » / « 1. » lists typed by the teacher are stored as
    sanitised HTML and shown to the pupil as such; scripts are removed."""
    world = schoolday.world
    url = f"/cahier-de-textes/seance/{schoolday.maths.pk}/{MONDAY}/"
    response = login(world.teacher).post(
        url,
        {"audience": f"classe-{world.class_4b.pk}", "title": "Théorème de Pythagore",
         "content": TEXT, "homework_due": str(MONDAY.replace(day=26)),
         "homework_instructions": "Exercices :\n- 4 page 52\n- 5 page 53"},
    )  # fmt: skip
    assert response.status_code == 302
    lesson = LessonEntry.objects.get()
    assert lesson.content == (
        "<p>Correction du contrôle.</p><p>À retenir :</p>"
        "<ul><li>le théorème</li><li>sa réciproque</li></ul>"
        "<ol><li>lire</li><li>écrire &lt;script&gt;x&lt;/script&gt;</li></ol>"
    )
    assert Homework.objects.get().instructions == (
        "<p>Exercices :</p><ul><li>4 page 52</li><li>5 page 53</li></ul>"
    )
    page = login(world.pupil).get(f"/emploi-du-temps/?date={MONDAY}").content.decode()
    assert "<ul><li>le théorème</li><li>sa réciproque</li></ul>" in page
    assert "<ul><li>4 page 52</li><li>5 page 53</li></ul>" in page
    assert "<script>x" not in page


def test_editing_shows_the_markup_back(pinned, schoolday, login) -> None:
    """The edit form gives the teacher back their light markup, not HTML, and saving it
    unchanged keeps the same content."""
    world = schoolday.world
    client = login(world.teacher)
    url = f"/cahier-de-textes/seance/{schoolday.maths.pk}/{MONDAY}/"
    client.post(
        url, {"audience": f"classe-{world.class_4b.pk}", "title": "Séance", "content": TEXT}
    )
    lesson = LessonEntry.objects.get()
    stored = lesson.content
    form = client.get(f"/cahier-de-textes/seances/{lesson.pk}/")
    shown = form.context["form"].initial["content"]
    assert "<p>" not in shown and "- le théorème\n- sa réciproque" in shown
    data = {"audience": f"classe-{world.class_4b.pk}", "title": "Séance", "content": shown}
    assert client.post(f"/cahier-de-textes/seances/{lesson.pk}/", data).status_code == 302
    lesson.refresh_from_db()
    assert lesson.content == stored


def test_html_of_the_profile_stays_html() -> None:
    """Text that already is HTML of the profile is sanitised, not escaped; rich HTML is
    offered for editing as it is."""
    rich = '<p>Voir <a href="https://example.org">le site</a></p><img src=x onerror=alert(1)>'
    cleaned = light_markup_to_html(rich)
    assert cleaned.startswith('<p>Voir <a href="https://example.org" rel="noopener noreferrer">')
    assert "<img" not in cleaned
    assert html_to_light_markup(cleaned) == cleaned
