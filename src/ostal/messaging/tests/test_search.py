"""Full-text search of one's messages (ADR 0015): scope, accents, stemming (PostgreSQL),
punctuation and operators, sender filter, page, API, query count; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostal.messaging import search, services
from ostal.messaging.models import Delivery, Folder, Message, message_search_text

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


def _deliver(author, recipient, subject, body="<p>Texte</p>", **delivery):
    """A sent message with one copy (written like the services do: ``save()`` keeps the
    indexed text)."""
    now = timezone.now()
    message = Message.objects.create(
        author=author, subject=subject, body=body, sent_at=now, recipient_count=1
    )
    Delivery.objects.create(message=message, recipient=recipient, sent_at=now, **delivery)
    return message


def _found(user, query, sender=None):
    return set(
        search.message_search(user=user, query=query, sender=sender).values_list(
            "subject", flat=True
        )
    )


def test_indexed_text_is_subject_and_plain_text_of_the_body() -> None:
    """Tags are separators, not text; character references are decoded."""
    text = message_search_text(
        "Sortie", '<p>Rendez-vous<br>à 8&nbsp;h</p><p><a href="https://x.fr/devoir">lien</a></p>'
    )
    assert text == "Sortie Rendez-vous à 8 h lien"
    assert "href" not in text and "devoir" not in text


def test_save_keeps_the_indexed_text(mw) -> None:
    """Every writer goes through ``save()``: a send, a draft edit (even a partial save)."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="Sortie",
        body="<p>Rendez-vous au <strong>musée</strong></p>",
    )  # fmt: skip
    assert message.search_text == "Sortie Rendez-vous au musée"
    assert _found(w.pupil, "musee") == {"Sortie"}
    message.subject = "Sortie annulée"
    message.save(update_fields=["subject"])
    message.refresh_from_db()
    assert message.search_text == "Sortie annulée Rendez-vous au musée"
    assert _found(w.pupil, "annulee") == {"Sortie annulée"}
    message.recalled_at = timezone.now()
    message.save(update_fields=["recalled_at"])  # untouched text: still found
    assert _found(w.pupil, "annulee") == {"Sortie annulée"}


def test_scope_is_what_the_user_can_see(mw) -> None:
    """Inbox, folders, trash and sent messages are searched; another person's messages,
    recalled or purged copies, drafts and sent messages put in the trash are not."""
    w = mw.world
    folder = Folder.objects.create(owner=w.pupil, name="Sorties")
    _deliver(w.teacher, w.pupil, "Musée boîte")
    _deliver(w.teacher, w.pupil, "Musée dossier", box=Delivery.Box.FOLDER, folder=folder)
    _deliver(w.teacher, w.pupil, "Musée corbeille", box=Delivery.Box.TRASH)
    _deliver(w.teacher, w.pupil, "Musée rappelé", hidden=True)  # recalled broadcast
    _deliver(w.teacher, w.pupil, "Musée purgé", box=Delivery.Box.TRASH, hidden=True)
    _deliver(w.teacher, w.other_pupil, "Musée d'un autre")
    _deliver(w.pupil, w.teacher, "Musée envoyé")
    trashed = _deliver(w.pupil, w.teacher, "Musée envoyé jeté")
    trashed.author_trashed_at = timezone.now()
    trashed.save(update_fields=["author_trashed_at"])
    Message.objects.create(author=w.pupil, subject="Musée brouillon")  # a draft
    assert _found(w.pupil, "musée") == {
        "Musée boîte",
        "Musée dossier",
        "Musée corbeille",
        "Musée envoyé",
    }
    assert _found(w.other_pupil, "musée") == {"Musée d'un autre"}
    assert _found(w.parent, "musée") == set()
    # The teacher wrote most of them; the pupil's sent message is one they received.
    assert _found(w.teacher, "musée") == {
        "Musée boîte",
        "Musée dossier",
        "Musée corbeille",
        "Musée rappelé",
        "Musée purgé",
        "Musée d'un autre",
        "Musée envoyé",
        "Musée envoyé jeté",
    }


def test_rows_say_where_the_message_is(mw) -> None:
    """Each result carries the user's copy: box, folder, read state; sent = no copy."""
    w = mw.world
    folder = Folder.objects.create(owner=w.pupil, name="Sorties")
    _deliver(w.teacher, w.pupil, "Musée A", box=Delivery.Box.FOLDER, folder=folder)
    _deliver(w.pupil, w.teacher, "Musée B")
    rows = {m.subject: m for m in search.message_search(user=w.pupil, query="musee")}
    assert rows["Musée A"].box == "folder" and rows["Musée A"].folder_name == "Sorties"
    assert rows["Musée A"].read_at is None
    assert rows["Musée B"].box is None


