"""Load (or refresh) the territory of the deployment from its data file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ostal.territory.services import TerritoryDataError, territory_load_file


class Command(BaseCommand):
    help = "Charge le territoire (région, académies, départements, établissements) depuis un fichier JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", default=settings.OSTAL_TERRITORY_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = territory_load_file(path=Path(options["file"]))
        except TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Territoire chargé : {counts['authorities']} autorités, {counts['schools']} "
            f"établissements ({counts['attached']} rattachés), {counts['sources']} sources "
            "d'annuaire."
        )
