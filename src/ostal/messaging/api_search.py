"""API of the message search: ``GET /api/v1/messages/recherche/?q=&de=&page=`` (ADR 0015).

Same shape as the inbox (``api._list``: ``unread``, ``quota``, ``page``, ``has_next``,
``results``); each result has the inbox summary's keys plus ``box`` (``inbox``,
``folder``, ``trash``, or ``sent`` for a message the user sent and did not receive),
``folder`` (its id) and ``folder_name``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.messaging.api import _list, _person, _user
from ostal.messaging.models import Message
from ostal.messaging.search import MAX_SENDER, message_search, parse_query


def _result(message: Message) -> dict[str, Any]:
    box = getattr(message, "box", None)
    read_at = getattr(message, "read_at", None)
    return {
        "id": message.pk,
        "subject": message.subject,
        "author": _person(message.author),
        "about_pupil": _person(message.about_pupil),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "read": box is None or read_at is not None,
        "is_broadcast": message.is_broadcast,
        "box": box or "sent",
        "folder": getattr(message, "folder_pk", None),
        "folder_name": getattr(message, "folder_name", None),
    }


class SearchView(APIView):
    """Messages the user can see (received copies not recalled nor purged, in any box, and
    messages sent; not drafts) containing every word of ``q``, newest first; ``de`` keeps
    the senders whose name contains it."""

    @extend_schema(
        operation_id="messages_search",
        parameters=[
            OpenApiParameter("q", str, description="Mots à chercher (objet et texte)."),
            OpenApiParameter("de", str, description="Nom de l'expéditeur (facultatif)."),
            OpenApiParameter("page", int),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        parsed = parse_query(request.query_params.get("q", ""))
        sender = request.query_params.get("de", "")[:MAX_SENDER].strip()
        if parsed.text and not parsed.words:
            raise ValidationError(
                {"q": ["Aucun mot à chercher : tapez des lettres ou des chiffres."]}
            )
        if not parsed.words and not parse_query(sender).words:
            raise ValidationError(
                {"q": ["Tapez au moins un mot à chercher, ou le nom d'un expéditeur (de)."]}
            )
        return _list(request, message_search(user=user, query=parsed.text, sender=sender), _result)
