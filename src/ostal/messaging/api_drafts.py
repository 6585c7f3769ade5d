"""JSON API of the messagerie, part two: drafts (create, update, delete, send), files
uploaded to a draft, and reply / reply-all / forward (the server computes recipients,
subject and quote with ``services.prefill``, as the compose page does).

A draft is saved whatever its recipients, freeze or quota (nothing typed is lost); the
checks run when it is sent (``services.message_send``: rules, freeze, rate limit, quota),
and a refused send answers 400 with the kept draft's id in ``fields.draft``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.directory.models import Person
from ostal.messaging import selectors, services
from ostal.messaging.api import (
    _detail,
    _list,
    _person,
    _user,
    about_pupil_of,
    attachment_json,
    message_or_404,
    refused,
    send_refused,
)
from ostal.messaging.models import Attachment, Message
from ostal.messaging.targets import describe


def _draft_row(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "subject": m.subject,
        "recipients": list(m.draft_targets),
        "created_at": m.created_at.isoformat(),
        "reply_to": m.parent_id,
        "is_draft": True,
    }


def _draft(m: Message, user: Person) -> dict[str, Any]:
    return {
        **_draft_row(m),
        "body": m.body,
        "recipients_detail": [
            {"key": t.key, "label": t.label}
            for t in describe(user, list(m.draft_targets), reply_to=m.parent)
        ],
        "about_pupil": _person(services.about_pupil_checked(sender=user, pupil=m.about_pupil)),
        "no_reply": m.no_reply,
        "attachments": [attachment_json(a) for a in m.attachments.all()],
    }


def _draft_or_404(request: Request, pk: int) -> Message:
    draft = selectors.draft_for(user=_user(request), pk=pk)
    if draft is None:
        raise Http404
    return draft


class DraftIn(serializers.Serializer):
    """A draft's fields; on update, a missing field keeps its value."""

    recipients = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=100, required=False
    )
    subject = serializers.CharField(max_length=200, allow_blank=True, required=False)
    body = serializers.CharField(allow_blank=True, max_length=services.MAX_BODY, required=False)
    about_pupil = serializers.IntegerField(required=False, allow_null=True)
    no_reply = serializers.BooleanField(required=False)
    reply_to = serializers.IntegerField(required=False, allow_null=True)


def _save(request: Request, draft: Message | None) -> Message:
    user = _user(request)
    data_in = DraftIn(data=request.data)
    data_in.is_valid(raise_exception=True)
    data = data_in.validated_data
    if "about_pupil" in data:
        about = about_pupil_of(user, data["about_pupil"])
    else:
        about = draft.about_pupil if draft is not None else None
    if "reply_to" in data:
        parent = selectors.message_for(user=user, pk=data["reply_to"]) if data["reply_to"] else None
        if data["reply_to"] and parent is None:
            raise ValidationError({"reply_to": ["Message inconnu."]})
    else:
        parent = draft.parent if draft is not None else None
    return services.draft_save(
        author=user,
        targets=data.get("recipients", list(draft.draft_targets) if draft else []),
        subject=data.get("subject", draft.subject if draft else ""),
        body=data.get("body", draft.body if draft else ""),
        about_pupil=about,
        no_reply=data.get("no_reply", draft.no_reply if draft else False),
        parent=parent,
        draft=draft,
    )


class DraftsView(APIView):
    """The user's drafts (``?page=``); POST creates one."""

    @extend_schema(operation_id="messages_drafts", responses={200: dict})
    def get(self, request: Request) -> Response:
        return _list(request, selectors.drafts(user=_user(request)), _draft_row, box="drafts")

    @extend_schema(operation_id="messages_draft_create", request=DraftIn, responses={201: dict})
    def post(self, request: Request) -> Response:
        return Response(_draft(_save(request, None), _user(request)), status=201)


