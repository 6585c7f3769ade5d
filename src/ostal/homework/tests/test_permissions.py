"""Who reads and who writes a class's cahier de textes: a matrix over the personas."""

from __future__ import annotations

from datetime import date

import pytest

from ostal.homework.models import LessonEntry
from ostal.homework.services import lesson_save

pytestmark = pytest.mark.django_db

READ = {
    "anonymous": 302,
    "pupil": 200,
    "other_pupil": 200,  # same class
    "sibling": 404,
    "parent": 200,
    "other_parent": 200,  # parent of a pupil of the class
    "teacher": 200,
    "other_teacher": 404,
    "admin": 200,
    "other_admin": 404,
    "agent": 404,  # the collectivité never reads a cahier de textes
}
WRITE = {name: name == "teacher" for name in READ if name != "anonymous"}


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_reading_the_cahier_de_textes_of_the_4b(persona, status, world, login) -> None:
    """Only the class's pupils, their parents, its teachers and the school read it."""
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=date(2026, 11, 23),
        title="Fractions",
        subject_label="Maths",
    )
    client = login(world.persona(persona))
    response = client.get(f"/cahier-de-textes/classe/{world.class_4b.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Fractions" in response.content.decode()
    api = client.get(f"/api/v1/cahier-de-textes/classe/{world.class_4b.pk}/seances/")
    assert api.status_code == {302: 401, 200: 200, 404: 404}[status]


@pytest.mark.parametrize(("persona", "allowed"), WRITE.items())
def test_writing_in_the_cahier_de_textes_of_the_4b(persona, allowed, world, login) -> None:
    """Only a teacher of the class writes in it (through the API as through the pages)."""
    client = login(world.persona(persona))
    response = client.post(
        "/api/v1/cahier-de-textes/seances/",
        {
            "audience": f"classe-{world.class_4b.pk}",
            "date": "2026-11-23",
            "title": "Essai",
            "subject": "Maths",
        },
        content_type="application/json",
    )
    assert response.status_code == (201 if allowed else 404)
    assert LessonEntry.objects.filter(title="Essai").exists() == allowed


def test_a_grant_lets_a_non_teacher_write(world) -> None:
    """Management can grant writing to someone who does not teach the class."""
    from django.core.exceptions import PermissionDenied

    from ostal.homework.models import WriteGrant

    with pytest.raises(PermissionDenied):
        lesson_save(
            author=world.other_teacher,
            audience=world.class_4b,
            day=date(2026, 11, 23),
            title="X",
            subject_label="M",
        )
    WriteGrant.objects.create(
        person=world.other_teacher, school_class=world.class_4b, granted_by=world.admin
    )
    lesson = lesson_save(
        author=world.other_teacher,
        audience=world.class_4b,
        day=date(2026, 11, 23),
        title="X",
        subject_label="M",
    )
    assert lesson.author == world.other_teacher


def test_inspection_of_the_schools_academy_reads(world, login) -> None:
    """An inspector of the school's académie reads the record; one of another académie does not."""
    from ostal.directory import factories
    from ostal.directory.models import Profile
    from ostal.directory.services import authority_role_grant
    from ostal.territory.models import Authority

    assert world.college.academy is not None and world.lycee.academy is not None
    assert world.college.academy != world.lycee.academy
    url = f"/cahier-de-textes/classe/{world.class_4b.pk}/"
    inspector = factories.person(profile=Profile.ACADEMIC, password="x" * 12)
    authority_role_grant(person=inspector, authority=world.college.academy)
    assert login(inspector).get(url).status_code == 200
    other = factories.person(profile=Profile.ACADEMIC, password="x" * 12)
    authority_role_grant(person=other, authority=Authority.objects.get(pk=world.lycee.academy.pk))
    assert login(other).get(url).status_code == 404
