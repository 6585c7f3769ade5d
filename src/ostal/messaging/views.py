"""Pages of the messagerie: mailboxes, a message and its thread, compose (with a recipient
search limited by the communication rules), the rules matrix and the freeze switch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.core.params import parse_id
from ostal.core.uploads import file_response
from ostal.directory.models import Person, Profile, RelativeLink
from ostal.directory.selectors import children_of
from ostal.messaging import rules_engine, selectors, services
from ostal.messaging.forms import (
    ComposeForm,
    FolderForm,
    FreezeForm,
    compose_errors,
    error_summary,
)
from ostal.messaging.models import Attachment, Delivery, Folder, Freeze, Group, Message, Reach
from ostal.messaging.quota import quota_cached
from ostal.messaging.targets import describe, list_targets
from ostal.territory.models import Authority


def _user(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _page(request: HttpRequest, qs: QuerySet[Any]) -> selectors.Page[Any]:
    """One page of a mailbox. No COUNT(*) on a big mailbox: "previous / next" only."""
    return selectors.page_of(qs, request.GET.get("page"))


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


def _folders(user: Person) -> list[Folder]:
    return selectors.folders(user=user)


def _box(request: HttpRequest, box: str, title: str, folder: Folder | None = None) -> HttpResponse:
    user = _user(request)
    page = _page(request, selectors.mailbox(user=user, box=box, folder=folder))
    return render(
        request,
        "messaging/mailbox.html",
        {
            "page": page,
            "title": title,
            "box": box,
            "folders": _folders(user),
            "folder": folder,
            "quota": quota_cached(user=user),
            "trash_days": settings.MESSAGING_TRASH_DAYS,
            "admin_links": box == Delivery.Box.INBOX and bool(_freeze_scopes(user)),
            "rules_link": box == Delivery.Box.INBOX and bool(selectors.admin_schools(user=user)),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, Delivery.Box.INBOX, "Boîte de réception")


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    return _box(request, Delivery.Box.TRASH, "Corbeille")


@login_required
def folder_view(request: HttpRequest, pk: int) -> HttpResponse:
    folder = get_object_or_404(Folder, pk=pk, owner=_user(request))
    return _box(request, Delivery.Box.FOLDER, f"Dossier « {folder.name} »", folder)


@login_required
@require_POST
def folder_create(request: HttpRequest) -> HttpResponse:
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            folder = services.folder_create(owner=_user(request), name=form.cleaned_data["name"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Dossier « {folder.name} » créé.")
            return redirect("messaging:folder", pk=folder.pk)
    return redirect("messaging:inbox")


def _folder_or_404(user: Person, pk: int) -> Folder:
    folder = selectors.folder_for(user=user, pk=pk)
    if folder is None:
        raise Http404
    return folder


@login_required
@require_POST
def folder_rename(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    folder = _folder_or_404(user, pk)
    try:
        services.folder_rename(owner=user, folder=folder, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Dossier renommé « {folder.name} ».")
    return redirect("messaging:folder", pk=pk)


@login_required
@require_POST
def folder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    folder = _folder_or_404(user, pk)
    name = folder.name
    moved = services.folder_delete(owner=user, folder=folder)
    messages.success(
        request,
        ngettext(
            "Dossier « %(name)s » supprimé ; %(n)d message remis dans la boîte de réception.",
            "Dossier « %(name)s » supprimé ; %(n)d messages remis dans la boîte de réception.",
            moved,
        )
        % {"name": name, "n": moved}
        if moved
        else _("Dossier « %(name)s » supprimé ; il était vide.") % {"name": name},
    )
    return redirect("messaging:inbox")


@login_required
@require_POST
def trash_empty(request: HttpRequest) -> HttpResponse:
    deleted = services.trash_empty(user=_user(request))
    messages.success(
        request,
        ngettext(
            "Corbeille vidée : %(n)d message supprimé.",
            "Corbeille vidée : %(n)d messages supprimés.",
            deleted,
        )
        % {"n": deleted}
        if deleted
        else _("La corbeille était déjà vide."),
    )
    return redirect("messaging:trash")


def _own_list(request: HttpRequest, template: str, qs: QuerySet[Any]) -> HttpResponse:
    """A page of the user's own messages (sent, drafts), with the folders menu and quota."""
    user = _user(request)
    return render(
        request,
        template,
        {"page": _page(request, qs), "folders": _folders(user), "quota": quota_cached(user=user)},
    )


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    return _own_list(request, "messaging/sent.html", selectors.sent_messages(user=_user(request)))


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    return _own_list(request, "messaging/drafts.html", selectors.drafts(user=_user(request)))


