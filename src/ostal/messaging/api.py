"""JSON API of the messagerie (``/api/v1/messages/``): the same selectors, rules engine and
services as the pages, with the API's one error shape. A refused send is a 400 whose
``fields.recipients`` (or ``fields.non_field``) holds the French reason naming the rule;
``fields.draft`` gives the id of the kept draft.

This module: the boxes (inbox, sent, trash, own folders), a message and what one does with
it (trash, restore, file, report, recall), sending, recipient search, attachments'
download and the quota. Drafts, replies, forwards and uploads are in ``api_drafts``.
Someone else's message, copy, folder or draft is a 404, as on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.directory.models import Person
from ostal.messaging import rules_engine, selectors, services
from ostal.messaging.models import Attachment, Delivery, Folder, Message
from ostal.messaging.quota import quota_cached
from ostal.messaging.views import attachment_file


def _person(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.display_name, "profile": person.profile}


def _summary(delivery: Delivery) -> dict[str, Any]:
    m = delivery.message
    return {
        "id": m.pk,
        "subject": m.subject,
        "author": _person(m.author),
        "about_pupil": _person(m.about_pupil),
        "sent_at": delivery.sent_at.isoformat(),
        "read": delivery.read_at is not None,
        "is_broadcast": m.is_broadcast,
    }


def _sent_summary(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "subject": m.subject,
        "recipients": m.recipients_label,
        "recipient_count": m.recipient_count,
        "about_pupil": _person(m.about_pupil),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "is_broadcast": m.is_broadcast,
        "recalled": m.recalled_at is not None,
    }


def attachment_json(a: Attachment) -> dict[str, Any]:
    """A file with its antivirus state; ``download`` only once it is clean."""
    return {
        "id": a.pk,
        "name": a.name,
        "size": a.size,
        "content_type": a.content_type,
        "scan": a.scan,
        "scan_label": a.get_scan_display(),
        "download": reverse("api:messages-attachment", args=[a.pk]) if a.downloadable else None,
    }


def _detail(message: Message, delivery: Delivery | None = None) -> dict[str, Any]:
    data = {
        "id": message.pk,
        "subject": message.subject,
        "body": message.body_html,
        "author": _person(message.author),
        "about_pupil": _person(message.about_pupil),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "recipients": message.recipients_label,
        "recipient_count": message.recipient_count,
        "is_broadcast": message.is_broadcast,
        "no_reply": message.no_reply,
        "thread": message.thread_id or message.pk,
        "is_draft": False,
        "recalled": message.recalled_at is not None,
        "attachments": [attachment_json(a) for a in message.attachments.all()],
    }
    if delivery is not None:
        data["box"] = delivery.box
        data["folder"] = delivery.folder_id
        data["read"] = delivery.read_at is not None
        data["can_reply"] = selectors.replyable(message)
    return data


def _user(request: Request) -> Person:
    return request.user  # type: ignore[return-value]


def _list(request: Request, qs: QuerySet[Any], row: Any, **extra: Any) -> Response:
    """A page of a box, with the unread count and the quota (the pages' pager and counts)."""
    user = _user(request)
    page = selectors.page_of(qs, request.query_params.get("page"))
    return Response(
        {
            **extra,
            "unread": selectors.unread_count(user=user),
            "quota": quota_cached(user=user).as_json(),
            "page": page.number,
            "has_next": page.has_next,
            "results": [row(r) for r in page.rows],
        }
    )


def refused(exc: DjangoValidationError, field: str = "non_field") -> ValidationError:
    """A service's French refusal as the API's 400."""
    return ValidationError({field: exc.messages})


class InboxView(APIView):
    """The inbox, newest first (``?page=``), with the unread count and the quota."""

    @extend_schema(operation_id="messages_inbox", responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = selectors.mailbox(user=_user(request))
        return _list(request, qs, _summary, box=Delivery.Box.INBOX)


class TrashView(APIView):
    """The trash (``?page=``)."""

    @extend_schema(operation_id="messages_trash", responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = selectors.mailbox(user=_user(request), box=Delivery.Box.TRASH)
        return _list(request, qs, _summary, box=Delivery.Box.TRASH)


class TrashEmptyView(APIView):
    """Empty the trash now (frees the quota)."""

    @extend_schema(operation_id="messages_trash_empty", request=None, responses={200: dict})
    def post(self, request: Request) -> Response:
        deleted = services.trash_empty(user=_user(request))
        return Response({"deleted": deleted, "quota": quota_cached(user=_user(request)).as_json()})


class SentView(APIView):
    """Messages sent (``?page=``)."""

    @extend_schema(operation_id="messages_sent", responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = selectors.sent_messages(user=_user(request))
        return _list(request, qs, _sent_summary, box="sent")


class QuotaView(APIView):
    """The space the user's messages take, and the limit (``MESSAGING_QUOTA_MB``)."""

    @extend_schema(operation_id="messages_quota", responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(quota_cached(user=_user(request)).as_json())


class FolderIn(serializers.Serializer):
    name = serializers.CharField(max_length=60)


def _folder_json(folder: Folder) -> dict[str, Any]:
    data: dict[str, Any] = {"id": folder.pk, "name": folder.name}
    for count in ("unread", "total"):
        if hasattr(folder, count):
            data[count] = getattr(folder, count)
    return data


def _folder_or_404(request: Request, pk: int) -> Folder:
    folder = selectors.folder_for(user=_user(request), pk=pk)
    if folder is None:
        raise Http404
    return folder


class FoldersView(APIView):
    """The user's folders (with unread and total counts); POST creates one."""

    @extend_schema(operation_id="messages_folders", responses={200: dict})
    def get(self, request: Request) -> Response:
        rows = selectors.folders_with_unread(user=_user(request))
        return Response({"results": [_folder_json(f) for f in rows]})

    @extend_schema(operation_id="messages_folder_create", request=FolderIn, responses={201: dict})
    def post(self, request: Request) -> Response:
        data_in = FolderIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            folder = services.folder_create(
                owner=_user(request), name=data_in.validated_data["name"]
            )
        except DjangoValidationError as exc:
            raise refused(exc, "name") from None
        return Response(_folder_json(folder), status=201)


class FolderView(APIView):
    """A folder's messages (``?page=``); PATCH renames it; DELETE deletes it (its messages
    go back to the inbox)."""

    @extend_schema(operation_id="messages_folder", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        folder = _folder_or_404(request, pk)
        qs = selectors.mailbox(user=_user(request), box=Delivery.Box.FOLDER, folder=folder)
        return _list(request, qs, _summary, box=Delivery.Box.FOLDER, folder=_folder_json(folder))

    @extend_schema(operation_id="messages_folder_rename", request=FolderIn, responses={200: dict})
    def patch(self, request: Request, pk: int) -> Response:
        folder = _folder_or_404(request, pk)
        data_in = FolderIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            services.folder_rename(
                owner=_user(request), folder=folder, name=data_in.validated_data["name"]
            )
        except DjangoValidationError as exc:
            raise refused(exc, "name") from None
        return Response(_folder_json(folder))

    @extend_schema(operation_id="messages_folder_delete", responses={200: dict})
    def delete(self, request: Request, pk: int) -> Response:
        folder = _folder_or_404(request, pk)
        moved = services.folder_delete(owner=_user(request), folder=folder)
        return Response({"moved_to_inbox": moved})


class MessageView(APIView):
    """One message the user wrote or received (or, for a school admin, a broadcast of their
    school); reading it marks the user's copy read. Attachments come with their scan state."""

    @extend_schema(operation_id="messages_read", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        message = selectors.message_for(user=user, pk=pk) or selectors.broadcast_for_admin(
            user=user, pk=pk
        )
        if message is None:
            raise Http404
        delivery = selectors.delivery_for(user=user, message_id=pk)
        if delivery is not None:
            services.delivery_read(delivery=delivery)
        return Response(_detail(message, delivery))


def message_or_404(request: Request, pk: int) -> Message:
    message = selectors.message_for(user=_user(request), pk=pk)
    if message is None:
        raise Http404
    return message


class MessageTrashView(APIView):
    """Put the user's copy (or their sent message) in the trash."""

    @extend_schema(operation_id="messages_trash_put", request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        services.message_trash(user=_user(request), message=message_or_404(request, pk))
        return Response({"id": pk, "box": Delivery.Box.TRASH})


class MessageRestoreView(APIView):
    """Take the user's copy out of the trash, back to the inbox."""

    @extend_schema(operation_id="messages_restore", request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        services.message_restore(user=_user(request), message=message_or_404(request, pk))
        return Response({"id": pk, "box": Delivery.Box.INBOX})


class MoveIn(serializers.Serializer):
    folder = serializers.IntegerField(allow_null=True)


class MessageMoveView(APIView):
    """File the user's copy in one of their folders (``folder``), or back in the inbox
    (``folder: null``)."""

    @extend_schema(operation_id="messages_move", request=MoveIn, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        delivery = selectors.delivery_for(user=user, message_id=pk)
        if delivery is None:
            raise Http404
        data_in = MoveIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        folder = None
        if data_in.validated_data["folder"] is not None:
            folder = selectors.folder_for(user=user, pk=data_in.validated_data["folder"])
            if folder is None:
                raise ValidationError({"folder": ["Dossier inconnu."]})
        services.delivery_move(delivery=delivery, folder=folder)
        return Response({"id": pk, "box": delivery.box, "folder": delivery.folder_id})


class ReportIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class MessageReportView(APIView):
    """Report a message received to the school's admins."""

    @extend_schema(operation_id="messages_report", request=ReportIn, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        message = message_or_404(request, pk)
        data_in = ReportIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        try:
            services.message_report(
                reporter=_user(request),
                message=message,
                reason=data_in.validated_data["reason"],
                request=request._request,
            )
        except PermissionDenied:
            raise Http404 from None
        return Response({"id": pk, "reported": True})


class MessageRecallView(APIView):
    """A school admin withdraws a broadcast of their school from every inbox."""

    @extend_schema(operation_id="messages_recall", request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        message = selectors.broadcast_for_admin(user=user, pk=pk)
        if message is None:
            raise Http404
        try:
            hidden = services.broadcast_recall(
                admin=user, message=message, request=request._request
            )
        except PermissionDenied:
            raise Http404 from None
        return Response({"id": pk, "hidden": hidden})


class Quarantined(APIException):
    status_code = 409
    default_code = "quarantine"


class AttachmentView(APIView):
    """Download an attachment of a message the user wrote or received, only once the
    antivirus found it clean (409 until then, as on the page)."""

    @extend_schema(operation_id="messages_attachment", responses={200: bytes, 409: dict})
    def get(self, request: Request, pk: int) -> FileResponse:
        found = selectors.attachment_for(user=_user(request), pk=pk)
        if found is None:
            raise Http404
        if not found.downloadable:
            raise Quarantined(
                f"« {found.name} » ne peut pas être téléchargée : {found.get_scan_display()}."
            )
        return attachment_file(found)


class SendIn(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.CharField(max_length=32), max_length=100)
    subject = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, max_length=services.MAX_BODY)
    about_pupil = serializers.IntegerField(required=False, allow_null=True)
    no_reply = serializers.BooleanField(required=False, default=False)
    reply_to = serializers.IntegerField(required=False, allow_null=True)


def about_pupil_of(user: Person, pk: int | None) -> Person | None:
    """The pupil a message is about, checked as at send (a parent: their child; staff: a
    pupil of their schools)."""
    if not pk:
        return None
    about = Person.objects.filter(pk=pk).first()
    if about is None:
        raise ValidationError({"about_pupil": ["Élève inconnu."]})
    try:
        services.about_pupil_check(sender=user, pupil=about)
    except DjangoValidationError as exc:
        raise refused(exc, "about_pupil") from None
    return about


def send_refused(exc: services.SendRefused) -> ValidationError:
    return ValidationError(
        {"recipients": exc.messages, "draft": [str(exc.draft.pk) if exc.draft else ""]}
    )


class SendView(APIView):
    """Send a message. ``recipients`` are target keys: ``p:<person>``, ``c:<class>``,
    ``pc:<class>``, ``tc:<class>``, ``s:<school>``."""

    @extend_schema(operation_id="messages_send", request=SendIn, responses={201: dict})
    def post(self, request: Request) -> Response:
        user = _user(request)
        data_in = SendIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        about = None
        if data.get("about_pupil"):
            about = Person.objects.filter(pk=data["about_pupil"]).first()
            if about is None:
                raise ValidationError({"about_pupil": ["Élève inconnu."]})
        reply_to = None
        if data.get("reply_to"):
            reply_to = selectors.message_for(user=user, pk=data["reply_to"])
            if reply_to is None:
                raise Http404
        try:
            message = services.message_send(
                sender=user,
                targets=data["recipients"],
                subject=data["subject"],
                body=data["body"],
                about_pupil=about,
                no_reply=data["no_reply"],
                reply_to=reply_to,
                request=request._request,
            )
        except services.SendRefused as exc:
            raise send_refused(exc) from None
        return Response(_detail(message), status=201)


class RecipientSearchView(APIView):
    """People the user may write to matching ``?q=`` by name, role word or subject taught
    (the rules apply; ``rules_engine.recipient_search``), each with their ``role``."""

    @extend_schema(operation_id="messages_recipients", responses={200: dict})
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if len(query) < 2:
            raise ValidationError({"q": ["Tapez au moins deux lettres."]})
        found = rules_engine.recipient_search(_user(request), query)
        return Response(
            {
                "results": [
                    {"key": f"p:{f.person.pk}", **(_person(f.person) or {}), "role": f.role}
                    for f in found
                ]
            }
        )
