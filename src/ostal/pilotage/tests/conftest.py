"""The groupement as the convention constitutes it: the Région coordinating, 15 other
members, a framework agreement in force, and the people who pilot it.

Dates are relative to today so the rules hold whatever day the suite runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import Person, Profile
from ostal.pilotage import services
from ostal.pilotage.models import Convention, FrameworkAgreement, Membership, Order, PilotageRole
from ostal.territory.factories import SchoolFactory
from ostal.territory.models import Authority, School


@dataclass
class Groupement:
    convention: Convention
    agreement: FrameworkAgreement
    region: Authority
    herault: Authority
    aveyron: Authority
    academy: Authority
    college: School
    college2: School
    aveyron_college: School
    coordinator: Person
    member_staff: Person
    other_member_staff: Person
    auditor: Person
    today: date

    def membership(self, authority: Authority) -> Membership:
        return self.convention.memberships.get(authority=authority)

    def persona(self, name: str, world: World) -> Person | None:
        if name == "anonymous":
            return None
        if hasattr(world, name):
            return world.persona(name)
        return getattr(self, name)

    def order(
        self, *, member: Authority | None = None, actor: Person | None = None, **kw: Any
    ) -> Order:
        member = member or self.herault
        defaults: dict[str, Any] = {
            "kind": Order.Kind.DEPLOYMENT,
            "title": "Déploiement de l'ENT",
            "lump_sum_amount": Decimal("1000.00"),
            "recurring_amount": Decimal("500.00"),
            "starts_on": self.today - timedelta(days=30),
            "ends_on": self.today + timedelta(days=300),
            "schools": [self.college] if member == self.herault else [],
        }
        defaults.update(kw)
        return services.order_create(
            member=member, agreement=self.agreement, actor=actor or self.member_staff, **defaults
        )


def _staff(username: str, first: str, last: str) -> Person:
    return factories.PersonFactory(
        profile=Profile.AUTHORITY_STAFF,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        password=PASSWORD,
    )


@pytest.fixture
def groupement(world: World) -> Groupement:
    today = timezone.localdate()
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    herault = Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code="34")
    aveyron = Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code="12")
    convention = services.convention_create(
        title="Convention constitutive du groupement ENT",
        coordinator=region,
        notified_on=today - timedelta(days=730),
        latest_end_on=today + timedelta(days=3 * 365 + 30),
    )
    for authority in Authority.objects.filter(is_groupement_member=True):
        services.membership_adhere(
            convention=convention, authority=authority, signed_on=convention.notified_on
        )
    agreement = services.agreement_create(
        convention=convention, reference="AC-ENT", title="ENT Occitanie", contractor="Titulaire SA"
    )
    services.agreement_notify(agreement=agreement, notified_on=today - timedelta(days=365))
    college2 = SchoolFactory(
        uai="0343333C", kind=School.Kind.COLLEGE, name="Collège Jean Moulin", department_code="34"
    )
    aveyron_college = SchoolFactory(
        uai="0124444D", kind=School.Kind.COLLEGE, name="Collège de Rodez", department_code="12"
    )
    coordinator = _staff("coord", "Nadia", "Benali")
    other = _staff("autre.dep", "Paul", "Vidal")
    auditor = _staff("auditeur", "Anne", "Marty")
    member_staff = world.agent
    member_staff.email = "agent@example.org"
    member_staff.save(update_fields=["email"])
    services.pilotage_role_grant(
        person=coordinator, authority=region, role=PilotageRole.Role.COORDINATOR
    )
    services.pilotage_role_grant(
        person=member_staff, authority=herault, role=PilotageRole.Role.MEMBER
    )
    services.pilotage_role_grant(person=other, authority=aveyron, role=PilotageRole.Role.MEMBER)
    services.pilotage_role_grant(person=auditor, authority=region, role=PilotageRole.Role.AUDITOR)
    return Groupement(
        convention=convention,
        agreement=agreement,
        region=region,
        herault=herault,
        aveyron=aveyron,
        academy=Authority.objects.get(kind=Authority.Kind.ACADEMY, code="11"),
        college=world.college,
        college2=college2,
        aveyron_college=aveyron_college,
        coordinator=coordinator,
        member_staff=member_staff,
        other_member_staff=other,
        auditor=auditor,
        today=today,
    )


@pytest.fixture(autouse=True)
def _forget_deployment_cache() -> Any:
    """Deployment answers are cached per school id; ids are reused between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
