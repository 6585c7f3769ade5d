"""Build the demo world through the directory feed (embedded profile only) and print the
demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ostal.directory.models import Person
from ostal.feed.demo import DEMO_PASSWORD, DemoLogin, build_demo, saved_logins
from ostal.territory.models import School


def print_logins(write: Any, logins: list[DemoLogin]) -> None:
    """The demo logins, one a line, under the demo password."""
    write("")
    write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
    for login in logins:
        write(f"  {login.username:<24} {login.role}")


class Command(BaseCommand):
    help = "Construit la démonstration (livraison AAF synthétique importée) et affiche les comptes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="ne rien faire si des établissements existent déjà",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("Données déjà présentes : démonstration non rechargée.")
            logins = saved_logins() or [
                DemoLogin(p.username, p.get_profile_display())
                for p in Person.objects.filter(state=Person.State.ACTIVE, is_staff=False).order_by(
                    "pk"
                )[:10]
            ]
        else:
            logins = build_demo(progress=lambda line: self.stdout.write(f"» {line}…"))
        print_logins(self.stdout.write, logins)
