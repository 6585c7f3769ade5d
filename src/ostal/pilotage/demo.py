"""The demo groupement: the convention of 2018 and its renewal, the 16 members, a framework
agreement in force, pilotage roles for the demo's collectivité agents, a deployment order
per collectivité covering its demo schools, an open consultation, and two weeks of audience
activity aggregated so the statistics page shows real numbers.

Deterministic (seeded); called once by ``ostal.feed.demo.build_demo``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ostal.core.audience import pseudonymise
from ostal.core.models import AudienceEvent
from ostal.directory.models import Affiliation, AuthorityRole, Profile, Source
from ostal.directory.services import person_create
from ostal.pilotage import services
from ostal.pilotage.models import Order, PilotageRole
from ostal.pilotage.selectors import deployable_schools
from ostal.territory.models import Authority

# Services of the registry (``ostal.core.audience.AUDIENCE_SERVICES``) people visit daily.
SERVICES = ("portail", "messagerie", "cahier-de-textes", "emploi-du-temps")
FAMILY_SERVICES = ("portail", "messagerie", "emploi-du-temps")
ACTIVITY_DAYS = 14


def pilotage_demo_build(*, logins: list[Any] | None = None) -> None:
    today = timezone.localdate()
    region = Authority.objects.filter(is_coordinator=True).first()
    if region is None:
        return
    original = services.convention_create(
        title="Convention constitutive du groupement de commande ENT (2018)",
        reference="082-228200010-20180828-CP2018_08_18-DE",
        coordinator=region,
        notified_on=date(2018, 9, 27),
        latest_end_on=date(2023, 12, 31),
    )
    members = list(Authority.objects.filter(is_groupement_member=True).order_by("kind", "code"))
    for authority in members:
        services.membership_adhere(
            convention=original, authority=authority, signed_on=original.notified_on
        )
    first = services.agreement_create(
        convention=original,
        reference="AC-ENT-2019",
        title="ENT Occitanie",
        contractor="Titulaire 2019",
    )
    services.agreement_notify(agreement=first, notified_on=date(2019, 6, 3))
    convention = services.convention_renew(
        convention=original,
        title="Convention constitutive du groupement de commande ENT (renouvelée)",
        notified_on=today - timedelta(days=330),
        latest_end_on=today + timedelta(days=4 * 365 + 60),
    )
    agreement = services.agreement_create(
        convention=convention,
        reference="AC-ENT-2025",
        title="ENT Occitanie",
        contractor="Titulaire SAS",
    )
    services.agreement_notify(agreement=agreement, notified_on=today - timedelta(days=300))

    staff: dict[int, Any] = {}
    for role in AuthorityRole.objects.filter(authority__is_groupement_member=True).select_related(
        "person", "authority"
    ):
        kind = (
            PilotageRole.Role.COORDINATOR
            if role.authority.is_coordinator
            else PilotageRole.Role.MEMBER
        )
        services.pilotage_role_grant(person=role.person, authority=role.authority, role=kind)
        staff.setdefault(role.authority_id, role.person)
    coordinator = staff.get(region.pk)

    for authority in members:
        # Art. 7: collectivités order for the schools in their charge (the Région also for
        # the DRAAF's lycées agricoles); the DRAAF and the académies order no deployment.
        schools = list(deployable_schools(authority))
        actor = staff.get(authority.pk)
        if not schools:
            continue
        if actor is None:
            # Members without a demo login get an agent of their own (no password).
            actor = person_create(
                profile=Profile.AUTHORITY_STAFF,
                first_name="Agent",
                last_name=authority.name,
                source=Source.objects.get(code="local"),
            )
            services.pilotage_role_grant(
                person=actor, authority=authority, role=PilotageRole.Role.MEMBER
            )
        order = services.order_create(
            member=authority,
            agreement=agreement,
            kind=Order.Kind.DEPLOYMENT,
            title=f"Déploiement de l'ENT — {authority.name}",
            lump_sum_amount=Decimal("1850.00") * len(schools),
            recurring_amount=Decimal("720.00") * len(schools),
            starts_on=agreement.notified_on or today,
            ends_on=agreement.ends_on or today,
            schools=schools,
            actor=actor,
        )
        services.order_transition(
            order=order, to_state=Order.State.NOTIFIED, actor=actor, on=order.starts_on
        )
        if authority.is_coordinator:
            services.order_transition(order=order, to_state=Order.State.VERIFIED, actor=actor)

    if coordinator is not None:
        services.consultation_open(
            convention=convention,
            title="Analyse des offres — lot « médiacentre »",
            sent_at=timezone.now() - timedelta(days=5),
            actor=coordinator,
        )
    _audience_activity(today)


def _audience_activity(today: date) -> None:
    """Two weeks of page views by the demo schools' people, then their daily aggregates."""
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    people: dict[str, list[tuple[str, str]]] = {}
    for uai, pk, profile in Affiliation.objects.values_list("school__uai", "person_id", "profile"):
        people.setdefault(uai, []).append((pseudonymise(pk), profile))
    tz = timezone.get_default_timezone()
    events = []
    for offset in range(ACTIVITY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        weekend = day.weekday() >= 5
        for uai, persons in people.items():
            visitors = rng.sample(persons, k=max(1, len(persons) // (12 if weekend else 4)))
            for pseudonym, profile in visitors:
                for _ in range(rng.randint(1, 4)):
                    service = rng.choice(
                        FAMILY_SERVICES if profile == Profile.RELATIVE else SERVICES
                    )
                    at = datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)), tz)
                    events.append(
                        AudienceEvent(
                            at=at, service=service, uai=uai, profile=profile, pseudonym=pseudonym
                        )
                    )
    AudienceEvent.objects.bulk_create(events, batch_size=1000)
    services.audience_aggregate_range(
        start=today - timedelta(days=ACTIVITY_DAYS), end=today - timedelta(days=1)
    )
