"""Usage statistics: daily aggregates of the audience events, by school, member, profile and
service; accounts and activation rate; the page, the CSV and the national-audience export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from ostal.core.models import AudienceEvent
from ostal.pilotage.models import DailyAccounts, DailyAudience
from ostal.pilotage.services import audience_aggregate_day


def _event(at, uai, profile="ELV", service="portail", who="p1"):
    return AudienceEvent(at=at, uai=uai, profile=profile, service=service, pseudonym=who)


def test_a_day_is_aggregated_per_school_profile_and_service_in_paris_time(groupement, world):
    """Visits count events, active accounts count distinct pseudonyms; the day is the Paris day
    (23:30 UTC on the 9th of March is the 10th in Paris)."""
    day = date(2026, 3, 10)
    uai = world.college.uai
    AudienceEvent.objects.bulk_create(
        [
            _event(datetime(2026, 3, 10, 8, 0, tzinfo=UTC), uai, who="a"),
            _event(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), uai, who="a"),
            _event(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), uai, who="b"),
            _event(datetime(2026, 3, 9, 23, 30, tzinfo=UTC), uai, who="c"),
            _event(
                datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
                uai,
                profile="ENS",
                service="cahier",
                who="t",
            ),
            _event(datetime(2026, 3, 10, 23, 30, tzinfo=UTC), uai, who="late"),  # the 11th in Paris
        ]
    )
    assert audience_aggregate_day(day=day) == 2
    pupils = DailyAudience.objects.get(day=day, uai=uai, profile="ELV", service="portail")
    assert (pupils.visits, pupils.visitors) == (4, 3)
    assert pupils.member == groupement.herault
    teachers = DailyAudience.objects.get(day=day, profile="ENS")
    assert (teachers.visits, teachers.visitors, teachers.service) == (1, 1, "cahier")
    # Re-running a day gives the same figures (no double count).
    assert audience_aggregate_day(day=day) == 2
    assert DailyAudience.objects.filter(day=day).count() == 2


def test_the_accounts_snapshot_gives_the_activation_rate(groupement, world):
    """Accounts per school and profile, and how many are activated, on the day."""
    audience_aggregate_day(day=date(2026, 3, 10))
    pupils = DailyAccounts.objects.get(day=date(2026, 3, 10), school=world.college, profile="ELV")
    assert pupils.accounts == 2  # the pupil and the other pupil of the 4B
    assert pupils.activated == 2  # both have a password in the world fixture
    assert pupils.member == groupement.herault


def _seed(world, yesterday):
    at = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=10)
    AudienceEvent.objects.bulk_create(
        [_event(at, world.college.uai, who=f"p{i}") for i in range(7)]
        + [_event(at, world.college.uai, profile="ENS", service="cahier", who="t")]
        + [_event(at, world.lycee.uai, who="lyceen")]
    )
    audience_aggregate_day(day=yesterday)


def test_the_statistics_page_shows_the_aggregates_of_the_members_scope(groupement, world, login):
    """The département's staff see their collège's figures (not the Région's lycée), with the
    SVG charts and their data tables."""
    yesterday = timezone.localdate() - timedelta(days=1)
    _seed(world, yesterday)
    response = login(groupement.member_staff).get("/pilotage/statistiques/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.visits == 8
    assert figures.visitors == 8
    assert [r["school"] for r in figures.by_school] == [world.college]
    html = response.content.decode()
    assert "<svg" in html and '<title id="chart-services-title">' in html
    assert "<caption>Par service</caption>" in html
    coordinator = login(groupement.coordinator).get("/pilotage/statistiques/")
    assert coordinator.context["figures"].visits == 9


def test_the_statistics_csv_lists_each_school(groupement, world, login):
    """The CSV export gives each school's visits, active accounts and activation rate."""
    _seed(world, timezone.localdate() - timedelta(days=1))
    response = login(groupement.member_staff).get("/pilotage/statistiques/etablissements.csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("uai;etablissement;visites")
    assert lines[1].startswith(f"{world.college.uai};Collège Test;8;8;")
    assert len(lines) == 2


def test_the_national_audience_export_has_service_uai_profile_and_pseudonym(
    groupement, world, login
):
    """The DNMA-shaped export: one row per event with service, UAI, national profile and the
    pseudonymised id — never a name — for the schools in scope."""
    _seed(world, timezone.localdate() - timedelta(days=1))
    response = login(groupement.member_staff).get("/pilotage/statistiques/mesure-audience.csv")
    rows = [
        line.split(";")
        for line in b"".join(response.streaming_content).decode().strip().splitlines()
    ]
    assert rows[0] == ["horodatage", "service", "uai", "profil", "identifiant_pseudonymise"]
    assert len(rows) == 9
    assert {r[2] for r in rows[1:]} == {world.college.uai}
    assert {r[3] for r in rows[1:]} == {"National_ELV", "National_ENS"}
