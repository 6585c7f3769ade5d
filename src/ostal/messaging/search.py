"""Full-text search of one's messages (ADR 0015), on PostgreSQL and on SQLite.

What is searched: ``Message.search_text`` (subject + plain text of the body, kept by
``Message.save()``). What is found: the messages the person can see — their copies not
hidden (inbox, folders, trash; a recalled or purged copy is hidden) and the messages they
sent (not put in their trash); drafts are not searched (the « Brouillons » page lists them).
Newest first, like the mailboxes.

* PostgreSQL: the text search configuration ``ostal_fr`` (a copy of ``french`` whose word
  mappings go through ``unaccent`` before the French stemmer), the stored generated
  column ``search_vector`` = ``to_tsvector('ostal_fr', search_text)`` (unknown to Django)
  and its GIN index; the query is ``plainto_tsquery`` of the words, so « devoirs » finds
  « devoir » and « eleve » finds « Élève ».
* SQLite: the FTS5 table ``messaging_message_fts`` (external content on
  ``messaging_message``, tokenizer ``unicode61 remove_diacritics 2``) kept by triggers;
  the query is every word as a quoted FTS5 string, so no user input is FTS5 syntax.

On both, a query is cut to ``MAX_QUERY`` characters and ``MAX_WORDS`` words (letters and
digits; punctuation and operators are separators), every word must match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from ostal.directory.models import Person
from ostal.messaging.models import Delivery, Message

MAX_QUERY = 200
MAX_WORDS = 10
MAX_SENDER = 100

PG_CONFIG = "ostal_fr"
PG_INDEX = "message_search_fr"
FTS_TABLE = "messaging_message_fts"

_WORD = re.compile(r"[^\W_]+")

# --- Schema (used by migration 0002 and, on SQLite, by ``ensure_sqlite_index``) ----------
# Written out (no interpolation): PG_CONFIG, PG_INDEX and FTS_TABLE above name them.
PG_SETUP = [
    # Kept on reverse: other code may use it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # CREATE TEXT SEARCH CONFIGURATION has no IF NOT EXISTS.
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'ostal_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION ostal_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION ostal_fr
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    # Stored, not an expression index: a plan that checks the rows of one mailbox would
    # otherwise compute to_tsvector for each (~0.1 ms a message). Django does not know
    # the column: it is never selected nor written, PostgreSQL computes it.
    "ALTER TABLE messaging_message ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('ostal_fr'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS message_search_fr ON messaging_message USING gin (search_vector)",
]
PG_TEARDOWN = [
    "DROP INDEX IF EXISTS message_search_fr",
    "ALTER TABLE messaging_message DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS ostal_fr",
]
SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS messaging_message_fts USING fts5(search_text, "
    "content='messaging_message', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_ai AFTER INSERT ON messaging_message
    BEGIN
        INSERT INTO messaging_message_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_ad AFTER DELETE ON messaging_message
    BEGIN
        INSERT INTO messaging_message_fts(messaging_message_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS messaging_message_fts_au
    AFTER UPDATE OF search_text ON messaging_message BEGIN
        INSERT INTO messaging_message_fts(messaging_message_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        INSERT INTO messaging_message_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
]
SQLITE_REBUILD = "INSERT INTO messaging_message_fts(messaging_message_fts) VALUES ('rebuild')"
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS messaging_message_fts_ai",
    "DROP TRIGGER IF EXISTS messaging_message_fts_ad",
    "DROP TRIGGER IF EXISTS messaging_message_fts_au",
    "DROP TABLE IF EXISTS messaging_message_fts",
]
SQLITE_TRIGGERS = {f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"}


def sqlite_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
            "'messaging_message'"
        )
        return {row[0] for row in cursor.fetchall()}


def ensure_sqlite_index(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """Create the FTS5 table and its triggers if missing, and rebuild the table when
    triggers had to be re-created. Django rebuilds a SQLite table (and so drops its
    triggers) when a later migration alters it: this runs after every ``migrate``."""
    if connection.vendor != "sqlite":
        return
    introspection = connection.introspection
    with connection.cursor() as cursor:
        if "messaging_message" not in introspection.table_names(cursor):
            return
        table = introspection.get_table_description(cursor, "messaging_message")
    columns = {column.name for column in table}
    if "search_text" not in columns:  # migration 0002 not applied (yet, or reversed)
        return
    if sqlite_triggers(connection) >= SQLITE_TRIGGERS:
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_SETUP:
            cursor.execute(statement)
        cursor.execute(SQLITE_REBUILD)


# --- Queries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what is kept of the query: its first MAX_QUERY characters, stripped
    words: list[str]  # letters and digits only (everything else separates), MAX_WORDS at most
    cut: bool  # characters beyond MAX_QUERY were dropped
    words_cut: bool  # words beyond MAX_WORDS were dropped


def parse_query(query: str) -> ParsedQuery:
    stripped = query.strip()
    text = stripped[:MAX_QUERY].strip()
    words = _WORD.findall(text)
    return ParsedQuery(
        text=text,
        words=words[:MAX_WORDS],
        cut=len(stripped) > MAX_QUERY,
        words_cut=len(words) > MAX_WORDS,
    )


def words_of(query: str) -> list[str]:
    """The words searched for a query (see ``parse_query``)."""
    return parse_query(query).words


def _fold(text: str) -> str:
    """Lower case without accents (« Élève » → « eleve »)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _matching(qs: QuerySet[Message], words: list[str]) -> QuerySet[Message]:
    vendor = default_connection.vendor
    if vendor == "postgresql":
        return qs.filter(
            pk__in=RawSQL(  # noqa: S611 (constant SQL, the words are a parameter)
                "SELECT id FROM messaging_message "
                "WHERE search_vector @@ plainto_tsquery('ostal_fr'::regconfig, %s)",
                [" ".join(words)],
            )
        )
    if vendor == "sqlite":
        # Each word as an FTS5 string ("…"): never parsed as an operator or a column.
        match = " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)
        return qs.filter(
            pk__in=RawSQL(  # noqa: S611 (constant SQL, the match is a parameter)
                "SELECT rowid FROM messaging_message_fts WHERE messaging_message_fts MATCH %s",
                [match],
            )
        )
    for word in words:  # another database: no index, case-insensitive substring
        qs = qs.filter(search_text__icontains=word)
    return qs


