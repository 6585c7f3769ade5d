"""JSON API of the news for the mobile app (``/api/v1/news/``): the reader's list (today's
items first, as on the page) and an item, which marks it read. Same selectors as the
pages; an item the reader may not read, or that does not exist, is the API's 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.api.serializers import ErrorSerializer
from ostal.directory.models import Person
from ostal.news import selectors, services
from ostal.news.selectors import ReaderItem

ERRORS = {401: ErrorSerializer, 404: ErrorSerializer}

_CHILDREN = inline_serializer(
    "NewsChild", {"id": serializers.IntegerField(), "name": serializers.CharField()}, many=True
)
_FIELDS: dict[str, Any] = {
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "owner": serializers.CharField(),
    "author": serializers.CharField(allow_null=True),
    "published_at": serializers.DateTimeField(),
    "pinned": serializers.BooleanField(),
    "today": serializers.BooleanField(),
    "read": serializers.BooleanField(),
    "children": _CHILDREN,
}
NewsSummaries = inline_serializer("NewsSummary", _FIELDS, many=True)
NewsDetail = inline_serializer(
    "NewsDetail",
    {
        **_FIELDS,
        "body": serializers.CharField(help_text="HTML sanitised with the news policy"),
        "first_read": serializers.BooleanField(),
    },
)


def _summary(entry: ReaderItem) -> dict[str, Any]:
    item = entry.item
    return {
        "id": item.pk,
        "title": item.title,
        "owner": item.owner_label,
        "author": item.author.display_name if item.author else None,
        "published_at": item.publish_at.isoformat() if item.publish_at else None,
        "pinned": item.pinned,
        "today": entry.is_today(),
        "read": entry.read,
        "children": [{"id": c.pk, "name": c.display_name} for c in entry.children],
    }


class NewsListView(APIView):
    """The news the person may read now, today's first, then pinned, then newest."""

    @extend_schema(operation_id="news_list", responses={200: NewsSummaries, **ERRORS})
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        return Response([_summary(e) for e in selectors.news_for_reader(user=user)])


class NewsItemView(APIView):
    """One item with its body; reading it marks it read (the author's count)."""

    @extend_schema(operation_id="news_read", responses={200: NewsDetail, **ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        entry = selectors.news_item_for_reader(user=user, pk=pk)
        if entry is None:
            raise Http404
        first = services.news_mark_read(reader=user, item=entry.item)
        data = _summary(entry)
        data.update(read=True, body=entry.item.body, first_read=first)
        return Response(data)
