"""``manage.py gar_export``: produce, validate and send the GAR snapshot now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_export


class Command(BaseCommand):
    help = "Exporte l'annuaire vers le GAR (instantané complet), le valide et le dépose."

    def handle(self, *args: Any, **options: Any) -> None:
        run = gar_export(trigger=GarExportRun.Trigger.COMMAND)
        for f in run.files:
            self.stdout.write(f"{f['name']}\t{f['nodes']}")
        for warning in run.warnings:
            self.stderr.write(f"avertissement : {warning}")
        if run.status != GarExportRun.Status.SUCCEEDED:
            errors = "\n".join(run.errors)
            raise CommandError(f"export GAR n° {run.pk} échoué :\n{errors}")
        self.stdout.write(
            self.style.SUCCESS(f"export GAR n° {run.pk} déposé sur {run.delivered_to}")
        )
