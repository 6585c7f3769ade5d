"""Statistics charts people can read (issue 15, item 10): drawn at their own size with text
of at least 12 px, both axes drawn and titled, the same units as their tables (visits, per
cent), services named by their French label from the one registry of Ostal's services, and
an accessible text alternative (role="img" named by title and description, the data table
right after)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.utils import timezone

from ostal.core.audience import AUDIENCE_SERVICES
from ostal.core.models import AudienceEvent
from ostal.pilotage.demo import pilotage_demo_build
from ostal.pilotage.models import DailyAudience
from ostal.pilotage.services import audience_aggregate_day

URL = "/pilotage/statistiques/"


def _seed(world) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=10)
    events = [("messagerie", f"p{i}") for i in range(5)] + [("cahier-de-textes", "t")]
    events += [("vieux-service", "x")]  # a key no longer in the registry (older data)
    AudienceEvent.objects.bulk_create(
        AudienceEvent(at=at, uai=world.college.uai, profile="ELV", service=s, pseudonym=who)
        for s, who in events
    )
    audience_aggregate_day(day=yesterday)


def _charts(html: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", html, flags=re.S)


def test_charts_are_drawn_at_their_size_with_readable_text(groupement, world, login) -> None:
    """Each chart is displayed at its own size (never scaled down) with 14 px text."""
    _seed(world)
    html = login(groupement.member_staff).get(URL).content.decode()
    charts = _charts(html)
    assert len(charts) == 3
    for svg in charts:
        width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()
        assert f'width="{width}" height="{height}"' in svg
        assert int(re.search(r'font-size="(\d+)"', svg).group(1)) >= 12
    assert ".chart__svg text { font-size: 14px;" in _css(login)


def _css(login) -> str:
    from pathlib import Path

    import ostal.web

    return (Path(ostal.web.__file__).parent / "static" / "web" / "ostal.css").read_text()


def test_charts_have_titled_axes_with_graduations(groupement, world, login) -> None:
    """Both axes are drawn and titled, the value axis graduated in the table's unit."""
    _seed(world)
    response = login(groupement.member_staff).get(URL)
    days, services, profiles = _charts(response.content.decode())
    for svg, value_title, category_title in (
        (days, "Visites", "Jour"),
        (services, "Visites", "Service"),
        (profiles, "Comptes activés (%)", "Profil"),
    ):
        assert svg.count("<line") >= 2 + 2  # two axes, at least two graduations
        assert f'class="chart__axis-title">{value_title}</text>' in svg
        assert f'class="chart__axis-title">{category_title}</text>' in svg
    assert ">100 %</text>" in profiles and ">50 %</text>" in profiles
    assert response.context["charts"]["days"].ticks[0].text == "0"


def test_activation_is_in_per_cent_in_the_chart_as_in_the_table(groupement, world, login) -> None:
    """The activation chart shows the same « 100,0 % » as the profile table, never ‰."""
    _seed(world)
    response = login(groupement.member_staff).get(URL)
    html = response.content.decode()
    assert "‰" not in html
    rows = response.context["profile_rows"]
    assert rows, "the world's accounts give at least one profile"
    profiles = _charts(html)[2]
    for label, *_counts, rate in rows:
        assert f"<title>{label} : {rate}</title>" in profiles
        assert f'class="chart__value">{rate}</text>' in profiles


def test_services_are_named_by_their_french_label(groupement, world, login) -> None:
    """Services appear by their label (« Messagerie »), in the chart and the table; a key
    unknown to the registry is shown as stored."""
    _seed(world)
    html = login(groupement.member_staff).get(URL).content.decode()
    services = _charts(html)[1]
    assert "<title>Messagerie : 5</title>" in services
    assert "<title>Cahier de textes : 1</title>" in services
    table = html.split("<caption>Par service</caption>")[1].split("</table>")[0]
    assert '<th scope="row">Messagerie</th>' in table
    assert '<th scope="row">Cahier de textes</th>' in table
    assert '<th scope="row">vieux-service</th>' in table
    assert ">cahier-de-textes<" not in html and ">messagerie<" not in html
    assert set(DailyAudience.objects.values_list("service", flat=True)) == {
        "messagerie",
        "cahier-de-textes",
        "vieux-service",
    }


def test_each_chart_has_a_text_alternative_and_its_table_next(groupement, world, login) -> None:
    """Each SVG is role="img" named by its title and description, and its table follows it."""
    _seed(world)
    html = login(groupement.member_staff).get(URL).content.decode()
    for key, caption in (
        ("jours", "Visites par jour"),
        ("services", "Par service"),
        ("profils", "Par profil"),
    ):
        svg = re.search(
            r'<svg role="img" aria-labelledby="([^"]+)"[^>]*>.*?</svg>',
            html.split(f"chart-{key}-heading")[2],
            flags=re.S,
        )
        assert svg is not None
        title_id, desc_id = svg.group(1).split()
        assert f'<title id="{title_id}">' in svg.group(0) and f'<desc id="{desc_id}">' in svg.group(
            0
        )
        after = html.split(svg.group(0))[1]
        assert after.index(f"<caption>{caption}</caption>") < after.index("</section>")


def test_the_demo_counts_only_services_ostal_has(world) -> None:
    """The demo's audience uses only the registry's services (no « vie-scolaire »)."""
    pilotage_demo_build()
    used = set(AudienceEvent.objects.values_list("service", flat=True))
    assert used and used <= set(AUDIENCE_SERVICES)
    assert set(DailyAudience.objects.values_list("service", flat=True)) <= set(AUDIENCE_SERVICES)
