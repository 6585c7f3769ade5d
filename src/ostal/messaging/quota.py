"""Per-user storage quota of the messagerie (``MESSAGING_QUOTA_MB``, 0 = no quota).

What a person *holds* counts, measured as the size of the attachments of:
* the messages they received and still keep — inbox, own folders **and trash** — except
  the copies hidden by a recall;
* the messages they wrote and keep — their sent messages not put in the trash, and their
  drafts.
Bodies are not counted: they are capped at ``services.MAX_BODY`` characters and measuring
them means reading every message held, which the inbox cannot afford.

Over the quota, sends and new attachments (draft or send) are refused with a French
message giving the usage and the limit; the draft is kept. **Receiving is never refused**:
a message to someone over quota is still delivered (losing mail is worse than going over).
Emptying the trash, deleting drafts and trashing sent messages with attachments frees space.

The usage shown on the pages is cached like the unread counter (one aggregate query when
cold, none when warm); the check made before a send reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ostal.directory.models import Person
from ostal.messaging.models import Attachment

CACHE_SECONDS = 60
QUOTA_KEY = "messaging:quota:{}"
MB = 1024 * 1024


def size_label(size: int) -> str:
    """« 12 Mo », « 0,4 Mo » (one decimal under 10 Mo)."""
    value = size / MB
    text = f"{value:.1f}".replace(".", ",") if value < 10 else f"{round(value)}"
    return f"{text} Mo"


@dataclass(frozen=True)
class Quota:
    used: int  # bytes
    limit: int  # bytes; 0 = no quota

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    @property
    def over(self) -> bool:
        return self.enabled and self.used > self.limit

    def would_exceed(self, extra: int) -> bool:
        return self.enabled and self.used + extra > self.limit

    @property
    def label(self) -> str:
        """« 12 Mo sur 200 Mo »."""
        if not self.enabled:
            return f"{size_label(self.used)} (pas de limite)"
        return f"{size_label(self.used)} sur {size_label(self.limit)}"

    @property
    def high(self) -> int:
        """Where a ``<meter>`` turns to a warning: 90 % of the limit."""
        return self.limit * 9 // 10

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.limit)) if self.enabled else 0

    def as_json(self) -> dict[str, object]:
        return {
            "used": self.used,
            "limit": self.limit or None,
            "over": self.over,
            "label": self.label,
        }


def _limit() -> int:
    return max(int(settings.MESSAGING_QUOTA_MB), 0) * MB


def _total(qs: QuerySet[Attachment]) -> Subquery:
    """``SELECT SUM(size)`` of the attachments, as a scalar subquery (no GROUP BY)."""
    summed = qs.order_by().annotate(total=Func(F("size"), function="SUM")).values("total")
    return Subquery(summed, output_field=IntegerField())


def usage(*, user: Person) -> int:
    """Bytes of attachments the user holds (see the module docstring), in one query of two
    scalar subqueries, each driven by an index (the user's copies; the user's messages)."""
    received = Attachment.objects.filter(
        message__deliveries__recipient=OuterRef("pk"), message__deliveries__hidden=False
    )
    written = Attachment.objects.filter(
        message__author=OuterRef("pk"), message__author_trashed_at__isnull=True
    )
    zero = Value(0, output_field=IntegerField())
    row = (
        Person.objects.filter(pk=user.pk)
        .annotate(
            received=Coalesce(_total(received), zero), written=Coalesce(_total(written), zero)
        )
        .values_list("received", "written")
        .first()
    )
    return sum(row) if row else 0


def quota_of(*, user: Person) -> Quota:
    """The user's quota read from the database (the check before a send)."""
    limit = _limit()
    return Quota(used=usage(user=user), limit=limit)


def quota_cached(*, user: Person) -> Quota:
    """The user's quota for display (cached ``CACHE_SECONDS``, forgotten by the services
    that change it)."""
    key = QUOTA_KEY.format(user.pk)
    used = cache.get(key)
    if used is None:
        used = usage(user=user)
        cache.set(key, used, CACHE_SECONDS)
    return Quota(used=int(used), limit=_limit())


def quota_forget(person_ids: Iterable[int]) -> None:
    cache.delete_many([QUOTA_KEY.format(pk) for pk in person_ids])


def refusal(quota: Quota, *, extra: int = 0) -> str | None:
    """The French refusal of a send or an upload of ``extra`` bytes, or ``None``."""
    if not quota.over and not quota.would_exceed(extra):
        return None
    needed = f" (les nouvelles pièces jointes font {size_label(extra)})" if extra else ""
    return (
        f"Votre messagerie est pleine : elle occupe {size_label(quota.used)} sur "
        f"{size_label(quota.limit)} autorisés{needed}. Libérez de la place en vidant la "
        "corbeille, en supprimant des brouillons ou en mettant à la corbeille puis en vidant "
        "les messages avec de grosses pièces jointes. Les messages reçus continuent d'arriver."
    )
