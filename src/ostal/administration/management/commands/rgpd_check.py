"""``manage.py rgpd_check``: list the models that hold personal data (by the rule of
``ostal.core.rgpd.personal_reasons``) and that no ``<app>/rgpd.py`` declares, with the
reasons; exit status 1 if there is any (or if a declaration names an unknown model)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ostal.core.rgpd import declarations, undeclared_personal_models, unknown_declared_models


class Command(BaseCommand):
    help = "Models with personal data that no RGPD declaration names (docs/rgpd.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        found = declarations()
        missing = undeclared_personal_models(found)
        unknown = unknown_declared_models(found)
        for label, reasons in sorted(missing.items()):
            self.stdout.write(f"{label}: {', '.join(reasons)}")
        for label in sorted(unknown):
            self.stdout.write(f"{label}: declared but no such model")
        if missing or unknown:
            raise CommandError(
                f"{len(missing)} undeclared model(s), {len(unknown)} unknown label(s): "
                "add them to a processing in <app>/rgpd.py (docs/rgpd.md)"
            )
        self.stdout.write(f"{len(found.processings)} processings declare every personal model.")
