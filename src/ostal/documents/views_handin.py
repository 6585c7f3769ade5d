"""Pages of the hand-in folders (dépôts de devoirs): the list (with the form to open one,
for teachers), a hand-in (a pupil's own files and upload form; for the teacher, who
handed in, late ones flagged, the zip of all)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.core.params import parse_id
from ostal.core.uploads import file_response
from ostal.directory.models import Person, Profile
from ostal.documents import handins
from ostal.documents.archive import hand_in_zip
from ostal.homework.models import Homework


def _user(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _deadline(raw: str) -> datetime:
    try:
        naive = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError("Indiquez la date et l'heure limites (jj/mm/aaaa hh:mm).") from None
    if not 2000 <= naive.year <= 2100:
        raise ValidationError("Cette date limite n'est pas plausible.")
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


@login_required
def hand_in_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    classes = handins.classes_for(user)
    if request.method == "POST":
        if not classes:
            raise Http404
        school_class = next(
            (c for c in classes if c.pk == parse_id(request.POST.get("school_class"))), None
        )
        homework_id = parse_id(request.POST.get("homework"))
        homework = (
            Homework.objects.filter(pk=homework_id).first() if homework_id is not None else None
        )
        try:
            if school_class is None:
                raise ValidationError("Choisissez une de vos classes.")
            opened = handins.hand_in_open(
                teacher=user,
                school_class=school_class,
                title=request.POST.get("title", ""),
                deadline=_deadline(request.POST.get("deadline", "")),
                homework=homework,
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(
                request, f"Dépôt « {opened.title} » ouvert pour la {opened.school_class}."
            )
            return redirect("documents:hand_in", opened.pk)
    return render(
        request,
        "documents/hand_ins.html",
        {
            "hand_ins": handins.hand_ins_for(user=user),
            "classes": classes,
            "homework_choices": handins.homework_choices(user) if classes else [],
            "now": timezone.localtime(),
        },
    )


@login_required
def hand_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = handins.hand_in_for(user=user, pk=pk)
    if found is None:
        raise Http404
    hand_in, sees_all = found
    context: dict[str, object] = {"hand_in": hand_in, "sees_all": sees_all}
    if sees_all:
        table = handins.hand_in_table(hand_in=hand_in)
        handed = sum(1 for row in table if row.documents)
        context |= {
            "table": table,
            "summary": ngettext(
                "%(n)d élève sur %(total)d a rendu son travail.",
                "%(n)d élèves sur %(total)d ont rendu leur travail.",
                handed,
            )
            % {"n": handed, "total": len(table)},
            "late_count": sum(1 for row in table if row.late),
        }
    elif user.profile == Profile.RELATIVE:
        children = handins.children_in_class(relative=user, school_class_id=hand_in.school_class_id)
        context["children_work"] = [
            (child, handins.own_work(pupil=child, hand_in=hand_in)) for child in children
        ]
    else:
        context["own"] = handins.own_work(pupil=user, hand_in=hand_in)
        context["past_deadline"] = timezone.now() > hand_in.deadline
    return render(request, "documents/hand_in.html", context)


@login_required
@require_POST
def hand_in_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = handins.hand_in_for(user=user, pk=pk)
    if found is None or found[1] or not handins.is_pupil_of_hand_in(user, found[0]):
        raise Http404
    hand_in = found[0]
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "Choisissez au moins un fichier à rendre.")
    kept = 0
    for one in files:
        try:
            handins.hand_in_submit(pupil=user, hand_in=hand_in, upload=one)
            kept += 1
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    if kept:
        late = timezone.now() > hand_in.deadline
        text = ngettext("%(n)d fichier rendu", "%(n)d fichiers rendus", kept) % {"n": kept}
        messages.success(request, text + (" (en retard)." if late else "."))
    return redirect("documents:hand_in", hand_in.pk)


@login_required
def hand_in_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = handins.hand_in_document(user=_user(request), pk=pk)
    if document is None:
        raise Http404
    if not document.downloadable:
        messages.error(
            request,
            f"« {document.name} » ne peut pas être téléchargé : {document.get_scan_display()}.",
        )
        assert document.hand_in_id is not None
        return redirect("documents:hand_in", document.hand_in_id)
    return file_response(
        document.file.open("rb"), name=document.name, content_type=document.content_type
    )


@login_required
def hand_in_archive(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every clean file handed in, as one zip streamed chunk by chunk (teachers only)."""
    found = handins.hand_in_for(user=_user(request), pk=pk)
    if found is None or not found[1]:
        raise Http404
    hand_in = found[0]
    response = StreamingHttpResponse(
        hand_in_zip(handins.hand_in_table(hand_in=hand_in)), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="depot-{hand_in.pk}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
