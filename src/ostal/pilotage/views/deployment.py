"""The deployment dashboard: each school by state (open, ordered, not open), per member."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ostal.pilotage.deployment import deployment_states
from ostal.pilotage.selectors import deployment_scope, members_visible_to
from ostal.pilotage.views.common import require_role


@login_required
def deployment_dashboard(request: HttpRequest) -> HttpResponse:
    require_role(request)
    members = list(members_visible_to(request.user).order_by("kind", "code"))
    chosen = next((m for m in members if str(m.pk) == request.GET.get("membre")), None)
    states = deployment_states(deployment_scope(request.user, chosen))
    by_member: dict[int, Counter[str]] = {}
    for s in states:
        by_member.setdefault(s.school.responsible_authority_id or 0, Counter())[s.state] += 1
    summary = [(m, by_member.get(m.pk, Counter())) for m in members if m.pk in by_member]
    return render(
        request,
        "pilotage/deployment.html",
        {
            "members": members,
            "chosen": chosen,
            "states": states,
            "summary": summary,
            "totals": Counter(s.state for s in states),
        },
    )
