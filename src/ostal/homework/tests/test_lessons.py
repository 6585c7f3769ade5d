"""Writing the cahier de textes from the timetable, and reading it back."""

from __future__ import annotations

import re
import zlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ostal.directory import factories
from ostal.homework.models import Attachment, Homework, HomeworkDone, LessonEntry
from ostal.homework.services import HomeworkInput, lesson_copy, lesson_save

pytestmark = pytest.mark.django_db


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to read it."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


MONDAY = date(2026, 11, 23)


def test_teacher_fills_a_slot_in_two_clicks(schoolday, login) -> None:
    """The slot's link opens a filled form; saving it as is records the lesson of that slot."""
    world = schoolday.world
    client = login(world.teacher)
    day = client.get(f"/emploi-du-temps/jour/?date={MONDAY}")
    url = f"/cahier-de-textes/seance/{schoolday.maths.pk}/{MONDAY}/"
    assert url in day.content.decode()
    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    response = client.post(
        url, {"audience": f"classe-{world.class_4b.pk}", "title": initial["title"]}
    )
    assert response.status_code == 302
    lesson = LessonEntry.objects.get()
    assert (lesson.course, lesson.date, lesson.school_class, lesson.author) == (
        schoolday.maths,
        MONDAY,
        world.class_4b,
        world.teacher,
    )
    assert lesson.subject_label == "MATHÉMATIQUES"


def test_slot_of_another_teacher_is_not_found(schoolday, world, login) -> None:
    """A teacher cannot open the slot form of a class they do not teach."""
    response = login(world.other_teacher).get(
        f"/cahier-de-textes/seance/{schoolday.maths.pk}/{MONDAY}/"
    )
    assert response.status_code == 404


def test_rich_text_is_sanitized(world) -> None:
    """Scripts and event handlers are removed from the content and the instructions."""
    lesson = lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="T",
        subject_label="Maths",
        content='<p onclick="x()">Bonjour<script>alert(1)</script> <a href="javascript:x">l</a></p>',
        homework=[
            HomeworkInput(
                due_date=MONDAY + timedelta(1), instructions="<b>Lire</b><img src=x onerror=y>"
            )
        ],
    )
    assert (
        "script" not in lesson.content
        and "onclick" not in lesson.content
        and "javascript" not in lesson.content
    )
    assert Homework.objects.get().instructions == "Lire"


def test_work_due_before_it_is_given_is_refused(world) -> None:
    """Nothing is written when the due date precedes the lesson."""
    with pytest.raises(ValidationError):
        lesson_save(
            author=world.teacher,
            audience=world.class_4b,
            day=MONDAY,
            title="T",
            subject_label="M",
            homework=[HomeworkInput(due_date=MONDAY - timedelta(1), instructions="x")],
        )
    assert not LessonEntry.objects.exists()


def test_prepared_lesson_is_hidden_from_pupils_until_its_date(world, login) -> None:
    """A lesson prepared ahead shows to its teacher, not to pupils and parents."""
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Surprise",
        subject_label="M",
        visible_from=timezone.now() + timedelta(days=3),
    )
    url = f"/cahier-de-textes/classe/{world.class_4b.pk}/"
    assert "Surprise" in login(world.teacher).get(url).content.decode()
    assert "Surprise" not in login(world.pupil).get(url).content.decode()
    assert "Surprise" not in login(world.parent).get(url).content.decode()


def test_copy_to_another_class(world, login) -> None:
    """A teacher copies a lesson and its work to another class they teach."""
    from ostal.directory.models import Subject
    from ostal.directory.services import teaching_assign

    other = factories.school_class(school=world.college, code="4C")
    teaching_assign(
        teacher=world.teacher, subject=Subject.objects.get(code="061300"), school_class=other
    )
    lesson = lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Pythagore",
        subject_label="M",
        homework=[HomeworkInput(due_date=MONDAY + timedelta(2), instructions="Ex 3")],
    )
    response = login(world.teacher).post(
        f"/cahier-de-textes/seances/{lesson.pk}/copier/",
        {"audience": f"classe-{other.pk}", "day": str(MONDAY + timedelta(1))},
    )
    assert response.status_code == 302
    copy = LessonEntry.objects.get(school_class=other)
    assert copy.title == "Pythagore" and copy.date == MONDAY + timedelta(1)
    assert copy.homework.get().due_date == MONDAY + timedelta(3)


