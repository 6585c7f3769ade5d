"""Year-end archive: every class's and group's cahier de textes of a school year, as
tagged PDFs on the default storage (``cahier-de-textes/archives/<UAI>/<year>/``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch

from ostal.directory.models import SchoolClass, TeachingGroup
from ostal.homework.archive import archive_pdf
from ostal.homework.models import Homework, LessonEntry
from ostal.territory.models import School


def cahier_archive_year(*, school: School, school_year: int) -> list[str]:
    """Write the archive PDF of each class and group of the year that has entries; return
    the stored names. Re-running replaces the files."""
    stored = []
    audiences: list[SchoolClass | TeachingGroup] = [
        *SchoolClass.objects.filter(school=school, school_year=school_year, lessons__isnull=False)
        .distinct()
        .select_related("school"),
        *TeachingGroup.objects.filter(school=school, school_year=school_year, lessons__isnull=False)
        .distinct()
        .select_related("school"),
    ]
    for audience in audiences:
        field = "school_class" if isinstance(audience, SchoolClass) else "group"
        lessons = list(
            LessonEntry.objects.filter(**{field: audience})
            .select_related("author")
            .prefetch_related("attachments")
            .prefetch_related(
                Prefetch("homework", queryset=Homework.objects.order_by("due_date", "pk"))
            )
            .order_by("date", "start_time", "pk")
        )
        kind = "classe" if field == "school_class" else "groupe"
        name = f"cahier-de-textes/archives/{school.uai}/{school_year}/{kind}-{audience.code}.pdf"
        if default_storage.exists(name):
            default_storage.delete(name)
        stored.append(
            default_storage.save(name, ContentFile(archive_pdf(audience=audience, lessons=lessons)))
        )
    return stored
