"""Reads on the messagerie, scoped to the person asking (missing and forbidden = ``None``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ostal.core.params import page_number
from ostal.directory.models import Person, SchoolAdmin
from ostal.messaging.models import Attachment, Delivery, Folder, Freeze, Message
from ostal.territory.models import Authority, School


def active_freeze(schools: list[School]) -> Freeze | None:
    """The freeze (school, its département or its région) in force for any of the schools."""
    if not schools:
        return None
    school_ids = [s.pk for s in schools]
    department_ids = [s.department_id for s in schools if s.department_id]
    regions = Authority.objects.filter(pk__in=department_ids, region__isnull=False).values(
        "region_id"
    )
    return (
        Freeze.objects.filter(lifted_at__isnull=True)
        .filter(
            Q(school_id__in=school_ids)
            | Q(authority_id__in=department_ids)
            | Q(authority_id__in=regions)
        )
        .select_related("school", "authority")
        .order_by("frozen_at")
        .first()
    )


def mailbox(
    *, user: Person, box: str = Delivery.Box.INBOX, folder: Folder | None = None
) -> QuerySet[Delivery]:
    """A person's deliveries in one box, newest first, with what a list row shows (one query)."""
    qs = Delivery.objects.filter(recipient=user, box=box, hidden=False)
    if folder is not None:
        qs = qs.filter(folder=folder)
    return qs.select_related("message__author", "message__about_pupil").order_by("-sent_at", "-pk")


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a mailbox: « précédente / suivante », no COUNT(*) on a big mailbox."""

    rows: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(qs: QuerySet[Any], raw: str | None) -> Page[Any]:
    """The page ``raw`` (a query-string value: absent is page 1, out of 1..MAX_PAGE a
    ``BadParameter``, i.e. 400) of ``qs``, ``MESSAGING_PAGE_SIZE`` rows, fetched with one
    extra row to know if there is a next."""
    number = page_number(raw)
    size = settings.MESSAGING_PAGE_SIZE
    rows = list(qs[(number - 1) * size : number * size + 1])
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size)


def folders(*, user: Person) -> list[Folder]:
    return list(Folder.objects.filter(owner=user))


def folders_with_unread(*, user: Person) -> list[Folder]:
    """The user's folders, each with ``unread`` and ``total`` (one query)."""
    visible = Q(delivery__box=Delivery.Box.FOLDER, delivery__hidden=False)
    return list(
        Folder.objects.filter(owner=user).annotate(
            total=Count("delivery", filter=visible),
            unread=Count("delivery", filter=visible & Q(delivery__read_at__isnull=True)),
        )
    )


def folder_for(*, user: Person, pk: int) -> Folder | None:
    return Folder.objects.filter(pk=pk, owner=user).first()


def attachment_for(*, user: Person, pk: int) -> Attachment | None:
    """An attachment of a message the user wrote (sent or draft) or received (copy not
    recalled); ``None`` otherwise. Whether it may be downloaded is ``downloadable``."""
    found = Attachment.objects.select_related("message").filter(pk=pk).first()
    if found is None:
        return None
    if found.message.author_id == user.pk:
        return found
    if delivery_for(user=user, message_id=found.message_id) is None:
        return None
    return found


def unread_count(*, user: Person) -> int:
    return Delivery.objects.filter(
        recipient=user, box=Delivery.Box.INBOX, hidden=False, read_at__isnull=True
    ).count()


def sent_messages(*, user: Person) -> QuerySet[Message]:
    return (
        Message.objects.filter(author=user, sent_at__isnull=False, author_trashed_at__isnull=True)
        .select_related("about_pupil")
        .order_by("-sent_at", "-pk")
    )


def drafts(*, user: Person) -> QuerySet[Message]:
    return Message.objects.filter(author=user, sent_at__isnull=True).order_by("-created_at", "-pk")


def draft_for(*, user: Person, pk: int) -> Message | None:
    return drafts(user=user).filter(pk=pk).first()


def delivery_for(*, user: Person, message_id: int) -> Delivery | None:
    """The user's copy of a message they received (not recalled)."""
    return (
        Delivery.objects.filter(recipient=user, message_id=message_id, hidden=False)
        .select_related("message__author", "message__about_pupil", "message__school")
        .first()
    )


def replyable(message: Message) -> bool:
    """A message one may answer: not no-reply, written by a person (not the platform) whose
    account is still active (a detached or erased author cannot be written to)."""
    return not message.no_reply and message.author is not None and message.author.is_active


