"""Import an AAF delivery (file, directory, .tgz or .zip) for one directory source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ostal.directory.models import Source
from ostal.feed.report import ACTIONS
from ostal.feed.services import ImportRefused, aaf_import


class Command(BaseCommand):
    help = "Importe une livraison AAF (complète ou delta) ; --dry-run montre les changements sans les appliquer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="fichier, répertoire, .tgz ou .zip")
        parser.add_argument(
            "--source", required=True, help="code de la source (ex. ac-montpellier)"
        )
        parser.add_argument("--dry-run", action="store_true", help="calculer sans écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Source.objects.filter(code=options["source"]).first()
        if source is None:
            known = ", ".join(Source.objects.values_list("code", flat=True)) or "aucune"
            raise CommandError(f"Source « {options['source']} » inconnue (sources : {known}).")
        tty = sys.stdout.isatty()

        def progress(state: dict[str, Any]) -> None:
            line = f"{state['file']}: {state['records']} enregistrements, {state['rate']:.0f}/s"
            if state.get("done"):
                self.stdout.write(("\r" if tty else "") + line)
            elif tty:
                self.stdout.write("\r" + line, ending="")
                self.stdout.flush()

        try:
            run, report = aaf_import(
                source=source,
                path=Path(options["path"]),
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        if report is None:
            raise CommandError(f"Import refusé, rien n'a été appliqué : {run.error}")
        title = "Simulation (rien n'a été écrit)" if report.dry_run else "Import appliqué"
        self.stdout.write(
            f"\n{title} — {report.kind}, année scolaire {report.school_year}, "
            f"{report.seconds:.1f} s, rapport n° {run.pk}"
        )
        for category, counts in report.counts.items():
            figures = ", ".join(f"{a} {counts[a]}" for a in ACTIONS if counts.get(a))
            self.stdout.write(f"  {category:<15} {figures}")
        if report.archived_classes:
            self.stdout.write(f"  classes archivées (rentrée) : {report.archived_classes}")
        if report.relatives_linked_later:
            self.stdout.write(
                f"  liens élève–responsable établis : {report.relatives_linked_later}"
            )
        for code, n in report.warning_counts.most_common():
            self.stdout.write(f"  avertissement {code} : {n}")
