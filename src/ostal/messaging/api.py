"""JSON API of the messagerie (``/api/v1/messages/``): the same selectors, rules engine and
services as the pages, with the API's one error shape. A refused send is a 400 whose
``fields.recipients`` (or ``fields.non_field``) holds the French reason naming the rule;
``fields.draft`` gives the id of the kept draft."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.directory.models import Person
from ostal.messaging import rules_engine, selectors, services
from ostal.messaging.models import Delivery, Message


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


def _detail(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "subject": message.subject,
        "body": message.body,
        "author": _person(message.author),
        "about_pupil": _person(message.about_pupil),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "recipients": message.recipients_label,
        "recipient_count": message.recipient_count,
        "is_broadcast": message.is_broadcast,
        "no_reply": message.no_reply,
        "thread": message.thread_id or message.pk,
    }


def _user(request: Request) -> Person:
    return request.user  # type: ignore[return-value]


class InboxView(APIView):
    """The inbox, newest first (``?page=``), with the unread count."""

    @extend_schema(operation_id="messages_inbox", responses={200: dict})
    def get(self, request: Request) -> Response:
        user = _user(request)
        raw = request.query_params.get("page", "1")
        page = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        size = settings.MESSAGING_PAGE_SIZE
        rows = list(selectors.mailbox(user=user)[(page - 1) * size : page * size + 1])
        return Response(
            {
                "unread": selectors.unread_count(user=user),
                "page": page,
                "has_next": len(rows) > size,
                "results": [_summary(d) for d in rows[:size]],
            }
        )


class MessageView(APIView):
    """One message the user wrote or received; reading it marks it read."""

    @extend_schema(operation_id="messages_read", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        message = selectors.message_for(user=user, pk=pk)
        if message is None:
            raise Http404
        delivery = selectors.delivery_for(user=user, message_id=pk)
        if delivery is not None:
            services.delivery_read(delivery=delivery)
        return Response(_detail(message))


class SendIn(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.CharField(max_length=32), max_length=100)
    subject = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, max_length=services.MAX_BODY)
    about_pupil = serializers.IntegerField(required=False, allow_null=True)
    no_reply = serializers.BooleanField(required=False, default=False)
    reply_to = serializers.IntegerField(required=False, allow_null=True)


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
            raise ValidationError(
                {"recipients": exc.messages, "draft": [str(exc.draft.pk) if exc.draft else ""]}
            ) from None
        return Response(_detail(message), status=201)


class RecipientSearchView(APIView):
    """People the user may write to whose name matches ``?q=`` (the rules apply)."""

    @extend_schema(operation_id="messages_recipients", responses={200: dict})
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if len(query) < 2:
            raise ValidationError({"q": ["Tapez au moins deux lettres."]})
        people = rules_engine.reachable_recipients(_user(request), query)
        return Response({"results": [{"key": f"p:{p.pk}", **(_person(p) or {})} for p in people]})
