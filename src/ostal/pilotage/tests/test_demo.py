"""The demo groupement: orders open the demo schools and the statistics have real numbers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ostal.pilotage.demo import pilotage_demo_build
from ostal.pilotage.deployment import school_is_open
from ostal.pilotage.models import Convention, DailyAudience, Order, PilotageRole
from ostal.pilotage.statistics import figures_for


def test_the_demo_deploys_the_member_schools_and_aggregates_activity(world, login):
    """The demo renews the 2018 convention, orders deployment of every member's schools, grants
    pilotage roles to the collectivité agents, and aggregates two weeks of activity."""
    pilotage_demo_build()
    assert Convention.objects.count() == 2
    assert Convention.objects.filter(renews__isnull=False).count() == 1
    assert school_is_open(world.college) and school_is_open(world.lycee)
    assert Order.objects.filter(state__in=Order.COMMITTED).count() >= 2
    role = PilotageRole.objects.get(person=world.agent)
    assert role.role == PilotageRole.Role.MEMBER
    assert DailyAudience.objects.exists()
    end = timezone.localdate() - timedelta(days=1)
    figures = figures_for(world.agent, start=end - timedelta(days=13), end=end)
    assert figures.visits > 0
    assert figures.accounts > 0
    page = login(world.agent).get("/pilotage/statistiques/?jours=30")
    assert page.status_code == 200
    assert page.context["figures"].visits == figures.visits
    assert f"<dd>{figures.visits}</dd>" in page.content.decode()