def test_copy_to_a_class_not_taught_is_refused(world) -> None:
    """Copying into a class the teacher does not teach is refused."""
    from django.core.exceptions import PermissionDenied

    lesson = lesson_save(
        author=world.teacher, audience=world.class_4b, day=MONDAY, title="P", subject_label="M"
    )
    with pytest.raises(PermissionDenied):
        lesson_copy(lesson=lesson, actor=world.teacher, audience=world.class_2nde)
    assert LessonEntry.objects.count() == 1


def test_pupil_ticks_work_done_and_parent_sees_it(schoolday, login) -> None:
    """The pupil's tick is theirs; another pupil cannot tick it for them."""
    world = schoolday.world
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="T",
        course=schoolday.maths,
        homework=[HomeworkInput(due_date=MONDAY + timedelta(3), instructions="Exercice 12 p. 40")],
    )
    homework = Homework.objects.get()
    client = login(world.pupil)
    response = client.post(f"/cahier-de-textes/travail/{homework.pk}/fait/", {"done": "1"})
    assert response.status_code == 302
    assert HomeworkDone.objects.filter(homework=homework, pupil=world.pupil).exists()
    family = login(world.parent).get(f"/emploi-du-temps/famille/?date={MONDAY}").content.decode()
    assert "Exercice 12 p. 40" in family and "Fait" in family
    assert (
        login(world.sibling).post(f"/cahier-de-textes/travail/{homework.pk}/fait/").status_code
        == 404
    )


