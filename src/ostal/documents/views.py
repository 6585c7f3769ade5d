"""Pages of the espace documentaire: a folder's contents with the quota meter and the
upload form, a file's page (download, preview, rename, move, trash), the trash. Someone
else's folder or file is a 404, as one that does not exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ostal.core.params import page_number, parse_id
from ostal.core.uploads import INLINE_TYPES, file_response
from ostal.directory.models import Person
from ostal.documents import selectors, services
from ostal.documents.abilities import has_document_space
from ostal.documents.models import Folder
from ostal.documents.quota import quota_of, size_label


def _user(request: HttpRequest) -> Person:
    person: Person = request.user  # type: ignore[assignment]
    if not has_document_space(person):
        raise Http404
    return person


def _folder_url(folder: Folder | None) -> Any:
    return redirect("documents:folder", folder.pk) if folder else redirect("documents:root")


def _target_folder(user: Person, raw: str | None) -> Folder | None:
    """The folder a form names (empty: the root); another's or a missing one is a 404."""
    pk = parse_id(raw)
    if not raw:
        return None
    folder = selectors.folder_for(user=user, pk=pk)
    if folder is None:
        raise Http404
    return folder


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def contents_label(found: selectors.Listing) -> str:
    """« 3 dossiers et 1 document », « 5 000 documents » (the folder's totals, French
    plurals and digit grouping)."""
    if not found.total:
        return "Aucun document"
    parts = []
    if found.folder_count:
        parts.append(
            ngettext("%(n)s dossier", "%(n)s dossiers", found.folder_count)
            % {"n": number_format(found.folder_count, force_grouping=True)}
        )
    if found.document_count:
        parts.append(
            ngettext("%(n)s document", "%(n)s documents", found.document_count)
            % {"n": number_format(found.document_count, force_grouping=True)}
        )
    return " et ".join(parts)


def _listing_page(request: HttpRequest, user: Person, folder: Folder | None) -> HttpResponse:
    page = page_number(request.GET.get("page"))  # out of 1..MAX_PAGE: the French 400 page
    found = selectors.listing(user=user, folder=folder, page=page)
    return render(
        request,
        "documents/folder.html",
        {
            "listing": found,
            "contents_label": contents_label(found),
            "folder": folder,
            "quota": quota_of(user),
            "move_targets": selectors.move_targets(user=user) if folder else [],
            "title": folder.name if folder else "Mes documents",
            "trash_days": settings.DOCUMENTS_TRASH_DAYS,
            "max_upload": size_label(settings.DOCUMENTS_MAX_UPLOAD),
        },
        status=404 if found.beyond_last else 200,
    )


@login_required
def root(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return _listing_page(request, user, None)


@login_required
def folder_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    folder = selectors.folder_for(user=user, pk=pk)
    if folder is None:
        raise Http404
    return _listing_page(request, user, folder)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """One or more files into a folder; each is kept or refused on its own."""
    user = _user(request)
    folder = _target_folder(user, request.POST.get("folder"))
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "Choisissez au moins un fichier à envoyer.")
        return _folder_url(folder)
    kept = 0
    for one in files:
        try:
            services.document_upload(owner=user, folder=folder, upload=one)
            kept += 1
        except ValidationError as exc:
            _errors(request, exc)
    if kept:
        messages.success(
            request,
            ngettext(
                "%(n)d fichier enregistré : il sera téléchargeable après l'analyse antivirus.",
                "%(n)d fichiers enregistrés : ils seront téléchargeables après l'analyse antivirus.",
                kept,
            )
            % {"n": kept},
        )
    return _folder_url(folder)


