"""The API of the school day, as the mobile app uses it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token

from ostal.homework.models import HomeworkDone, LessonEntry
from ostal.timetable.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db


def _bearer(client, person):
    token = Token.objects.create(user=person)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
    return client


def test_teacher_writes_then_pupil_reads_and_ticks(schoolday, world, client) -> None:
    """Teacher posts a lesson on a slot; the pupil's week shows it; the pupil ticks the work."""
    teacher = _bearer(client, world.teacher)
    response = teacher.post(
        "/api/v1/cahier-de-textes/seances/",
        {
            "course": schoolday.maths.pk,
            "audience": f"classe-{world.class_4b.pk}",
            "date": str(MONDAY),
            "title": "Équations",
            "content": "<p>Cours <script>x</script></p>",
            "homework": [
                {
                    "due_date": str(MONDAY + timedelta(3)),
                    "instructions": "Ex 5",
                    "estimated_minutes": 15,
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["content"] == "<p>Cours </p>"
    lesson = LessonEntry.objects.get()
    pupil = _bearer(client, world.pupil)
    week = pupil.get(f"/api/v1/emploi-du-temps/semaine/?date={MONDAY}").json()
    monday = week["days"][0]
    assert monday["courses"][0]["lesson"] == lesson.pk
    homework = week["days"][3]["homework_due"][0]
    assert homework["instructions"] == "Ex 5" and homework["done"] is False
    ticked = pupil.post(
        f"/api/v1/cahier-de-textes/travail/{homework['id']}/fait/",
        {"done": True},
        content_type="application/json",
    )
    assert ticked.json() == {"id": homework["id"], "done": True}
    assert HomeworkDone.objects.filter(pupil=world.pupil).exists()


def test_parent_reads_a_childs_week_only(schoolday, world, client) -> None:
    """A parent reads the week of their child, not of another pupil."""
    parent = _bearer(client, world.parent)
    ok = parent.get(f"/api/v1/emploi-du-temps/semaine/?date={MONDAY}&eleve={world.pupil.pk}")
    assert (
        ok.status_code == 200 and ok.json()["days"][0]["courses"][0]["subject"] == "Mathématiques"
    )
    assert (
        parent.get(f"/api/v1/emploi-du-temps/semaine/?eleve={world.other_pupil.pk}").status_code
        == 404
    )


def test_bad_lesson_gets_a_french_error_and_writes_nothing(schoolday, world, client) -> None:
    """Work due before the lesson is refused with a French message."""
    teacher = _bearer(client, world.teacher)
    response = teacher.post(
        "/api/v1/cahier-de-textes/seances/",
        {
            "audience": f"classe-{world.class_4b.pk}",
            "date": str(MONDAY),
            "title": "X",
            "subject": "Maths",
            "homework": [{"due_date": str(MONDAY - timedelta(1)), "instructions": "Ex"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "avant le jour" in str(response.json()["error"]["fields"])
    assert not LessonEntry.objects.exists()


def test_anonymous_gets_401(client) -> None:
    """The API needs authentication."""
    assert client.get("/api/v1/emploi-du-temps/semaine/").status_code == 401