def test_accents_and_case_do_not_matter(mw) -> None:
    w = mw.world
    _deliver(w.teacher, w.pupil, "Réunion", body="<p>L'ÉLÈVE doit apporter sa fiche</p>")
    _deliver(w.teacher, w.pupil, "Autre", body="<p>une eleve absente</p>")
    assert _found(w.pupil, "eleve") == {"Réunion", "Autre"}
    assert _found(w.pupil, "Élève") == {"Réunion", "Autre"}
    assert _found(w.pupil, "REUNION") == {"Réunion"}
    assert _found(w.pupil, "eleve fiche") == {"Réunion"}  # every word must match
    assert _found(w.pupil, "eleve piscine") == set()


@pytest.mark.skipif(not on_postgres, reason="French stemming is PostgreSQL's (ostal_fr)")
def test_french_stemming_on_postgresql(mw) -> None:
    """« devoirs » finds « devoir » and back; « élèves » finds « Élève »."""
    w = mw.world
    _deliver(w.teacher, w.pupil, "Le devoir de mardi", body="<p>Un Élève</p>")
    _deliver(w.teacher, w.pupil, "Les devoirs rendus")
    assert _found(w.pupil, "devoirs") == {"Le devoir de mardi", "Les devoirs rendus"}
    assert _found(w.pupil, "devoir") == {"Le devoir de mardi", "Les devoirs rendus"}
    assert _found(w.pupil, "eleves") == {"Le devoir de mardi"}