class DraftView(APIView):
    """One of the user's drafts: read, update (PUT or PATCH: missing fields are kept),
    delete."""

    @extend_schema(operation_id="messages_draft", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_draft(_draft_or_404(request, pk), _user(request)))

    @extend_schema(operation_id="messages_draft_update", request=DraftIn, responses={200: dict})
    def patch(self, request: Request, pk: int) -> Response:
        draft = _save(request, _draft_or_404(request, pk))
        return Response(_draft(draft, _user(request)))

    @extend_schema(operation_id="messages_draft_replace", request=DraftIn, responses={200: dict})
    def put(self, request: Request, pk: int) -> Response:
        return self.patch(request, pk)

    @extend_schema(operation_id="messages_draft_delete", responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.draft_delete(user=_user(request), draft=_draft_or_404(request, pk))
        return Response(status=204)


class DraftSendView(APIView):
    """Send a draft as saved (rules, freeze, rate limit and quota are checked now); refused,
    it stays a draft (400, ``fields.draft``)."""

    @extend_schema(operation_id="messages_draft_send", request=None, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        draft = _draft_or_404(request, pk)
        try:
            message = services.message_send(
                sender=user,
                targets=list(draft.draft_targets),
                subject=draft.subject,
                body=draft.body,
                about_pupil=draft.about_pupil,
                no_reply=draft.no_reply,
                draft=draft,
                reply_to=draft.parent,
                request=request._request,
            )
        except services.SendRefused as exc:
            raise send_refused(exc) from None
        return Response(_detail(message), status=201)


class UploadIn(serializers.Serializer):
    file = serializers.ListField(child=serializers.FileField(), max_length=services.MAX_ATTACHMENTS)


class DraftAttachmentsView(APIView):
    """Upload files to a draft (multipart, field ``file``, repeatable): the compose page's
    checks (size, type read from the content, 5 per message) and the quota. All or
    nothing; each file is in quarantine until the antivirus finds it clean."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]  # JSON: no file, a 400

    @extend_schema(
        operation_id="messages_draft_attach",
        request={"multipart/form-data": UploadIn},
        responses={201: dict},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = _draft_or_404(request, pk)
        try:
            added = services.draft_attach(
                author=_user(request), draft=draft, uploads=request.FILES.getlist("file")
            )
        except DjangoValidationError as exc:
            raise refused(exc, "file") from None
        return Response({"results": [attachment_json(a) for a in added]}, status=201)


class DraftAttachmentView(APIView):
    """Remove a file from a draft."""

    @extend_schema(operation_id="messages_draft_detach", responses={204: None})
    def delete(self, request: Request, pk: int, attachment_pk: int) -> Response:
        draft = _draft_or_404(request, pk)
        found = Attachment.objects.filter(pk=attachment_pk, message=draft).first()
        if found is None:
            raise Http404
        services.draft_attachment_delete(author=_user(request), attachment=found)
        return Response(status=204)


class ReplyIn(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=services.MAX_BODY
    )
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=100, required=False, default=list
    )
    send = serializers.BooleanField(required=False, default=False)


class _PrefillView(APIView):
    """Reply, reply-all or forward: the server starts from the recipients, « RE : » / « TR : »
    subject and quote the compose page would show; ``body`` is put above the quote,
    ``recipients`` are added (a forward needs some to be sent). Without ``send`` the result
    is a draft (201, ``is_draft``); with ``send: true`` it is sent at once (201) or refused
    with the draft kept (400)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    mode: services.PrefillMode = "reply"

    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        original = message_or_404(request, pk)
        if self.mode != "forward" and not selectors.replyable(original):
            raise ValidationError({"non_field": ["Ce message n'accepte pas de réponse."]})
        data_in = ReplyIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        start = services.prefill(user=user, message=original, mode=self.mode)
        targets = list(dict.fromkeys([*start.targets, *data["recipients"]]))
        try:
            about = about_pupil_of(user, start.about_pupil_id)
        except ValidationError:
            about = None  # not a pupil this person may name: the page leaves it empty too
        body = f"{data['body']}{start.body}"
        if data["send"]:
            try:
                message = services.message_send(
                    sender=user,
                    targets=targets,
                    subject=start.subject,
                    body=body,
                    about_pupil=about,
                    reply_to=start.reply_to,
                    request=request._request,
                )
            except services.SendRefused as exc:
                raise send_refused(exc) from None
            return Response(_detail(message), status=201)
        try:
            draft = services.draft_save(
                author=user,
                targets=targets,
                subject=start.subject,
                body=body,
                about_pupil=about,
                parent=start.reply_to,
            )
        except DjangoValidationError as exc:  # pragma: no cover - no file here
            raise refused(exc) from None
        return Response(_draft(draft, user), status=201)


class ReplyView(_PrefillView):
    mode = "reply"

    @extend_schema(operation_id="messages_reply", request=ReplyIn, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ReplyAllView(_PrefillView):
    mode = "reply_all"

    @extend_schema(operation_id="messages_reply_all", request=ReplyIn, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ForwardView(_PrefillView):
    mode = "forward"

    @extend_schema(operation_id="messages_forward", request=ReplyIn, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)
