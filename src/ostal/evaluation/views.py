"""Pages of marks: a pupil's and a family's marks, a teacher's services, the evaluation
form and its mark grid, a class's averages, the school's periods."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.core.params import parse_id
from ostal.directory.models import Person, Profile
from ostal.evaluation import services
from ostal.evaluation.abilities import can_choose_periods, can_unlock_period
from ostal.evaluation.forms import EvaluationForm, PeriodsForm
from ostal.evaluation.models import Period
from ostal.evaluation.periods import default_ranges
from ostal.evaluation.selectors import (
    class_for_marks_reader,
    class_table,
    council_lock_of,
    evaluation_for_marker,
    evaluation_stats,
    grid_of,
    periods_of,
    pupil_report,
    readable_classes,
    service_for_teacher,
    service_table,
    teaching_services,
)
from ostal.territory.models import School


def _period_index(request: HttpRequest) -> int | None:
    return parse_id(request.GET.get("periode"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Pupils: their marks; parents: each child's; staff: their services and classes."""
    user: Person = request.user  # type: ignore[assignment]
    index = _period_index(request)
    if user.profile == Profile.PUPIL:
        reports = [pupil_report(pupil=user, period_index=index)]
        return render(request, "evaluation/family.html", {"reports": reports, "own": True})
    if user.profile == Profile.RELATIVE:
        children = request.ostal.children  # type: ignore[attr-defined]
        reports = [
            pupil_report(pupil=c.pupil, school_class=c.school_class, period_index=index)
            for c in children
        ]
        return render(request, "evaluation/family.html", {"reports": reports, "own": False})
    schools = [s for s in request.ostal.schools if can_choose_periods(user, s)]  # type: ignore[attr-defined]
    return render(
        request,
        "evaluation/staff.html",
        {
            "services": teaching_services(teacher=user),
            "classes": readable_classes(user=user),
            "period_schools": schools,
        },
    )