@login_required
def message_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A message and its thread; opening it marks the user's copy read."""
    user = _user(request)
    message = selectors.message_for(user=user, pk=pk) or selectors.broadcast_for_admin(
        user=user, pk=pk
    )
    if message is None:
        raise Http404
    delivery = selectors.delivery_for(user=user, message_id=pk)
    if delivery is not None:
        services.delivery_read(delivery=delivery)
    thread = selectors.thread_of(user=user, message=message)
    is_admin = bool(message.school and message.school in selectors.admin_schools(user=user))
    return render(
        request,
        "messaging/message.html",
        {
            "message": message,
            "delivery": delivery,
            "thread": thread if len(thread) > 1 else [],
            "recipients": selectors.recipients_of(message=message)
            if message.author_id == user.pk
            else [],
            "can_reply": delivery is not None and selectors.replyable(message),
            "can_recall": is_admin and message.is_broadcast and message.recalled_at is None,
            "folders": _folders(user),
        },
    )


def _message_or_404(request: HttpRequest, pk: int) -> Message:
    message = selectors.message_for(user=_user(request), pk=pk)
    if message is None:
        raise Http404
    return message


@login_required
@require_POST
def message_trash(request: HttpRequest, pk: int) -> HttpResponse:
    services.message_trash(user=_user(request), message=_message_or_404(request, pk))
    messages.success(request, "Message placé dans la corbeille.")
    return redirect("messaging:inbox")


@login_required
@require_POST
def message_restore(request: HttpRequest, pk: int) -> HttpResponse:
    services.message_restore(user=_user(request), message=_message_or_404(request, pk))
    messages.success(request, "Message remis dans la boîte de réception.")
    return redirect("messaging:trash")


@login_required
@require_POST
def message_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    delivery = selectors.delivery_for(user=user, message_id=pk)
    if delivery is None:
        raise Http404
    raw = request.POST.get("folder", "")
    folder_id = parse_id(raw)
    folder = get_object_or_404(Folder, pk=folder_id, owner=user) if folder_id else None
    services.delivery_move(delivery=delivery, folder=folder)
    messages.success(
        request, f"Message rangé dans « {folder.name if folder else 'Boîte de réception'} »."
    )
    return redirect("messaging:message", pk=pk)


@login_required
@require_POST
def message_report(request: HttpRequest, pk: int) -> HttpResponse:
    message = _message_or_404(request, pk)
    try:
        services.message_report(
            reporter=_user(request),
            message=message,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, "Message signalé aux administrateurs de l'établissement.")
    return redirect("messaging:message", pk=pk)


@login_required
@require_POST
def message_recall(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.broadcast_for_admin(user=_user(request), pk=pk)
    if message is None:
        raise Http404
    try:
        hidden = services.broadcast_recall(admin=_user(request), message=message, request=request)
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        ngettext(
            "Diffusion rappelée : retirée de %(n)d boîte de réception.",
            "Diffusion rappelée : retirée de %(n)d boîtes de réception.",
            hidden,
        )
        % {"n": hidden}
        if hidden
        else _("Diffusion rappelée : elle n'était plus dans aucune boîte de réception."),
    )
    return redirect("messaging:message", pk=pk)