@login_required
@require_POST
def folder_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    parent = _target_folder(user, request.POST.get("folder"))
    try:
        created = services.folder_create(
            owner=user, parent=parent, name=request.POST.get("name", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
        return _folder_url(parent)
    messages.success(request, f"Dossier « {created.name} » créé.")
    return _folder_url(parent)


@login_required
@require_POST
def folder_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    folder = selectors.folder_for(user=user, pk=pk, trashed=action == "restaurer")
    if folder is None:
        raise Http404
    try:
        if action == "renommer":
            services.folder_rename(owner=user, folder=folder, name=request.POST.get("name", ""))
            messages.success(request, f"Dossier renommé « {folder.name} ».")
        elif action == "deplacer":
            target = _target_folder(user, request.POST.get("target"))
            services.folder_move(owner=user, folder=folder, parent=target)
            messages.success(request, f"Dossier « {folder.name} » déplacé.")
            return _folder_url(folder)
        elif action == "corbeille":
            services.folder_trash(owner=user, folder=folder)
            messages.success(
                request, f"Dossier « {folder.name} » mis à la corbeille, avec son contenu."
            )
            return _folder_url(folder.parent)
        elif action == "restaurer":
            services.folder_restore(owner=user, folder=folder)
            messages.success(request, f"Dossier « {folder.name} » restauré.")
            return redirect("documents:trash")
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return _folder_url(folder)


@login_required
def document_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = selectors.document_for(user=user, pk=pk)
    if document is None:
        raise Http404
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "path": selectors.breadcrumbs(document.folder),
            "size": size_label(document.size),
            "previewable": document.content_type in INLINE_TYPES,
            "move_targets": selectors.move_targets(user=user),
            "trash_days": settings.DOCUMENTS_TRASH_DAYS,
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file (a download; shown in the page with ``?apercu=1`` for images and PDF),
    only once the antivirus found it clean."""
    user = _user(request)
    document = selectors.document_for(user=user, pk=pk)
    if document is None:
        raise Http404
    if not document.downloadable:
        messages.error(
            request,
            f"« {document.name} » ne peut pas être téléchargé : {document.get_scan_display()}.",
        )
        return redirect("documents:document", document.pk)
    return file_response(
        document.file.open("rb"),
        name=document.name,
        content_type=document.content_type,
        inline=request.GET.get("apercu") == "1",
    )


@login_required
@require_POST
def document_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    trashed: bool | None = {"restaurer": True, "supprimer": None}.get(action, False)
    document = selectors.document_for(user=user, pk=pk, trashed=trashed)
    if document is None:
        raise Http404
    try:
        if action == "renommer":
            services.document_rename(
                owner=user, document=document, name=request.POST.get("name", "")
            )
            messages.success(request, f"Fichier renommé « {document.name} ».")
        elif action == "deplacer":
            target = _target_folder(user, request.POST.get("target"))
            services.document_move(owner=user, document=document, folder=target)
            messages.success(request, f"« {document.name} » déplacé.")
        elif action == "corbeille":
            services.document_trash(owner=user, document=document)
            messages.success(request, f"« {document.name} » mis à la corbeille.")
            return _folder_url(document.folder)
        elif action == "restaurer":
            services.document_restore(owner=user, document=document)
            messages.success(request, f"« {document.name} » restauré.")
            return redirect("documents:trash")
        elif action == "supprimer":
            services.document_delete(owner=user, document=document)
            messages.success(request, f"« {document.name} » supprimé définitivement.")
            return redirect("documents:trash" if document.trashed_at else "documents:root")
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("documents:document", document.pk)


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    folders, documents = selectors.trash_of(user=user)
    return render(
        request,
        "documents/trash.html",
        {
            "folders": folders,
            "documents": documents,
            "quota": quota_of(user),
            "trash_days": settings.DOCUMENTS_TRASH_DAYS,
        },
    )


@login_required
@require_POST
def trash_empty(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    count = services.trash_empty(owner=user)
    messages.success(
        request,
        ngettext(
            "Corbeille vidée : %(n)d fichier supprimé définitivement.",
            "Corbeille vidée : %(n)d fichiers supprimés définitivement.",
            count,
        )
        % {"n": count}
        if count
        else "Corbeille vidée.",
    )
    return redirect("documents:trash")