@pytest.mark.skipif(not on_postgres, reason="the GIN index is PostgreSQL's")
def test_postgresql_query_uses_the_gin_index(mw) -> None:
    """The words are matched through the GIN index on the stored ``search_vector``."""
    w = mw.world
    _deliver(w.teacher, w.pupil, "Musée")
    qs = search._matching(Message.objects.all(), ["musee"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "message_search_fr" in plan


PUNCTUATION = [
    '"', "'", "*", "(", ")", "-", ":", "^", "+", "~", "NEAR(", '""', "***", "a\"b", "AND",
    "OR", "NOT", "a OR", "NOT musée", "musée*", "-musée", "col:musée", "\\", "%", "_", "&|!",
    "<p>", "l'élève", "\x00",
]  # fmt: skip


@pytest.mark.parametrize("query", PUNCTUATION)
def test_punctuation_and_operators_never_crash(mw, query) -> None:
    """FTS5 and tsquery syntax in a query is plain punctuation (a separator)."""
    w = mw.world
    _deliver(w.teacher, w.pupil, "Musée", body="<p>l'élève AND musée NOT OR</p>")
    assert _found(w.pupil, query) <= {"Musée"}


def test_operators_are_words(mw) -> None:
    """« NOT musée » is two words to find, not a negation."""
    w = mw.world
    _deliver(w.teacher, w.pupil, "Musée", body="<p>NOT here</p>")
    _deliver(w.teacher, w.pupil, "Musée seul")
    assert _found(w.pupil, "-musée") == {"Musée", "Musée seul"}
    assert _found(w.pupil, "musée*") == {"Musée", "Musée seul"}
    assert _found(w.pupil, "NOT musée") == {"Musée"}
    assert _found(w.pupil, "musée OR piscine") == set()


def test_long_query_is_cut(mw, login) -> None:
    w = mw.world
    _deliver(w.teacher, w.pupil, "Musée")
    parsed = search.parse_query("musée " + "x" * 1000)
    assert len(parsed.text) == search.MAX_QUERY and parsed.cut
    many = search.parse_query(" ".join(["musée"] * 40))
    assert len(many.words) == search.MAX_WORDS and many.words_cut
    client = login(w.pupil)
    page = client.get("/messagerie/recherche/", {"q": "musée " + "é" * 5000}).content.decode()
    assert "Recherche limitée aux 200 premiers caractères." in page
    page = client.get("/messagerie/recherche/", {"q": " ".join(["musée"] * 40)})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Seuls les 10 premiers mots sont cherchés." in body and ">Musée</a>" in body


def test_sender_filter_ignores_accents(mw) -> None:
    """« de » keeps the senders whose name contains every word typed; alone, it lists
    their messages."""
    w = mw.world
    _deliver(w.admin, w.teacher, "Conseil de classe")  # Hélène Iglesias
    _deliver(mw.cpe, w.teacher, "Conseil de discipline")  # Karim Lopez
    _deliver(w.admin, w.pupil, "Conseil pour un autre")
    assert _found(w.teacher, "conseil", sender="helene") == {"Conseil de classe"}
    assert _found(w.teacher, "conseil", sender="LOPEZ karim") == {"Conseil de discipline"}
    assert _found(w.teacher, "conseil", sender="Dupont") == set()
    assert _found(w.teacher, "", sender="Iglésias") == {"Conseil de classe"}
    assert _found(w.teacher, "", sender="") == set()
    assert _found(w.teacher, "", sender="!!") == set()


def test_nav_has_a_search_box_and_the_page_says_what_to_type(mw, login) -> None:
    w = mw.world
    client = login(w.pupil)
    for url in ("/messagerie/", "/messagerie/envoyes/", "/messagerie/corbeille/"):
        page = client.get(url).content.decode()
        assert 'role="search"' in page and 'action="/messagerie/recherche/"' in page
    empty = client.get("/messagerie/recherche/")
    assert empty.status_code == 200
    assert "Tapez un ou plusieurs mots" in empty.content.decode()
    bad = client.get("/messagerie/recherche/", {"q": "*** ((("}).content.decode()
    assert 'role="alert"' in bad and "ne contient aucun mot à chercher" in bad


def test_page_lists_results_and_pages_keep_the_query(mw, login, settings) -> None:
    settings.MESSAGING_PAGE_SIZE = 5
    w = mw.world
    for i in range(7):
        _deliver(w.teacher, w.pupil, f"Sortie {i}", body="<p>au musée</p>")
    _deliver(w.teacher, w.pupil, "Autre chose")
    _deliver(w.teacher, w.other_pupil, "Sortie secrète", body="<p>musée</p>")
    client = login(w.pupil)
    first = client.get("/messagerie/recherche/", {"q": "musee"}).content.decode()
    assert first.index("Sortie 6") < first.index("Sortie 2")  # newest first
    assert "Sortie 1" not in first and "Autre chose" not in first and "secrète" not in first
    assert "?q=musee&amp;page=2" in first and "Boîte de réception" in first
    second = client.get("/messagerie/recherche/", {"q": "musee", "page": 2}).content.decode()
    assert "Sortie 1" in second and "Sortie 0" in second and "Sortie 6" not in second
    none = client.get("/messagerie/recherche/", {"q": "piscine"}).content.decode()
    assert "Aucun message ne correspond à cette recherche." in none


def test_api_search(mw, bearer) -> None:
    """Same shape as the inbox, plus where each message is; bad queries are 400."""
    w = mw.world
    folder = Folder.objects.create(owner=w.pupil, name="Sorties")
    _deliver(w.teacher, w.pupil, "Musée", box=Delivery.Box.FOLDER, folder=folder)
    _deliver(w.pupil, w.teacher, "Musée aussi")
    _deliver(w.teacher, w.other_pupil, "Musée secret")
    client = bearer(w.pupil)
    data = client.get("/api/v1/messages/recherche/", {"q": "MUSEE"}).json()
    assert {"unread", "page", "has_next", "results"} <= set(data)
    assert data["page"] == 1 and data["has_next"] is False
    results = {r["subject"]: r for r in data["results"]}
    assert set(results) == {"Musée", "Musée aussi"}
    assert results["Musée"]["box"] == "folder" and results["Musée"]["folder"] == folder.pk
    assert results["Musée"]["folder_name"] == "Sorties"
    assert results["Musée"]["read"] is False
    assert results["Musée"]["author"]["id"] == w.teacher.pk
    assert results["Musée aussi"]["box"] == "sent" and results["Musée aussi"]["read"] is True
    by_sender = client.get("/api/v1/messages/recherche/", {"de": "garcia"}).json()
    assert [r["subject"] for r in by_sender["results"]] == ["Musée"]
    for bad in ({}, {"q": "  "}, {"q": '"*()'}):
        response = client.get("/api/v1/messages/recherche/", bad)
        assert response.status_code == 400 and "q" in response.json()["error"]["fields"]


def test_results_page_query_count_is_constant(mw, login) -> None:
    """The results page runs the same queries for 3 or 30 results (no per-row query)."""
    w = mw.world
    folder = Folder.objects.create(owner=w.pupil, name="Sorties")
    client = login(w.pupil)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/messagerie/recherche/", {"q": "musée"}).status_code == 200
        return len(ctx.captured_queries)

    client.get("/messagerie/recherche/", {"q": "musée"})
    for i in range(3):
        _deliver(w.teacher, w.pupil, f"Musée {i}")
    small = count()
    for i in range(27):
        author = (w.teacher, mw.cpe, w.admin)[i % 3]
        kind = {"box": Delivery.Box.FOLDER, "folder": folder} if i % 2 else {}
        _deliver(author, w.pupil, f"Musée n{i}", **kind)
        _deliver(w.pupil, author, f"Musée r{i}")
    assert count() == small
    with CaptureQueriesContext(connection) as ctx:
        client.get("/messagerie/recherche/", {"q": "musée", "de": "lopez"})
    assert len(ctx.captured_queries) == small + 1  # the sender's ids


@pytest.mark.skipif(on_postgres, reason="the FTS5 table and its triggers are SQLite's")
def test_sqlite_triggers_come_back_after_migrate(mw) -> None:
    """A later migration that alters the table drops its triggers on SQLite: the
    post-migrate hook puts them back and rebuilds the FTS5 table."""
    w = mw.world
    message = _deliver(w.teacher, w.pupil, "Musée")
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    message.subject = "Piscine"
    message.save(update_fields=["subject"])  # not indexed: no trigger
    assert _found(w.pupil, "piscine") == set()
    search.ensure_sqlite_index(connection)
    assert search.sqlite_triggers(connection) >= search.SQLITE_TRIGGERS
    assert _found(w.pupil, "piscine") == {"Piscine"} and _found(w.pupil, "musee") == set()
    message.delete()
    assert _found(w.pupil, "piscine") == set()
