"""The year-end archive of a class's or group's cahier de textes: an accessible PDF.

WeasyPrint renders the same HTML as the page, in French (``lang="fr"``), with a title and
headings, as a tagged PDF (``pdf_variant="pdf/ua-1"``, which implies ``pdf_tags``), so that
screen readers follow its structure. This is the legal record: every lesson, its work, its
attachments' names and links, whoever wrote them.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from ostal.homework.abilities import Audience
from ostal.homework.models import LessonEntry


def archive_pdf(*, audience: Audience, lessons: list[LessonEntry]) -> bytes:
    from weasyprint import HTML  # imported here: it takes seconds, only the archive needs it

    html = render_to_string(
        "homework/archive.html",
        {"audience": audience, "lessons": lessons, "printed_at": timezone.localtime()},
    )
    stylesheet = finders.find("homework/archive.css")
    document = HTML(string=html, base_url=None)
    pdf = document.write_pdf(
        stylesheets=[stylesheet] if stylesheet else None,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
    assert pdf is not None
    return bytes(pdf)