def _about_choices(
    user: Person, keys: list[str], reply_to: Message | None = None
) -> list[tuple[int, str]]:
    """The « Concerne » choices: a parent, their children; staff, the pupils among the
    chosen recipients and the children of the chosen parents — only recipients the user
    may be shown (``rules_engine.nameable``) and pupils they may name
    (``services.about_pupils``), so no id typed in the « À » field reveals a child."""
    if user.profile == Profile.RELATIVE:
        return [(c.pupil.pk, c.pupil.display_name) for c in children_of(relative=user)]
    wanted = [pk for k in keys if k.startswith("p:") and (pk := parse_id(k[2:]))]
    if not wanted:
        return []
    person_ids = rules_engine.nameable(user, wanted, reply_to=reply_to)
    pupils = services.about_pupils(sender=user).filter(
        Q(pk__in=RelativeLink.objects.filter(relative_id__in=person_ids).values("pupil_id"))
        | Q(pk__in=person_ids)
    )
    return [(p.pk, p.display_name) for p in pupils.distinct().order_by("last_name", "first_name")]


def _compose_initial(
    request: HttpRequest, user: Person
) -> tuple[dict[str, Any], list[str], Message | None, Message | None]:
    """Initial data from ``?brouillon=``, ``?repondre=``, ``?repondre_tous=``,
    ``?transferer=`` or ``?a=<target>``."""
    draft: Message | None = None
    reply_to: Message | None = None
    initial: dict[str, Any] = {}
    keys: list[str] = []
    get = request.GET
    if draft_id := parse_id(get.get("brouillon")):
        draft = selectors.draft_for(user=user, pk=draft_id)
        if draft is None:
            raise Http404
        initial = {
            "subject": draft.subject,
            "body": draft.body,
            "no_reply": draft.no_reply,
            "about_pupil": draft.about_pupil_id,
        }
        keys = list(draft.draft_targets)
        reply_to = draft.parent
    modes: tuple[tuple[str, services.PrefillMode], ...] = (
        ("repondre", "reply"),
        ("repondre_tous", "reply_all"),
        ("transferer", "forward"),
    )
    for param, mode in modes:
        if original_id := parse_id(get.get(param)):
            original = selectors.message_for(user=user, pk=original_id)
            if original is None:
                raise Http404
            start = services.prefill(user=user, message=original, mode=mode)
            if mode != "forward":
                keys, reply_to = start.targets, start.reply_to
            initial = {
                "subject": start.subject,
                "body": start.body,
                "about_pupil": start.about_pupil_id,
            }
    if get.get("a"):
        keys.append(get["a"])
    if not initial.get("about_pupil") and user.profile == Profile.RELATIVE:
        context = getattr(request, "ostal", None)
        child = context.child if context is not None else None
        if child is not None:
            initial["about_pupil"] = child.pupil.pk
    return initial, keys, draft, reply_to


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """Write a message. The recipient search only finds people the rules allow; lists
    (classes, parents, teachers, staff) are offered to staff."""
    user = _user(request)
    freeze = services.freeze_for(user)
    errors: list[str] = []
    # Errors of the fields that are no form field: « À » and the attachments.
    field_errors: dict[str, list[str]] = {}
    refused = False
    results: list[rules_engine.Found] = []
    if request.method == "POST":
        keys = [k for k in request.POST.getlist("targets") if k]
        draft = None
        if draft_id := parse_id(request.POST.get("draft_id")):
            draft = selectors.draft_for(user=user, pk=draft_id)
        reply_to = None
        if reply_id := parse_id(request.POST.get("reply_to")):
            reply_to = selectors.message_for(user=user, pk=reply_id)
        form = ComposeForm(request.POST)
        _choices(form, "about_pupil", [("", "—"), *_about_choices(user, keys, reply_to)])
        action = request.POST.get("action", "search")
        if form.is_valid():
            data = form.cleaned_data
            about = (
                Person.objects.filter(pk=data["about_pupil"]).first()
                if data["about_pupil"]
                else None
            )
            if action == "send":
                try:
                    message = services.message_send(
                        sender=user,
                        targets=keys,
                        subject=data["subject"],
                        body=data["body"],
                        about_pupil=about,
                        no_reply=data["no_reply"],
                        draft=draft,
                        reply_to=reply_to,
                        school=getattr(getattr(request, "ostal", None), "school", None),
                        request=request,
                        attachments=request.FILES.getlist("attachments"),
                    )
                except services.SendRefused as exc:
                    refused = True
                    draft = exc.draft
                    errors = compose_errors(form, field_errors, exc.by_field)
                else:
                    n = message.recipient_count
                    messages.success(
                        request,
                        ngettext(
                            "Message envoyé à %(n)d destinataire.",
                            "Message envoyé à %(n)d destinataires.",
                            n,
                        )
                        % {"n": n},
                    )
                    return redirect("messaging:message", pk=message.pk)
            elif (
                action == "draft"
                and draft is None
                and services.message_is_empty(
                    subject=data["subject"],
                    body=data["body"],
                    targets=keys,
                    files=request.FILES.getlist("attachments"),
                )
            ):
                errors = [_("Le message est vide : aucun brouillon n'a été enregistré.")]
            elif action == "draft":
                try:
                    draft = services.draft_save(
                        author=user,
                        targets=keys,
                        subject=data["subject"],
                        body=data["body"],
                        about_pupil=about,
                        no_reply=data["no_reply"],
                        parent=reply_to,
                        draft=draft,
                        attachments=request.FILES.getlist("attachments"),
                    )
                except services.SendRefused as exc:
                    draft = exc.draft
                    field_errors["attachments"] = exc.messages
                else:
                    messages.success(request, "Brouillon enregistré.")
                    return redirect("messaging:drafts")
            query = data["query"].strip()
            if action == "search" and query:
                results = rules_engine.recipient_search(user, query)
                if not results:
                    form.add_error(
                        "query", f"Aucun destinataire autorisé ne correspond à « {query} »."
                    )
    else:
        initial, keys, draft, reply_to = _compose_initial(request, user)
        form = ComposeForm(initial=initial)
        _choices(form, "about_pupil", [("", "—"), *_about_choices(user, keys, reply_to)])
    chosen = describe(user, keys, reply_to=reply_to)
    chosen_keys = {t.key for t in chosen}
    return render(
        request,
        "messaging/compose.html",
        {
            "form": form,
            "chosen": chosen,
            "results": [f for f in results if f"p:{f.person.pk}" not in chosen_keys],
            "field_errors": field_errors,
            "summary": error_summary(form, field_errors, errors),
            "refused": refused,
            "lists": [o for o in list_targets(user) if o[0] not in chosen_keys],
            "errors": errors,
            "draft": draft,
            "reply_to": reply_to,
            "freeze": freeze,
            "quota": quota_cached(user=user),
            "is_staff": bool(services.staff_schools(user)),
        },
        status=400 if refused else 200,
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Download an attachment: its message's author and recipients only, and only once the
    antivirus found it clean (quarantine until then)."""
    found = selectors.attachment_for(user=_user(request), pk=pk)
    if found is None:
        raise Http404
    if not found.downloadable:
        return render(request, "messaging/quarantine.html", {"attachment": found}, status=409)
    return attachment_file(found)


def attachment_file(found: Attachment) -> FileResponse:
    """The download of a clean attachment (the page and the API): as a file, its checked
    type, never sniffed by the browser."""
    return file_response(found.file.open("rb"), name=found.name, content_type=found.content_type)


@login_required
@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = selectors.draft_for(user=_user(request), pk=pk)
    if draft is None:
        raise Http404
    services.draft_delete(user=_user(request), draft=draft)
    messages.success(request, "Brouillon supprimé.")
    return redirect("messaging:drafts")


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The school's communication rules as a matrix, editable by its admins."""
    user = _user(request)
    schools = selectors.admin_schools(user=user)
    active = getattr(getattr(request, "ostal", None), "school", None)
    school = next(
        (s for s in schools if active and s.pk == active.pk), schools[0] if schools else None
    )
    if school_id := parse_id(request.GET.get("ecole")):
        school = next((s for s in schools if s.pk == school_id), None)
    if school is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            services.communication_rules_reset(admin=user, school=school, request=request)
            messages.success(request, "Règles par défaut rétablies.")
        else:
            wanted = {
                (s, t): request.POST.get(f"rule-{s}-{t}", "")
                for s in Group.values
                for t in Group.values
            }
            try:
                changes = services.communication_rules_save(
                    admin=user,
                    school=school,
                    rules={k: v for k, v in wanted.items() if v},
                    request=request,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                n = len(changes)
                messages.success(
                    request,
                    ngettext(
                        "Règles enregistrées (%(n)d modification).",
                        "Règles enregistrées (%(n)d modifications).",
                        n,
                    )
                    % {"n": n}
                    if n
                    else _("Aucune règle modifiée."),
                )
        return redirect(f"{request.path}?ecole={school.pk}")
    current = rules_engine.rules_of(school)
    rows = [
        (Group(s), [(Group(t), f"rule-{s}-{t}", current[(s, t)]) for t in Group.values])
        for s in Group.values
    ]
    return render(
        request,
        "messaging/rules.html",
        {
            "school": school,
            "schools": schools,
            "rows": rows,
            "groups": [Group(g) for g in Group.values],
            "reaches": Reach.choices,
            "custom": rules_engine.has_custom_rules(school),
        },
    )


def _freeze_scopes(user: Person) -> list[tuple[str, str, Any]]:
    """The scopes a person may freeze: their schools as admin, their département or
    région as an admin of that authority."""
    scopes: list[tuple[str, str, Any]] = [
        (f"school-{s.pk}", f"Établissement : {s.name}", s)
        for s in selectors.admin_schools(user=user)
    ]
    authorities = Authority.objects.filter(
        staff__person=user,
        staff__is_admin=True,
        kind__in=[Authority.Kind.DEPARTMENT, Authority.Kind.REGION],
    )
    scopes += [(f"authority-{a.pk}", f"{a.get_kind_display()} : {a.name}", a) for a in authorities]
    return scopes


@login_required
def freeze_page(request: HttpRequest) -> HttpResponse:
    """Freeze or unfreeze messaging (read-only) for a school, a département or a région."""
    user = _user(request)
    scopes = _freeze_scopes(user)
    if not scopes:
        raise Http404
    form = FreezeForm(request.POST or None)
    _choices(form, "scope", [(key, label) for key, label, _obj in scopes])
    if request.method == "POST" and request.POST.get("action") == "unfreeze":
        raw = request.POST.get("freeze", "")
        freeze = get_object_or_404(Freeze, pk=parse_id(raw) or 0, lifted_at__isnull=True)
        try:
            services.messaging_unfreeze(actor=user, freeze=freeze, request=request)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, "La messagerie est de nouveau ouverte.")
        return redirect("messaging:freeze")
    if request.method == "POST" and form.is_valid():
        target = next(obj for key, _l, obj in scopes if key == form.cleaned_data["scope"])
        is_school = form.cleaned_data["scope"].startswith("school-")
        services.messaging_freeze(
            actor=user,
            reason=form.cleaned_data["reason"],
            school=target if is_school else None,
            authority=None if is_school else target,
            request=request,
        )
        messages.success(request, "Messagerie gelée : les envois sont refusés jusqu'au dégel.")
        return redirect("messaging:freeze")
    school_ids = [obj.pk for key, _l, obj in scopes if key.startswith("school-")]
    authority_ids = [obj.pk for key, _l, obj in scopes if key.startswith("authority-")]
    active = Freeze.objects.filter(lifted_at__isnull=True).filter(
        school_id__in=school_ids
    ) | Freeze.objects.filter(lifted_at__isnull=True, authority_id__in=authority_ids)
    return render(
        request,
        "messaging/freeze.html",
        {"form": form, "active": active.select_related("school", "authority", "frozen_by")},
        status=400 if request.method == "POST" else 200,
    )
