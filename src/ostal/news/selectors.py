"""Reads on the news, always scoped to the person asking.

A reader's *contexts* say where they stand: a pupil in their school, class and groups; a
parent once per child (child's school, class and groups: the item names the child it
concerns); staff in each school they belong to, with the classes and groups they teach.
An item reaches a context when it is live, targets the context's profile, is sent to its
school, and targets the whole school or one of its classes or groups. Everything else,
missing or not for them, is the same ``None`` (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ostal.directory.models import (
    STAFF_PROFILES,
    Affiliation,
    GroupMembership,
    HeadTeacher,
    Person,
    Profile,
    TeachingAssignment,
)
from ostal.directory.selectors import children_of, current_enrolments
from ostal.news.abilities import can_manage_item, news_editor_school_ids
from ostal.news.models import NewsItem, NewsRead, live_q


@dataclass(frozen=True)
class ReaderContext:
    """Where a reader stands: a school, the classes and groups that concern them there,
    the audience flag that matches them, and for a parent the child concerned."""

    school_id: int
    class_ids: frozenset[int]
    group_ids: frozenset[int]
    audience: str  # "for_pupils" | "for_parents" | "for_staff"
    child: Person | None = None


@dataclass
class ReaderItem:
    """An item as a reader sees it: which of their children it concerns, whether read."""

    item: NewsItem
    children: list[Person] = field(default_factory=list)
    read: bool = False

    def is_today(self) -> bool:
        at = self.item.publish_at
        return at is not None and timezone.localdate(at) == timezone.localdate()


def _groups_of(pupil_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {pk: set() for pk in pupil_ids}
    rows = GroupMembership.objects.filter(
        person_id__in=pupil_ids, group__archived=False
    ).values_list("person_id", "group_id")
    for person_id, group_id in rows:
        found[person_id].add(group_id)
    return found


def reader_contexts(*, user: Person) -> list[ReaderContext]:
    """The reader's contexts (two to four queries whatever the number of children)."""
    if user.profile == Profile.RELATIVE:
        children = [c for c in children_of(relative=user) if c.school_class is not None]
        groups = _groups_of([c.pupil.pk for c in children])
        return [
            ReaderContext(
                school_id=c.school_class.school_id,  # type: ignore[union-attr]
                class_ids=frozenset({c.school_class.pk}),  # type: ignore[union-attr]
                group_ids=frozenset(groups[c.pupil.pk]),
                audience="for_parents",
                child=c.pupil,
            )
            for c in children
        ]
    if user.profile == Profile.PUPIL:
        enrolments = list(current_enrolments().filter(pupil=user))
        own_groups = _groups_of([user.pk])[user.pk]
        return [
            ReaderContext(
                school_id=e.school_class.school_id,
                class_ids=frozenset({e.school_class_id}),
                group_ids=frozenset(own_groups),
                audience="for_pupils",
            )
            for e in enrolments
        ]
    school_ids = set(
        Affiliation.objects.filter(person=user, profile__in=STAFF_PROFILES).values_list(
            "school_id", flat=True
        )
    )
    if not school_ids:
        return []
    taught = TeachingAssignment.objects.filter(teacher=user).values_list(
        "school_class_id", "group_id"
    )
    class_ids = {c for c, _g in taught if c} | set(
        HeadTeacher.objects.filter(teacher=user).values_list("school_class_id", flat=True)
    )
    group_ids = {g for _c, g in taught if g}
    return [
        ReaderContext(
            school_id=pk,
            class_ids=frozenset(class_ids),
            group_ids=frozenset(group_ids),
            audience="for_staff",
        )
        for pk in sorted(school_ids)
    ]


def _context_q(ctx: ReaderContext) -> Q:
    reach = Q(whole_school=True)
    if ctx.class_ids:
        reach |= Q(classes__in=ctx.class_ids)
    if ctx.group_ids:
        reach |= Q(groups__in=ctx.group_ids)
    return Q(schools=ctx.school_id) & reach & Q(**{ctx.audience: True})


def _matches(item: NewsItem, ctx: ReaderContext) -> bool:
    if not getattr(item, ctx.audience):
        return False
    if ctx.school_id not in {s.pk for s in item.schools.all()}:
        return False
    if item.whole_school:
        return True
    return bool(
        ctx.class_ids & {c.pk for c in item.classes.all()}
        or ctx.group_ids & {g.pk for g in item.groups.all()}
    )


def _readable(contexts: list[ReaderContext], now: datetime) -> QuerySet[NewsItem]:
    if not contexts:
        return NewsItem.objects.none()
    reach = Q()
    for ctx in contexts:
        reach |= _context_q(ctx)
    ids = NewsItem.objects.filter(live_q(now)).filter(reach).values("pk")
    return (
        NewsItem.objects.filter(pk__in=ids)
        .select_related("school", "authority", "author")
        .prefetch_related("schools", "classes", "groups")
    )


def _reader_items(
    user: Person, items: list[NewsItem], contexts: list[ReaderContext]
) -> list[ReaderItem]:
    read = set(
        NewsRead.objects.filter(reader=user, item__in=[i.pk for i in items]).values_list(
            "item_id", flat=True
        )
    )
    result = []
    for item in items:
        children = []
        for ctx in contexts:
            if ctx.child is not None and _matches(item, ctx) and ctx.child not in children:
                children.append(ctx.child)
        result.append(ReaderItem(item=item, children=children, read=item.pk in read))
    return result


def news_for_reader(*, user: Person, limit: int = 50) -> list[ReaderItem]:
    """The live items for the reader: today's first, then pinned, then newest; each with
    the children it concerns (parents) and whether it was read. Query count constant."""
    now = timezone.now()
    contexts = reader_contexts(user=user)
    items = list(_readable(contexts, now).order_by("-pinned", "-publish_at", "-pk")[:limit])
    entries = _reader_items(user, items, contexts)
    today = timezone.localdate(now)
    # Stable sort: today's items lead, the rest keep pinned-then-newest.
    entries.sort(key=lambda e: timezone.localdate(e.item.publish_at) != today)  # type: ignore[arg-type]
    return entries


def news_item_for_reader(*, user: Person, pk: int) -> ReaderItem | None:
    """One live item the reader may read, or ``None``."""
    contexts = reader_contexts(user=user)
    item = _readable(contexts, timezone.now()).filter(pk=pk).first()
    if item is None:
        return None
    return _reader_items(user, [item], contexts)[0]


def _with_counts(qs: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    return (
        qs.select_related("school", "authority", "author")
        .prefetch_related("classes", "groups")
        .annotate(read_count=Count("reads", distinct=True))
        .order_by("-updated_at", "-pk")
    )


def news_of_author(*, user: Person) -> list[NewsItem]:
    """The person's own items in every state, with their « lue par » count."""
    return list(_with_counts(NewsItem.objects.filter(author=user)))


def news_to_validate(*, user: Person) -> list[NewsItem]:
    """Items submitted for the schools whose news the person validates."""
    schools = news_editor_school_ids(user)
    if not schools:
        return []
    qs = NewsItem.objects.filter(status=NewsItem.Status.SUBMITTED, school_id__in=schools)
    return list(_with_counts(qs))


def news_item_for_editor(*, user: Person, pk: int) -> NewsItem | None:
    """An item its author, or the direction of its school, or an admin of its body may
    see in any state (preview, validation); ``None`` otherwise."""
    item = _with_counts(NewsItem.objects.filter(pk=pk)).first()
    if item is None:
        return None
    return item if can_manage_item(user, item) else None
