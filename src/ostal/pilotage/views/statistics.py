"""The usage statistics page (charts with their tables), and its CSV exports."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ostal.core.audience import service_label
from ostal.core.params import parse_id
from ostal.pilotage.charts import bar_chart
from ostal.pilotage.selectors import members_visible_to
from ostal.pilotage.statistics import figures_for, national_audience_rows, percent, rate
from ostal.pilotage.views.common import require_role

PERIODS = (7, 30, 90, 365)


def _period(request: HttpRequest) -> tuple[date, date, int]:
    days = parse_id(request.GET.get("jours"))
    n = days if days in PERIODS else 30
    end = timezone.localdate() - timedelta(days=1)
    return end - timedelta(days=n - 1), end, n


def _member_id(request: HttpRequest, members: list) -> int | None:  # type: ignore[type-arg]
    wanted = request.GET.get("membre", "")
    return next((m.pk for m in members if str(m.pk) == wanted), None)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    require_role(request)
    start, end, days = _period(request)
    members = list(members_visible_to(request.user).order_by("kind", "code"))
    member_id = _member_id(request, members)
    figures = figures_for(request.user, start=start, end=end, member_id=member_id)
    services = [(service_label(s), v, u) for s, v, u in figures.by_service]
    rates = [(p, 100 * b / a if a else 0.0) for p, _v, _u, a, b in figures.by_profile]
    charts = {
        "days": bar_chart(
            key="jours",
            title=_("Visites par jour"),
            description=_("Nombre de pages vues chaque jour du %(start)s au %(end)s.")
            % {"start": date_format(start, "d/m/Y"), "end": date_format(end, "d/m/Y")},
            items=[(date_format(d, "d/m"), n) for d, n in figures.by_day],
            horizontal=False,
            value_title=_("Visites"),
            category_title=_("Jour"),
        ),
        "services": bar_chart(
            key="services",
            title=_("Visites par service"),
            description=_(
                "Nombre de pages vues par service sur la période, du plus consulté au moins consulté."
            ),
            items=[(label, v) for label, v, _u in services[:12]],
            horizontal=True,
            value_title=_("Visites"),
            category_title=_("Service"),
        ),
        "profiles": bar_chart(
            key="profils",
            title=_("Taux d'activation des comptes par profil (%)"),
            description=_(
                "Part des comptes existants qui sont activés, en pourcentage, par profil."
            ),
            items=rates,
            horizontal=True,
            value_title=_("Comptes activés (%)"),
            category_title=_("Profil"),
            fmt=percent,
            unit=" %",
            fixed_max=100,
        ),
    }
    return render(
        request,
        "pilotage/statistics.html",
        {
            "figures": figures,
            "charts": charts,
            "members": members,
            "member_id": member_id,
            "days": days,
            "periods": PERIODS,
            "service_rows": services,
            "profile_rows": [(p, v, u, a, b, rate(b, a)) for p, v, u, a, b in figures.by_profile],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    require_role(request)
    start, end, _days = _period(request)
    members = list(members_visible_to(request.user))
    figures = figures_for(
        request.user, start=start, end=end, member_id=_member_id(request, members)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiques-{start}-{end}.csv"'
    response.write("\ufeff")
    out = csv.writer(response, delimiter=";")
    out.writerow(
        [
            "uai",
            "etablissement",
            "visites",
            "comptes_actifs",
            "comptes",
            "comptes_actives",
            "taux_activation",
        ]
    )
    for row in figures.by_school:
        out.writerow(
            [
                row["school"].uai,
                row["school"].name,
                row["visits"],
                row["visitors"],
                row["accounts"],
                row["activated"],
                row["rate"],
            ]
        )
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def national_audience_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Raw pseudonymised events shaped like the national audience measurement (DNMA)."""
    require_role(request)
    start, end, _days = _period(request)
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(
            ["horodatage", "service", "uai", "profil", "identifiant_pseudonymise"]
        )
        for row in national_audience_rows(request.user, start=start, end=end):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mesure-audience-{start}-{end}.csv"'
    return response
