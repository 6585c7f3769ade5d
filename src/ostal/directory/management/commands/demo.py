"""Build the demo world (embedded profile only) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ostal.directory.demo import DEMO_PASSWORD, build_demo
from ostal.territory.models import School


class Command(BaseCommand):
    help = "Construit les données de démonstration et affiche les identifiants de démonstration."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="ne rien faire si des établissements existent déjà",
        )
        parser.add_argument("--pupils-per-class", type=int, default=12)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("Données déjà présentes : démonstration non rechargée.")
            from ostal.directory.models import Person

            logins = [
                (p.username, p.get_profile_display())
                for p in Person.objects.filter(username__in=DEMO_USERNAMES)
            ]
        else:
            logins = [
                (d.username, d.role)
                for d in build_demo(pupils_per_class=options["pupils_per_class"])
            ]
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, role in logins:
            self.stdout.write(f"  {username:<16} {role}")


DEMO_USERNAMES = [
    "sophie.martin",
    "lea.martin",
    "hugo.martin",
    "paul.vidal",
    "claire.fabre",
    "julien.roux",
    "nadia.benali",
]