def _senders(*, user: Person, sender: str) -> list[int]:
    """Ids of the authors of the user's messages whose name contains every word of
    ``sender``, accents and case ignored (compared in Python: the set of one person's
    correspondents is small, and SQLite cannot fold accents)."""
    wanted = [_fold(w) for w in words_of(sender[:MAX_SENDER])]
    if not wanted:
        return []
    received = Delivery.objects.filter(recipient=user, hidden=False).values("message__author_id")
    candidates = Person.objects.filter(Q(pk__in=received) | Q(pk=user.pk)).values_list(
        "pk", "first_name", "last_name"
    )
    return [
        pk for pk, first, last in candidates if all(w in _fold(f"{first} {last}") for w in wanted)
    ]


def message_search(*, user: Person, query: str, sender: str | None = None) -> QuerySet[Message]:
    """The messages ``user`` can see that contain every word of ``query`` (subject or
    body), newest first; with ``sender``, only those whose author's name contains every
    word of it (a sender alone lists all their messages). Each row is annotated with the
    user's copy: ``box`` (``None`` for a message they sent and did not receive),
    ``folder_pk``, ``folder_name``, ``read_at``. Without a word in ``query`` nor in
    ``sender``, nothing."""
    words = words_of(query)
    by_sender = bool(words_of(sender or ""))
    if not words and not by_sender:
        return Message.objects.none()
    received = Delivery.objects.filter(recipient=user, hidden=False)
    sent = Message.objects.filter(
        author=user, sent_at__isnull=False, author_trashed_at__isnull=True
    )
    # One IN (… UNION ALL …), not an OR: the planner can start from the person's own rows
    # (indexes on recipient and author) instead of scanning every message.
    scope = received.values("message_id").union(sent.values("pk"), all=True)
    qs = Message.objects.filter(sent_at__isnull=False, pk__in=scope)
    if by_sender:
        qs = qs.filter(author_id__in=_senders(user=user, sender=sender or ""))
    if words:
        qs = _matching(qs, words)
    mine = received.filter(message=OuterRef("pk"))
    return (
        qs.annotate(
            box=Subquery(mine.values("box")[:1]),
            folder_pk=Subquery(mine.values("folder_id")[:1]),
            folder_name=Subquery(mine.values("folder__name")[:1]),
            read_at=Subquery(mine.values("read_at")[:1]),
        )
        .select_related("author", "about_pupil")
        .order_by("-sent_at", "-pk")
    )
