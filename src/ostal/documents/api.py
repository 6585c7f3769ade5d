"""JSON API of the espace documentaire (``/api/v1/documents/``) for the mobile app: the
same selectors and services as the pages, the API's one error shape (a refusal is a 400
whose ``fields`` hold the French reason). Someone else's folder or file is a 404.

An upload is **one streaming request**: ``POST fichiers/?dossier=<id>&nom=<name>`` with the
file's bytes as the body (any ``Content-Type``) and its ``Content-Length``; the body is
copied in chunks to a temporary file (never whole in memory), and a body shorter than
announced (a cut-off upload) is refused, nothing kept."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.core.params import page_number, parse_id
from ostal.core.uploads import clean_filename, file_response
from ostal.directory.models import Person
from ostal.documents import selectors, services
from ostal.documents.abilities import has_document_space
from ostal.documents.models import Document, Folder
from ostal.documents.quota import quota_of

CHUNK = 64 * 1024


def _user(request: Request) -> Person:
    person: Person = request.user  # type: ignore[assignment]
    if not has_document_space(person):
        raise Http404
    return person


def refused(exc: DjangoValidationError, field: str = "non_field") -> ValidationError:
    return ValidationError({field: exc.messages})


def folder_json(f: Folder) -> dict[str, Any]:
    return {
        "id": f.pk,
        "name": f.name,
        "parent": f.parent_id,
        "created_at": f.created_at.isoformat(),
        "trashed_at": f.trashed_at.isoformat() if f.trashed_at else None,
    }


def document_json(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "name": d.name,
        "folder": d.folder_id,
        "size": d.size,
        "content_type": d.content_type,
        "scan": d.scan,
        "scan_label": d.get_scan_display(),
        "updated_at": d.updated_at.isoformat(),
        "trashed_at": d.trashed_at.isoformat() if d.trashed_at else None,
        "download": reverse("api:documents-download", args=[d.pk]) if d.downloadable else None,
    }


def _quota_json(user: Person) -> dict[str, int]:
    q = quota_of(user)
    return {"used": q.used, "limit": q.limit}


def _folder_param(user: Person, raw: Any) -> Folder | None:
    if raw in (None, "", "null"):
        return None
    pk = parse_id(str(raw))  # bounded to a 64-bit key: never an overflow in the database
    if pk is None:
        raise Http404
    folder = selectors.folder_for(user=user, pk=pk)
    if folder is None:
        raise Http404
    return folder


PAGE_PARAM = OpenApiParameter(
    "page",
    int,
    description="Page du dossier (sous-dossiers puis fichiers, par nom), de 1 à 100 000 ; "
    "hors de ces bornes : 400. Après la dernière page : listes vides.",
)


class RootView(APIView):
    """The root of the person's space (or ``?dossier=<id>``): one page (``?page=``) of its
    folders then files, the totals, the quota."""

    @extend_schema(operation_id="documents_list", parameters=[PAGE_PARAM], responses={200: dict})
    def get(self, request: Request) -> Response:
        user = _user(request)
        folder = _folder_param(user, request.query_params.get("dossier"))
        return Response(_listing(request, user, folder))


def _listing(request: Request, user: Person, folder: Folder | None) -> dict[str, Any]:
    """One page of the folder: ``folders`` then ``documents`` hold that page's rows only;
    ``folder_count`` / ``document_count`` are the folder's totals."""
    page = page_number(request.query_params.get("page"))  # bad input: BadParameter, 400
    found = selectors.listing(user=user, folder=folder, page=page)
    return {
        "folder": folder_json(folder) if folder else None,
        "path": [folder_json(f) for f in found.path],
        "folders": [folder_json(f) for f in found.folders],
        "documents": [document_json(d) for d in found.documents],
        "page": found.number,
        "page_size": found.size,
        "page_count": found.page_count,
        "has_next": found.has_next,
        "folder_count": found.folder_count,
        "document_count": found.document_count,
        "quota": _quota_json(user),
    }


class DocumentFolderIn(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]  # DRF pops declared fields off the class


