"""The search page of the messagerie (``/messagerie/recherche/?q=&de=&page=``, ADR 0015)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ostal.directory.models import Person
from ostal.messaging import selectors
from ostal.messaging.search import (
    MAX_QUERY,
    MAX_SENDER,
    MAX_WORDS,
    message_search,
    parse_query,
)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Messages the user can see containing every word typed (subject and text), newest
    first, 25 a page; « Expéditeur » keeps the senders whose name contains what is typed."""
    user: Person = request.user  # type: ignore[assignment]
    parsed = parse_query(request.GET.get("q", ""))
    sender = request.GET.get("de", "")[:MAX_SENDER].strip()
    error = ""
    notices: list[str] = []
    page = None
    if parsed.text and not parsed.words:
        error = (
            f"« {parsed.text} » ne contient aucun mot à chercher : tapez des lettres ou des "
            "chiffres (la ponctuation est ignorée)."
        )
    elif parsed.words or parse_query(sender).words:
        if parsed.cut:
            notices.append(f"Recherche limitée aux {MAX_QUERY} premiers caractères.")
        if parsed.words_cut:
            notices.append(f"Seuls les {MAX_WORDS} premiers mots sont cherchés.")
        found = message_search(user=user, query=parsed.text, sender=sender)
        page = selectors.page_of(found, request.GET.get("page"))
    return render(
        request,
        "messaging/search.html",
        {
            "query": parsed.text,
            "sender": sender,
            "page": page,
            "error": error,
            "notices": notices,
            "folders": selectors.folders(user=user),
            "max_query": MAX_QUERY,
            "max_sender": MAX_SENDER,
        },
    )
