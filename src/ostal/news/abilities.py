"""Who may write, validate and manage news: predicates named after ENT relations.

* the **direction** of a school (its ``DIR`` staff) and its local admins (ADML) publish for
  the school, for any of its classes and groups, and validate what teachers submit;
* a **teacher** writes for the classes and groups they teach; the item is *submitted* for
  the direction's validation unless the school lets teachers publish directly
  (``NewsSettings.teachers_publish_directly``, off by default);
* an **admin of a collectivité** (``AuthorityRole.is_admin``) publishes for the schools it
  is responsible for; an admin of the **region** for every school of the region;
* pupils never publish news (so the messaging freeze, which freezes pupils' publication,
  has nothing to freeze here); parents neither.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ostal.directory.abilities import is_admin_of_school, is_teacher_of_class
from ostal.directory.models import (
    Affiliation,
    AuthorityRole,
    HeadTeacher,
    Person,
    Profile,
    SchoolAdmin,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.news.models import NewsItem, NewsSettings
from ostal.territory.models import Authority, School


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_news_editor_of_school(user: Any, school: School | None) -> bool:
    """The school's direction or local admins: they publish and validate its news."""
    if not _authenticated(user) or school is None:
        return False
    return bool(
        is_admin_of_school(user, school)
        or Affiliation.objects.filter(
            person_id=user.pk, school=school, profile=Profile.DIRECTION
        ).exists()
    )


def news_editor_school_ids(user: Any) -> set[int]:
    """Schools whose news the person publishes and validates (one query)."""
    if not _authenticated(user):
        return set()
    return set(
        School.objects.filter(
            Q(pk__in=SchoolAdmin.objects.filter(person_id=user.pk).values("school_id"))
            | Q(
                pk__in=Affiliation.objects.filter(
                    person_id=user.pk, profile=Profile.DIRECTION
                ).values("school_id")
            )
        ).values_list("pk", flat=True)
    )


def is_teacher_of_group(user: Any, group: TeachingGroup | None) -> bool:
    if not _authenticated(user) or group is None:
        return False
    return TeachingAssignment.objects.filter(teacher_id=user.pk, group=group).exists()


def is_admin_of_authority(user: Any, authority: Authority | None) -> bool:
    """An admin of the collectivité (or of the region)."""
    if not _authenticated(user) or authority is None:
        return False
    return AuthorityRole.objects.filter(
        person_id=user.pk, authority=authority, is_admin=True
    ).exists()


def publishing_authorities(user: Any) -> list[Authority]:
    """Collectivités and region the person publishes for (admin there)."""
    if not _authenticated(user):
        return []
    return list(
        Authority.objects.filter(
            staff__person_id=user.pk,
            staff__is_admin=True,
            kind__in=[Authority.Kind.REGION, Authority.Kind.DEPARTMENT],
        ).order_by("kind", "name")
    )


def authority_schools(authority: Authority) -> QuerySet[School]:
    """The schools a body's news reaches: those it is responsible for; for the region,
    every school of the region (lycées and collèges alike)."""
    q = Q(responsible_authority=authority)
    if authority.kind == Authority.Kind.REGION:
        q |= Q(department__region=authority)
    return School.objects.filter(q, is_open=True).order_by("name")


def taught_in_school(author: Person, school: School) -> tuple[set[int], set[int]]:
    """The ids of the classes and of the groups the person teaches in the school."""
    rows = TeachingAssignment.objects.filter(teacher=author).values_list(
        "school_class_id", "group_id"
    )
    classes = {c for c, _g in rows if c} | set(
        HeadTeacher.objects.filter(teacher=author).values_list("school_class_id", flat=True)
    )
    class_ids = set(
        SchoolClass.objects.filter(pk__in=classes, school=school, archived=False).values_list(
            "pk", flat=True
        )
    )
    group_ids = set(
        TeachingGroup.objects.filter(
            pk__in={g for _c, g in rows if g}, school=school, archived=False
        ).values_list("pk", flat=True)
    )
    return class_ids, group_ids


def teachers_publish_directly(school: School | None) -> bool:
    if school is None:
        return False
    return NewsSettings.objects.filter(school=school, teachers_publish_directly=True).exists()


def can_manage_item(user: Any, item: NewsItem) -> bool:
    """The author, the owner school's direction or the owner body's admins may withdraw or
    delete an item."""
    if not _authenticated(user):
        return False
    if item.author_id == user.pk:
        return True
    if item.school_id is not None:
        return is_news_editor_of_school(user, item.school)
    return is_admin_of_authority(user, item.authority)


def can_validate_item(user: Any, item: NewsItem) -> bool:
    """The owner school's direction validates a submitted item."""
    return item.school_id is not None and is_news_editor_of_school(user, item.school)


__all__ = [
    "authority_schools",
    "can_manage_item",
    "can_validate_item",
    "is_admin_of_authority",
    "is_news_editor_of_school",
    "is_teacher_of_class",
    "is_teacher_of_group",
    "news_editor_school_ids",
    "publishing_authorities",
    "taught_in_school",
    "teachers_publish_directly",
]