def test_attachment_checked_by_content_not_name(world) -> None:
    """A program renamed .pdf is refused; a real PDF is kept; nothing half-written."""
    fake = SimpleUploadedFile(
        "cours.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="type de fichier"):
        lesson_save(
            author=world.teacher,
            audience=world.class_4b,
            day=MONDAY,
            title="T",
            subject_label="M",
            attachments=[fake],
        )
    assert not LessonEntry.objects.exists()
    real = SimpleUploadedFile(
        "cours.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="T",
        subject_label="M",
        attachments=[real],
    )
    assert Attachment.objects.get().content_type == "application/pdf"


def test_attachment_too_large_is_refused(world, settings) -> None:
    """The size limit is a setting."""
    settings.OSTAL_HOMEWORK_MAX_UPLOAD = 10
    big = SimpleUploadedFile("a.txt", b"x" * 11)
    with pytest.raises(ValidationError, match="taille maximale"):
        lesson_save(
            author=world.teacher,
            audience=world.class_4b,
            day=MONDAY,
            title="T",
            subject_label="M",
            attachments=[big],
        )


def test_homework_load_shows_tests_per_day(world, login) -> None:
    """Three tests due the same day are flagged in the class's load."""
    for n in range(3):
        lesson_save(
            author=world.teacher,
            audience=world.class_4b,
            day=MONDAY,
            title=f"T{n}",
            subject_label="M",
            homework=[
                HomeworkInput(
                    due_date=MONDAY + timedelta(4),
                    instructions="Réviser",
                    is_test=True,
                    estimated_minutes=30,
                )
            ],
        )
    response = login(world.admin).get(
        f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/?date={MONDAY}"
    )
    assert response.status_code == 200
    day = response.context["days"][0]
    assert (day.day, day.tests, day.minutes) == (MONDAY + timedelta(4), 3, 90)
    assert "journée chargée" in response.content.decode()
    assert (
        login(world.other_teacher)
        .get(f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/")
        .status_code
        == 404
    )


def test_archive_pdf_is_tagged_and_in_french(world, login) -> None:
    """The year's archive is a tagged PDF (structure tree, PDF/UA) with the lessons."""
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Théorème de Thalès",
        subject_label="Maths",
    )
    response = login(world.admin).get(f"/cahier-de-textes/classe/{world.class_4b.pk}/archive.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = _inflated(response.content)
    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert b"/Lang (fr)" in pdf or b"/Lang(fr)" in pdf
    assert b"pdfuaid" in pdf


def test_pupil_hands_in_work_online(world, login) -> None:
    """Work to hand in online takes the pupil's file (checked by content) and counts as done."""
    from ostal.homework.models import Submission

    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="T",
        subject_label="M",
        homework=[
            HomeworkInput(
                due_date=MONDAY + timedelta(2), instructions="Rédaction", online_submission=True
            )
        ],
    )
    homework = Homework.objects.get()
    client = login(world.pupil)
    bad = SimpleUploadedFile("devoir.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    client.post(f"/cahier-de-textes/travail/{homework.pk}/rendre/", {"file": bad})
    assert not Submission.objects.exists()
    good = SimpleUploadedFile("devoir.txt", "Ma rédaction, en français.".encode())
    response = client.post(f"/cahier-de-textes/travail/{homework.pk}/rendre/", {"file": good})
    assert response.status_code == 302
    assert Submission.objects.get().pupil == world.pupil
    assert HomeworkDone.objects.filter(homework=homework, pupil=world.pupil).exists()
    assert (
        login(world.sibling)
        .post(f"/cahier-de-textes/travail/{homework.pk}/rendre/", {"file": good})
        .status_code
        == 404
    )


def test_year_end_archive_writes_one_pdf_per_class(world) -> None:
    """The year-end command stores a tagged PDF for each class that has entries."""
    from io import StringIO

    from django.core.files.storage import default_storage
    from django.core.management import call_command

    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Archive",
        subject_label="M",
    )
    out = StringIO()
    call_command("cahier_archive", world.college.uai, str(world.class_4b.school_year), stdout=out)
    names = out.getvalue().split()
    assert names == [
        f"cahier-de-textes/archives/{world.college.uai}/{world.class_4b.school_year}/classe-4B.pdf"
    ]
    with default_storage.open(names[0]) as stored:
        assert b"/StructTreeRoot" in _inflated(stored.read())


def test_the_class_page_shows_four_weeks_around_today_with_links_to_the_others(
    world, login
) -> None:
    """The class's cahier de textes shows the two weeks before this one, this one and the
    next (the clock is pinned in MONDAY's week), links to the periods before and after, and
    the whole year stays in the PDF archive."""
    days = {
        "Trop tôt": MONDAY - timedelta(weeks=2, days=1),
        "Premier jour": MONDAY - timedelta(weeks=2),
        "Cette semaine": MONDAY,
        "Dernier jour": MONDAY + timedelta(weeks=1, days=6),
        "Trop tard": MONDAY + timedelta(weeks=2),
    }
    for title, day in days.items():
        lesson_save(
            author=world.teacher, audience=world.class_4b, day=day, title=title, subject_label="M"
        )
    client = login(world.pupil)
    url = f"/cahier-de-textes/classe/{world.class_4b.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    shown = [lesson.title for lesson in response.context["lessons"]]
    assert shown == ["Dernier jour", "Cette semaine", "Premier jour"]  # latest first
    assert (response.context["start"], response.context["end"]) == (
        MONDAY - timedelta(weeks=2),
        MONDAY + timedelta(weeks=1, days=6),
    )
    body = response.content.decode()
    assert "Trop tôt" not in body and "Trop tard" not in body
    assert f'href="/cahier-de-textes/classe/{world.class_4b.pk}/archive.pdf"' in body
    previous = MONDAY - timedelta(weeks=4)
    following = MONDAY + timedelta(weeks=4)
    assert f'href="?date={previous}"' in body and f'href="?date={following}"' in body
    before = client.get(f"{url}?date={previous}")
    assert [lesson.title for lesson in before.context["lessons"]] == ["Trop tôt"]
    # a way back to the current period, which the current period itself does not need
    assert f'href="{url}">Aujourd\'hui</a>' in before.content.decode()
    assert "Aujourd'hui</a>" not in body
    after = client.get(f"{url}?date={following}")
    assert [lesson.title for lesson in after.context["lessons"]] == ["Trop tard"]
    assert LessonEntry.objects.filter(school_class=world.class_4b).count() == len(days)
