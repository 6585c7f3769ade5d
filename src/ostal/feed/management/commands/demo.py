"""Build the demo world through the directory feed (embedded profile only) and print the
demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ostal.directory.models import Person
from ostal.feed.demo import DEMO_PASSWORD, build_demo
from ostal.territory.models import School


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
            logins = [
                (p.username, p.get_profile_display())
                for p in Person.objects.filter(state=Person.State.ACTIVE, is_staff=False).order_by(
                    "pk"
                )[:10]
            ]
        else:
            logins = [(d.username, d.role) for d in build_demo()]
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, role in logins:
            self.stdout.write(f"  {username:<24} {role}")
