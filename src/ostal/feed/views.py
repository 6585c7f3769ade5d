"""Admin pages of the directory feed: the import runs, each report, the progress of a
running import, and (for region admins) launching an import of the newest delivery."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from huey.contrib.djhuey import HUEY

from ostal.core.params import parse_id
from ostal.directory.models import Source
from ostal.feed.report import ACTIONS
from ostal.feed.selectors import import_scope_of, run_for_viewer, runs_visible_to
from ostal.feed.tasks import aaf_import_job, newest_delivery

CATEGORY_LABELS = {
    "EtabEducNat": gettext_lazy("Établissements"),
    "MatiereEducNat": gettext_lazy("Matières"),
    "MefEducNat": gettext_lazy("MEF"),
    "Eleve": gettext_lazy("Élèves"),
    "PersRelEleve": gettext_lazy("Responsables"),
    "PersEducNat": gettext_lazy("Personnels"),
}


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    scope = import_scope_of(request.user)
    if scope == set():
        raise Http404
    runs = runs_visible_to(request.user)[:100]  # type: ignore[arg-type]
    sources = Source.objects.exclude(kind=Source.Kind.LOCAL) if scope is None else []
    return render(
        request,
        "feed/run_list.html",
        {
            "runs": runs,
            "sources": sources,
            "full_scope": scope is None,
        },
    )


def _rows(counts: dict[str, dict[str, int]]) -> list[tuple[str, list[int]]]:
    return [
        (str(CATEGORY_LABELS.get(c, c)), [v.get(a, 0) for a in ACTIONS]) for c, v in counts.items()
    ]


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    found = run_for_viewer(viewer=request.user, run_id=run_id)  # type: ignore[arg-type]
    if found is None:
        raise Http404
    run, report = found
    progress: dict[str, Any] | None = None
    if run.status == run.Status.RUNNING:
        progress = HUEY.get(run.progress_key, peek=True)
    schools = [(uai, _rows(cats)) for uai, cats in sorted(report.get("schools", {}).items())]
    return render(
        request,
        "feed/run_detail.html",
        {
            "run": run,
            "report": report,
            "progress": progress,
            "actions": ACTIONS,
            "totals": _rows(report.get("counts", {})),
            "schools": schools,
        },
    )


@login_required
@require_POST
def run_launch(request: HttpRequest) -> HttpResponse:
    if import_scope_of(request.user) is not None:
        raise Http404
    source_id = parse_id(request.POST.get("source"))
    source = (
        Source.objects.filter(pk=source_id).exclude(kind=Source.Kind.LOCAL).first()
        if source_id
        else None
    )
    if source is None:
        messages.error(request, _("Source inconnue."))
        return redirect("feed:runs")
    path = newest_delivery(source)
    if path is None:
        messages.error(
            request, _("Aucune livraison en attente pour %(source)s.") % {"source": source.label}
        )
        return redirect("feed:runs")
    dry_run = request.POST.get("dry_run") == "1"
    aaf_import_job(source.pk, str(path), dry_run, request.user.pk)
    messages.success(
        request,
        _("Import de %(name)s lancé%(dry)s.")
        % {"name": path.name, "dry": _(" en simulation") if dry_run else ""},
    )
    return redirect("feed:runs")
