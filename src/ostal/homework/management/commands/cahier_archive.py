"""``manage.py cahier_archive UAI YEAR``: the year-end PDF archive of a school's cahiers de
textes (one tagged PDF per class and group, on the default storage)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostal.homework.tasks import cahier_archive_year
from ostal.territory.models import School


class Command(BaseCommand):
    help = "Archive PDF de fin d'année des cahiers de textes d'un établissement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("uai")
        parser.add_argument("year", type=int, help="année scolaire (2026 = 2026-2027)")

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(uai=options["uai"].upper()).first()
        if school is None:
            raise CommandError(f"Établissement {options['uai']} inconnu.")
        for name in cahier_archive_year(school=school, school_year=options["year"]):
            self.stdout.write(name)