@login_required
def service(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher's service (class or group × subject): its evaluations and the table of
    marks of the period with each pupil's average."""
    user: Person = request.user  # type: ignore[assignment]
    found = service_for_teacher(teacher=user, pk=pk)
    if found is None:
        raise Http404
    table = service_table(service=found, period_index=_period_index(request))
    return render(request, "evaluation/service.html", {"service": found, "table": table})


@login_required
def evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Person = request.user  # type: ignore[assignment]
    found = service_for_teacher(teacher=user, pk=pk)
    if found is None:
        raise Http404
    audience = found.school_class or found.group
    form = EvaluationForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_create(
                teacher=user,
                audience=audience,  # type: ignore[arg-type]
                subject=found.subject,  # type: ignore[arg-type]
                day=data["day"],
                title=data["title"],
                scale=data["scale"],
                coefficient=data["coefficient"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Évaluation créée : saisissez les notes."))
            return redirect("evaluation:grid", evaluation.pk)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"form": form, "service": found, "evaluation": None},
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    mapping = {"date": "day"}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            name = mapping.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Person = request.user  # type: ignore[assignment]
    evaluation = evaluation_for_marker(user=user, pk=pk)
    if evaluation is None:
        raise Http404
    initial = {
        "day": evaluation.date,
        "title": evaluation.title,
        "scale": evaluation.scale,
        "coefficient": evaluation.coefficient,
    }
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_update(
                teacher=user,
                evaluation=evaluation,
                day=data["day"],
                title=data["title"],
                scale=data["scale"],
                coefficient=data["coefficient"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Évaluation modifiée."))
            return redirect("evaluation:grid", evaluation.pk)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"form": form, "service": None, "evaluation": evaluation},
    )


@login_required
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The mark grid: one input per pupil, in the roster's order (Tab goes down the
    column); saved whole or not at all, every unreadable cell named."""
    user: Person = request.user  # type: ignore[assignment]
    evaluation = evaluation_for_marker(user=user, pk=pk)
    if evaluation is None:
        raise Http404
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        cells: dict[int, str] = {}
        for key in request.POST:
            if key.startswith("mark-"):
                pupil_id = parse_id(key.removeprefix("mark-"))
                if pupil_id is None:
                    continue
                value = str(request.POST.get(key, ""))[:20]
                cells[pupil_id] = value
                typed[str(pupil_id)] = value
        try:
            changed = services.marks_save(teacher=user, evaluation=evaluation, cells=cells)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                errors = {"": " ".join(exc.messages)}
        else:
            messages.success(
                request,
                ngettext("%(n)d note enregistrée.", "%(n)d notes enregistrées.", changed)
                % {"n": changed}
                if changed
                else _("Aucune note modifiée."),
            )
            return redirect("evaluation:grid", evaluation.pk)
    rows = [
        {
            "pupil": row.pupil,
            "value": typed.get(str(row.pupil.pk), row.typed),
            "error": errors.get(str(row.pupil.pk), ""),
        }
        for row in grid_of(evaluation=evaluation)
    ]
    return render(
        request,
        "evaluation/grid.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "errors": errors,
            "stats": evaluation_stats(evaluation=evaluation),
            "services": [
                s
                for s in teaching_services(teacher=user)
                if s.subject_id == evaluation.subject_id
                and (s.school_class_id, s.group_id)
                == (evaluation.school_class_id, evaluation.group_id)
            ][:1],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user: Person = request.user  # type: ignore[assignment]
    evaluation = evaluation_for_marker(user=user, pk=pk)
    if evaluation is None:
        raise Http404
    wanted = request.POST.get("action") != "retirer"
    try:
        services.evaluation_publish(teacher=user, evaluation=evaluation, publish=wanted)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:grid", evaluation.pk)
    messages.success(
        request,
        _("Évaluation publiée : les élèves et leurs familles voient les notes.")
        if wanted
        else _("Publication retirée : les élèves et leurs familles ne voient plus ces notes."),
    )
    return redirect("evaluation:grid", evaluation.pk)


@login_required
def class_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A class's averages per pupil and subject (head teacher, management)."""
    user: Person = request.user  # type: ignore[assignment]
    school_class = class_for_marks_reader(user=user, pk=pk)
    if school_class is None:
        raise Http404
    table = class_table(school_class=school_class, period_index=_period_index(request))
    return render(
        request,
        "evaluation/class.html",
        {
            "school_class": school_class,
            "table": table,
            "lock": council_lock_of(school_class=school_class, period_index=table.period.index),
            "may_unlock": can_unlock_period(user, school_class),
        },
    )


@login_required
@require_POST
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock (or, for the management, reopen) a class's period after its class council."""
    user: Person = request.user  # type: ignore[assignment]
    school_class = class_for_marks_reader(user=user, pk=pk)
    index = parse_id(request.POST.get("periode"))
    if school_class is None or index is None:
        raise Http404
    try:
        if request.POST.get("action") == "deverrouiller":
            services.period_unlock(actor=user, school_class=school_class, period_index=index)
            messages.success(request, _("Période rouverte : les notes peuvent de nouveau changer."))
        else:
            services.period_lock(actor=user, school_class=school_class, period_index=index)
            messages.success(
                request, _("Période verrouillée : les notes de cette période ne changent plus.")
            )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('evaluation:class', args=[school_class.pk])}?periode={index}")


@login_required
def periods(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's management chooses trimestres or semestres and their dates."""
    user: Person = request.user  # type: ignore[assignment]
    school = School.objects.filter(pk=pk).first()
    if school is None or not can_choose_periods(user, school):
        raise Http404
    from ostal.directory.models import school_year_of

    year = school_year_of(timezone.localdate())
    current = periods_of(school=school, school_year=year)
    initial: dict[str, Any] = {"kind": current[0].kind}
    for p in current:
        initial[f"start_{p.index}"], initial[f"end_{p.index}"] = p.start, p.end
    form = PeriodsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = 3 if data["kind"] == Period.Kind.TRIMESTER else 2
        ranges = []
        for i in range(1, count + 1):
            start, end = data.get(f"start_{i}"), data.get(f"end_{i}")
            if start is None or end is None:
                form.add_error(
                    f"start_{i}" if start is None else f"end_{i}", _("Indiquez cette date.")
                )
            ranges.append((start, end))
        if not form.errors:
            try:
                services.periods_set(
                    actor=user,
                    school=school,
                    school_year=year,
                    kind=data["kind"],
                    ranges=ranges,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("Périodes enregistrées."))
                return redirect("evaluation:periods", school.pk)
    return render(
        request,
        "evaluation/periods.html",
        {
            "school": school,
            "form": form,
            "periods": current,
            "year": year,
            "defaults": {
                "trimester": default_ranges(year, Period.Kind.TRIMESTER),
                "semester": default_ranges(year, Period.Kind.SEMESTER),
            },
        },
        status=400 if form.errors else 200,
    )
