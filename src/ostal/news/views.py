"""Pages of the news (« Actualités »): the reader's list (today's items first) and an item;
for authors their items, the editor and the workflow; for the direction the items to
validate and the school's setting. Missing and forbidden are the same 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.directory.models import Person
from ostal.news import selectors, services
from ostal.news.abilities import (
    can_manage_item,
    can_validate_item,
    news_editor_school_ids,
)
from ostal.news.forms import NewsForm, SettingsForm, initial_of, owner_choices
from ostal.news.models import NewsItem, NewsSettings
from ostal.territory.models import School


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _may_write(user: Person) -> bool:
    """Whether the author's links lead somewhere: some owner to publish for, or own items."""
    if user.profile in {"ELV", "TUT"}:
        return False
    return bool(owner_choices(user)[0]) or NewsItem.objects.filter(author=user).exists()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    entries = selectors.news_for_reader(user=user)
    today = [e for e in entries if e.is_today()]
    others = [e for e in entries if not e.is_today()]
    unread = sum(1 for e in entries if not e.read)
    return render(
        request,
        "news/index.html",
        {
            "today": today,
            "others": others,
            "unread_label": ngettext("%(n)d actualité non lue", "%(n)d actualités non lues", unread)
            % {"n": unread}
            if unread
            else _("Aucune actualité non lue"),
            "may_write": _may_write(user),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    entry = selectors.news_item_for_reader(user=user, pk=pk)
    item = entry.item if entry else selectors.news_item_for_editor(user=user, pk=pk)
    if item is None:
        raise Http404
    if entry is not None:
        services.news_mark_read(reader=user, item=item)
    manage = can_manage_item(user, item)
    read_count = item.reads.count() if manage else None
    return render(
        request,
        "news/detail.html",
        {
            "item": item,
            "entry": entry,
            "manage": manage,
            "validate": item.status == NewsItem.Status.SUBMITTED and can_validate_item(user, item),
            "editable": item.author_id == user.pk and item.status != NewsItem.Status.PUBLISHED,
            "read_label": ngettext("Lue par %(n)d personne", "Lue par %(n)d personnes", read_count)
            % {"n": read_count}
            if read_count
            else _("Lue par personne pour l'instant"),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    if user.profile in {"ELV", "TUT"}:
        raise Http404
    return render(
        request,
        "news/mine.html",
        {
            "items": selectors.news_of_author(user=user),
            "to_validate": selectors.news_to_validate(user=user),
            "editor_schools": School.objects.filter(pk__in=news_editor_school_ids(user)),
        },
    )


def _editor(request: HttpRequest, item: NewsItem | None) -> HttpResponse:
    user = _person(request)
    if user.profile in {"ELV", "TUT"}:
        raise Http404
    owners, _targets = owner_choices(user)
    if not owners:
        raise Http404
    status = 200
    if request.method == "POST":
        form = NewsForm(request.POST, author=user)
        action = "send" if request.POST.get("action") == "send" else "draft"
        if form.is_valid():
            try:
                saved = services.news_save(
                    author=user, data=form.to_input(), action=action, item=item, request=request
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except PermissionDenied as error:
                raise Http404 from error
            else:
                messages.success(request, _sent_message(saved))
                return redirect("news:detail", pk=saved.pk)
        status = 400
    else:
        form = NewsForm(initial=initial_of(item) if item else {"for_parents": True}, author=user)
    return render(request, "news/edit.html", {"form": form, "item": item}, status=status)


def _sent_message(item: NewsItem) -> str:
    if item.status == NewsItem.Status.PUBLISHED:
        return _("L'actualité est publiée.")
    if item.status == NewsItem.Status.SUBMITTED:
        return _("L'actualité est soumise à la direction, qui la publiera après validation.")
    return _("Le brouillon est enregistré.")


@login_required
def new(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.news_item_for_editor(user=_person(request), pk=pk)
    if (
        item is None
        or item.author_id != request.user.pk
        or item.status == NewsItem.Status.PUBLISHED
    ):
        raise Http404
    return _editor(request, item)


def _managed(request: HttpRequest, pk: int) -> NewsItem:
    item = selectors.news_item_for_editor(user=_person(request), pk=pk)
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    try:
        services.news_publish(actor=_person(request), item=item, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("L'actualité est publiée."))
    return redirect("news:detail", pk=item.pk)


@login_required
@require_POST
def return_to_draft(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    try:
        services.news_return_to_draft(actor=_person(request), item=item)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("L'actualité est renvoyée à son auteur comme brouillon."))
    return redirect("news:mine")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    try:
        services.news_withdraw(actor=_person(request), item=item)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("L'actualité est retirée : ses lecteurs ne la voient plus."))
    return redirect("news:detail", pk=item.pk)


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _managed(request, pk)
    if request.method == "POST":
        services.news_delete(actor=_person(request), item=item, request=request)
        messages.success(request, _("L'actualité est supprimée."))
        return redirect("news:mine")
    return render(request, "news/delete.html", {"item": item})


@login_required
def settings_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    if pk not in news_editor_school_ids(user):
        raise Http404
    school = School.objects.get(pk=pk)
    current = NewsSettings.objects.filter(school=school).first()
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            services.news_settings_update(
                actor=user,
                school=school,
                teachers_publish_directly=form.cleaned_data["teachers_publish_directly"],
            )
            messages.success(request, _("Les réglages des actualités sont enregistrés."))
            return redirect("news:mine")
    else:
        form = SettingsForm(
            initial={
                "teachers_publish_directly": bool(current and current.teachers_publish_directly)
            }
        )
    context: dict[str, Any] = {"form": form, "school": school}
    return render(request, "news/settings.html", context)