class FoldersView(APIView):
    """POST creates a folder (``name``, ``parent``: null for the root)."""

    @extend_schema(
        operation_id="documents_folder_create", request=DocumentFolderIn, responses={201: dict}
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        data = DocumentFolderIn(data=request.data)
        data.is_valid(raise_exception=True)
        parent = _folder_param(user, data.validated_data.get("parent"))
        try:
            folder = services.folder_create(
                owner=user, parent=parent, name=data.validated_data.get("name", "")
            )
        except DjangoValidationError as exc:
            raise refused(exc, "name") from None
        return Response(folder_json(folder), status=201)


class FolderView(APIView):
    """A folder's contents; PATCH renames (``name``) or moves (``parent``) it; DELETE puts
    it in the trash with its contents."""

    def _folder(self, request: Request, pk: int) -> Folder:
        folder = selectors.folder_for(user=_user(request), pk=pk)
        if folder is None:
            raise Http404
        return folder

    @extend_schema(operation_id="documents_folder", parameters=[PAGE_PARAM], responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_listing(request, _user(request), self._folder(request, pk)))

    @extend_schema(
        operation_id="documents_folder_update", request=DocumentFolderIn, responses={200: dict}
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        folder = self._folder(request, pk)
        data = DocumentFolderIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            if "name" in data.validated_data:
                services.folder_rename(owner=user, folder=folder, name=data.validated_data["name"])
            if "parent" in data.validated_data:
                target = _folder_param(user, data.validated_data["parent"])
                services.folder_move(owner=user, folder=folder, parent=target)
        except DjangoValidationError as exc:
            raise refused(exc) from None
        return Response(folder_json(folder))

    @extend_schema(operation_id="documents_folder_trash", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.folder_trash(owner=_user(request), folder=self._folder(request, pk))
        return Response(status=204)


class RawBodyParser(BaseParser):
    """Any body: the upload view reads the raw stream itself, in chunks."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return None


def _receive(request: Request, name: str) -> TemporaryUploadedFile:
    """The request body copied in chunks into a temporary file; a French refusal when it
    has no ``Content-Length``, is too large, or is shorter than announced."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or -1)
    except ValueError:
        announced = -1
    if announced < 0:
        raise DjangoValidationError("Indiquez la taille du fichier (en-tête Content-Length).")
    if announced > settings.DOCUMENTS_MAX_UPLOAD:
        limit = settings.DOCUMENTS_MAX_UPLOAD // (1024 * 1024)
        raise DjangoValidationError(f"« {name} » dépasse la taille maximale de {limit} Mo.")
    tmp = TemporaryUploadedFile("upload", "application/octet-stream", announced, None)
    received = 0
    raw = request._request  # the WSGI stream, never parsed into memory
    while received < announced:
        chunk = raw.read(min(CHUNK, announced - received))
        if not chunk:
            break
        tmp.write(chunk)
        received += len(chunk)
    tmp.flush()
    tmp.seek(0)
    tmp.size = received
    if received != announced:
        tmp.close()
        raise DjangoValidationError(
            f"« {name} » n'est pas arrivé en entier ({received} octets sur {announced}) : "
            "envoi interrompu, rien n'a été enregistré."
        )
    return tmp


class UploadView(APIView):
    """``POST fichiers/?nom=<name>&dossier=<id>``: one file as the raw body (201 with the
    file, in quarantine until scanned)."""

    parser_classes = [RawBodyParser]

    @extend_schema(operation_id="documents_upload", request=bytes, responses={201: dict})
    def post(self, request: Request) -> Response:
        user = _user(request)
        folder = _folder_param(user, request.query_params.get("dossier"))
        try:
            name = clean_filename(request.query_params.get("nom", ""))
            tmp = _receive(request, name)
            try:
                document = services.document_upload(
                    owner=user, folder=folder, upload=tmp, name=name
                )
            finally:
                tmp.close()
        except DjangoValidationError as exc:
            raise refused(exc, "file") from None
        return Response(document_json(document), status=201)


class Quarantined(APIException):
    status_code = 409
    default_code = "quarantine"


def _document(request: Request, pk: int, trashed: bool | None = False) -> Document:
    found = selectors.document_for(user=_user(request), pk=pk, trashed=trashed)
    if found is None:
        raise Http404
    return found


class DocumentChangeIn(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    folder = serializers.IntegerField(required=False, allow_null=True)


class DocumentView(APIView):
    """A file's details; PATCH renames (``name``) or moves (``folder``) it; DELETE puts it
    in the trash."""

    @extend_schema(operation_id="documents_document", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(document_json(_document(request, pk)))

    @extend_schema(
        operation_id="documents_document_update", request=DocumentChangeIn, responses={200: dict}
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        document = _document(request, pk)
        data = DocumentChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            if "name" in data.validated_data:
                services.document_rename(
                    owner=user, document=document, name=data.validated_data["name"]
                )
            if "folder" in data.validated_data:
                target = _folder_param(user, data.validated_data["folder"])
                services.document_move(owner=user, document=document, folder=target)
        except DjangoValidationError as exc:
            raise refused(exc) from None
        return Response(document_json(document))

    @extend_schema(operation_id="documents_document_trash", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.document_trash(owner=_user(request), document=_document(request, pk))
        return Response(status=204)


class RestoreView(APIView):
    """POST takes a file out of the trash."""

    @extend_schema(operation_id="documents_document_restore", request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        document = _document(request, pk, trashed=True)
        services.document_restore(owner=_user(request), document=document)
        return Response(document_json(document))


class DownloadView(APIView):
    """The file's bytes, streamed, once the antivirus found it clean (409 until then)."""

    @extend_schema(operation_id="documents_download", responses={200: bytes, 409: dict})
    def get(self, request: Request, pk: int) -> FileResponse:
        document = _document(request, pk)
        if not document.downloadable:
            raise Quarantined(
                f"« {document.name} » ne peut pas être téléchargé : {document.get_scan_display()}."
            )
        return file_response(
            document.file.open("rb"), name=document.name, content_type=document.content_type
        )


class TrashView(APIView):
    """What is in the trash."""

    @extend_schema(operation_id="documents_trash", responses={200: dict})
    def get(self, request: Request) -> Response:
        user = _user(request)
        folders, documents = selectors.trash_of(user=user)
        return Response(
            {
                "folders": [folder_json(f) for f in folders],
                "documents": [document_json(d) for d in documents],
                "quota": _quota_json(user),
            }
        )