def message_for(*, user: Person, pk: int) -> Message | None:
    """A sent message the user wrote or received."""
    return (
        Message.objects.filter(pk=pk, sent_at__isnull=False)
        .filter(Q(author=user) | Q(deliveries__recipient=user, deliveries__hidden=False))
        .select_related("author", "about_pupil", "school")
        .distinct()
        .first()
    )


def broadcast_for_admin(*, user: Person, pk: int) -> Message | None:
    """A broadcast of a school the user administers (admins oversee, and may recall, them)."""
    return (
        Message.objects.filter(
            pk=pk,
            sent_at__isnull=False,
            is_broadcast=True,
            school_id__in=SchoolAdmin.objects.filter(person=user).values("school_id"),
        )
        .select_related("author", "about_pupil", "school")
        .first()
    )


def thread_of(*, user: Person, message: Message) -> list[Message]:
    """The messages of the thread the user can see, oldest first."""
    root = message.thread_id or message.pk
    return list(
        Message.objects.filter(Q(pk=root) | Q(thread_id=root), sent_at__isnull=False)
        .filter(Q(author=user) | Q(deliveries__recipient=user, deliveries__hidden=False))
        .select_related("author", "about_pupil")
        .distinct()
        .order_by("sent_at", "pk")
    )


def recipients_of(*, message: Message, limit: int = 50) -> list[Person]:
    return [
        d.recipient
        for d in Delivery.objects.filter(message=message)
        .select_related("recipient")
        .order_by("recipient__last_name", "recipient__first_name")[:limit]
    ]


def admin_schools(*, user: Person) -> list[School]:
    return list(
        School.objects.filter(pk__in=SchoolAdmin.objects.filter(person=user).values("school_id"))
    )


def recent_sends(*, user: Person, minutes: int = 60) -> int:
    since = timezone.now() - timedelta(minutes=minutes)
    return Message.objects.filter(author=user, sent_at__gte=since).count()


# --- The shell's counter and banner, cached (no query on most pages) --------------------
# Both are invalidated by the services that change them; the TTL bounds what a cache
# local to one process (embedded profile) may miss.
CACHE_SECONDS = 60
UNREAD_KEY = "messaging:unread:{}"
FREEZES_KEY = "messaging:freezes"


@dataclass(frozen=True)
class FreezeBanner:
    scope_label: str
    reason: str
    frozen_at: datetime
    school_ids: frozenset[int]
    department_ids: frozenset[int]


def unread_count_cached(*, user: Person) -> int:
    key = UNREAD_KEY.format(user.pk)
    value = cache.get(key)
    if value is None:
        value = unread_count(user=user)
        cache.set(key, value, CACHE_SECONDS)
    return int(value)


def unread_forget(person_ids: Iterable[int]) -> None:
    cache.delete_many([UNREAD_KEY.format(pk) for pk in person_ids])


def freezes_forget() -> None:
    cache.delete(FREEZES_KEY)


def _banners() -> list[FreezeBanner]:
    banners: list[FreezeBanner] | None = cache.get(FREEZES_KEY)
    if banners is None:
        banners = []
        freezes = list(
            Freeze.objects.filter(lifted_at__isnull=True).select_related("school", "authority")
        )
        # The départements of every frozen région in one query (the shell's query budget).
        regions = {
            f.authority.pk
            for f in freezes
            if f.authority is not None and f.authority.kind == Authority.Kind.REGION
        }
        departments_of: dict[int, set[int]] = {pk: set() for pk in regions}
        if regions:
            for pk, region_id in Authority.objects.filter(
                kind=Authority.Kind.DEPARTMENT, region_id__in=regions
            ).values_list("pk", "region_id"):
                departments_of[region_id].add(pk)
        for freeze in freezes:
            departments: set[int] = set()
            if freeze.authority is not None:
                if freeze.authority.kind == Authority.Kind.REGION:
                    departments = departments_of[freeze.authority.pk]
                else:
                    departments = {freeze.authority.pk}
            banners.append(
                FreezeBanner(
                    scope_label=freeze.scope_label,
                    reason=freeze.reason,
                    frozen_at=freeze.frozen_at,
                    school_ids=frozenset({freeze.school_id} if freeze.school_id else set()),
                    department_ids=frozenset(departments),
                )
            )
        cache.set(FREEZES_KEY, banners, CACHE_SECONDS)
    return banners


def freeze_banner(schools: list[School]) -> FreezeBanner | None:
    """The freeze to announce to someone of these schools (cached; the send check reads
    the database)."""
    for banner in _banners():
        for school in schools:
            if school.pk in banner.school_ids or school.department_id in banner.department_ids:
                return banner
    return None
