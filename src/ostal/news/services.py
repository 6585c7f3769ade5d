"""Writes on the news: one function per use case, each in a transaction.

Rules held here:
* the author chooses an owner (a school or a body) among those they may publish for, and
  for a school the classes and groups aimed at (none: the whole school); a teacher must
  aim at classes or groups they teach, and only the direction pins an item;
* ``action="draft"`` keeps a draft; ``action="send"`` publishes when the author may
  publish directly (direction, ADML, admins of a body, teachers of a school that allows
  it), and otherwise submits the item to the school's direction;
* bad input raises a French ``ValidationError`` per field and nothing is written;
* every publication and deletion writes a security (audit) event; an author past
  ``NEWS_MAX_PER_HOUR`` items sent within the hour is refused (and that is logged);
* pupils never publish news, so the messaging freeze has no pupil publication to freeze.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ostal.core.models import SecurityEvent
from ostal.core.params import parse_id
from ostal.core.richtext import light_markup_to_html, plain_text
from ostal.core.security import security_event_record
from ostal.directory.models import Person, SchoolClass, TeachingGroup
from ostal.news.abilities import (
    authority_schools,
    can_manage_item,
    can_validate_item,
    is_admin_of_authority,
    is_news_editor_of_school,
    taught_in_school,
    teachers_publish_directly,
)
from ostal.news.models import NewsItem, NewsRead, NewsSettings
from ostal.territory.models import Authority, School

# Security log kinds (``SecurityEvent.Kind``, with their French labels).
NEWS_PUBLISHED = SecurityEvent.Kind.NEWS_PUBLISHED
NEWS_DELETED = SecurityEvent.Kind.NEWS_DELETED
NEWS_RATE_LIMITED = SecurityEvent.Kind.NEWS_LIMITED

TITLE_MAX = 200
BODY_MAX = 50_000


@dataclass
class NewsInput:
    """What an author typed (the page's form and the API fill it alike)."""

    owner: str  # "school:<id>" or "authority:<id>"
    title: str
    body: str
    targets: list[str] = field(default_factory=list)  # "class:<id>", "group:<id>"
    for_pupils: bool = False
    for_parents: bool = False
    for_staff: bool = False
    pinned: bool = False
    publish_at: datetime | None = None
    expire_at: datetime | None = None


@dataclass
class _Resolved:
    school: School | None
    authority: Authority | None
    schools: list[School]
    classes: list[SchoolClass]
    groups: list[TeachingGroup]
    direct: bool


def _resolve_owner(
    author: Person, data: NewsInput, errors: dict[str, list[str]]
) -> _Resolved | None:
    kind, _sep, raw = (data.owner or "").partition(":")
    pk = parse_id(raw)
    refused = "Choisissez au nom de qui vous publiez parmi les choix proposés."
    if kind == "authority" and pk is not None:
        authority = Authority.objects.filter(pk=pk).first()
        if authority is None or not is_admin_of_authority(author, authority):
            errors.setdefault("owner", []).append(refused)
            return None
        if data.targets:
            errors.setdefault("targets", []).append(
                "Une actualité de collectivité s'adresse à tous ses établissements : "
                "ne choisissez pas de classe ni de groupe."
            )
        schools = list(authority_schools(authority))
        if not schools:
            errors.setdefault("owner", []).append("Cette collectivité n'a aucun établissement.")
        return _Resolved(None, authority, schools, [], [], True)
    if kind != "school" or pk is None:
        errors.setdefault("owner", []).append(refused)
        return None
    school = School.objects.filter(pk=pk).first()
    if school is None:
        errors.setdefault("owner", []).append(refused)
        return None
    editor = is_news_editor_of_school(author, school)
    taught_classes, taught_groups = (set(), set()) if editor else taught_in_school(author, school)
    if not editor and not (taught_classes or taught_groups):
        errors.setdefault("owner", []).append(refused)
        return None
    class_ids, group_ids = set(), set()
    for key in data.targets:
        tkind, _s, traw = key.partition(":")
        tpk = parse_id(traw)
        if tkind == "class" and tpk is not None:
            class_ids.add(tpk)
        elif tkind == "group" and tpk is not None:
            group_ids.add(tpk)
        else:
            errors.setdefault("targets", []).append(f"Classe ou groupe inconnu : « {key} ».")
    classes = list(SchoolClass.objects.filter(pk__in=class_ids, school=school, archived=False))
    groups = list(TeachingGroup.objects.filter(pk__in=group_ids, school=school, archived=False))
    if len(classes) != len(class_ids) or len(groups) != len(group_ids):
        errors.setdefault("targets", []).append(
            "Une classe ou un groupe choisi n'existe pas dans cet établissement."
        )
    if not editor:
        if not class_ids and not group_ids:
            errors.setdefault("targets", []).append(
                "Choisissez au moins une de vos classes ou un de vos groupes."
            )
        elif not (class_ids <= taught_classes and group_ids <= taught_groups):
            errors.setdefault("targets", []).append(
                "Vous publiez seulement pour les classes et groupes où vous enseignez."
            )
        if data.pinned:
            errors.setdefault("pinned", []).append(
                "Seule la direction de l'établissement épingle une actualité."
            )
    direct = editor or teachers_publish_directly(school)
    return _Resolved(school, None, [school], classes, groups, direct)


def _validate(author: Person, data: NewsInput) -> tuple[_Resolved, str]:
    errors: dict[str, list[str]] = {}
    if author.profile in {"ELV", "TUT"}:
        raise PermissionDenied("Les élèves et les parents ne publient pas d'actualités.")
    resolved = _resolve_owner(author, data, errors)
    title = (data.title or "").strip()
    if not title:
        errors.setdefault("title", []).append("Donnez un titre à l'actualité.")
    elif len(title) > TITLE_MAX:
        errors.setdefault("title", []).append(f"Le titre dépasse {TITLE_MAX} caractères.")
    if len(data.body or "") > BODY_MAX:
        errors.setdefault("body", []).append(f"Le texte dépasse {BODY_MAX} caractères.")
    body = light_markup_to_html(data.body or "", kind="news")
    if not plain_text(body):
        errors.setdefault("body", []).append("Écrivez le texte de l'actualité.")
    if not (data.for_pupils or data.for_parents or data.for_staff):
        errors.setdefault("audience", []).append(
            "Choisissez au moins un public : élèves, parents ou personnels."
        )
    start = data.publish_at or timezone.now()
    if data.expire_at is not None and data.expire_at <= start:
        errors.setdefault("expire_at", []).append(
            "La date de retrait doit suivre la date de publication."
        )
    if errors or resolved is None:
        raise ValidationError(errors)
    return resolved, body


def _rate_limited(author: Person, request: HttpRequest | None) -> None:
    limit = settings.NEWS_MAX_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    if NewsItem.objects.filter(author=author, sent_at__gte=since).count() < limit:
        return
    security_event_record(
        kind=NEWS_RATE_LIMITED,
        request=request,
        actor=author,
        subject=author,
        data={"limit_per_hour": limit},
    )
    raise ValidationError(
        {
            "non_field": [
                f"Vous avez déjà envoyé {limit} actualités dans l'heure : réessayez plus tard. "
                "Rien n'a été envoyé ; vous pouvez enregistrer le brouillon."
            ]
        }
    )


def _audit_published(item: NewsItem, actor: Person, request: HttpRequest | None) -> None:
    security_event_record(
        kind=NEWS_PUBLISHED,
        request=request,
        actor=actor,
        subject=item.author,
        data={"news": item.pk, "title": item.title[:120], "owner": item.owner_label},
    )


def _apply(item: NewsItem, resolved: _Resolved, data: NewsInput, body: str) -> None:
    item.school = resolved.school
    item.authority = resolved.authority
    item.title = data.title.strip()
    item.body = body
    item.for_pupils = data.for_pupils
    item.for_parents = data.for_parents
    item.for_staff = data.for_staff
    item.pinned = data.pinned
    item.publish_at = data.publish_at
    item.expire_at = data.expire_at
    item.whole_school = not (resolved.classes or resolved.groups)


def _send(item: NewsItem, author: Person, resolved: _Resolved) -> None:
    now = timezone.now()
    item.sent_at = now
    if resolved.direct:
        item.status = NewsItem.Status.PUBLISHED
        item.publish_at = item.publish_at or now
        item.published_by = author
    else:
        item.status = NewsItem.Status.SUBMITTED


def news_save(
    *,
    author: Person,
    data: NewsInput,
    action: str,
    item: NewsItem | None = None,
    request: HttpRequest | None = None,
) -> NewsItem:
    """Create (``item=None``) or edit one of the author's drafts or submitted items, then
    keep it as a draft (``action="draft"``) or send it (``"send"``: published or submitted,
    as the author's rights say)."""
    if action not in {"draft", "send"}:
        raise ValidationError({"non_field": ["Action inconnue."]})
    if item is not None and (
        item.author_id != author.pk or item.status == NewsItem.Status.PUBLISHED
    ):
        raise PermissionDenied("Seul l'auteur modifie une actualité non publiée.")
    resolved, body = _validate(author, data)
    if action == "send":
        _rate_limited(author, request)  # logged outside the transaction: it must stay
    with transaction.atomic():
        item = item or NewsItem(author=author)
        _apply(item, resolved, data, body)
        item.status = NewsItem.Status.DRAFT
        if action == "send":
            _send(item, author, resolved)
        item.save()
        item.schools.set(resolved.schools)
        item.classes.set(resolved.classes)
        item.groups.set(resolved.groups)
        if item.status == NewsItem.Status.PUBLISHED:
            _audit_published(item, author, request)
    return item


def news_publish(*, actor: Person, item: NewsItem, request: HttpRequest | None = None) -> NewsItem:
    """The direction publishes a submitted item."""
    if item.status != NewsItem.Status.SUBMITTED or not can_validate_item(actor, item):
        raise PermissionDenied("Vous ne pouvez pas publier cette actualité.")
    with transaction.atomic():
        item.status = NewsItem.Status.PUBLISHED
        item.publish_at = item.publish_at or timezone.now()
        item.published_by = actor
        item.save(update_fields=["status", "publish_at", "published_by", "updated_at"])
        _audit_published(item, actor, request)
    return item


def news_return_to_draft(*, actor: Person, item: NewsItem) -> NewsItem:
    """The direction sends a submitted item back to its author as a draft."""
    if item.status != NewsItem.Status.SUBMITTED or not can_validate_item(actor, item):
        raise PermissionDenied("Vous ne pouvez pas renvoyer cette actualité.")
    item.status = NewsItem.Status.DRAFT
    item.save(update_fields=["status", "updated_at"])
    return item


def news_withdraw(*, actor: Person, item: NewsItem) -> NewsItem:
    """Expire a published item now (readers no longer see it; its author keeps it)."""
    if item.status != NewsItem.Status.PUBLISHED or not can_manage_item(actor, item):
        raise PermissionDenied("Vous ne pouvez pas retirer cette actualité.")
    now = timezone.now()
    item.expire_at = now
    if item.publish_at is not None and item.publish_at > now:
        item.publish_at = now
    item.save(update_fields=["expire_at", "publish_at", "updated_at"])
    return item


def news_delete(*, actor: Person, item: NewsItem, request: HttpRequest | None = None) -> None:
    """Delete an item and its reads, with an audit event."""
    if not can_manage_item(actor, item):
        raise PermissionDenied("Vous ne pouvez pas supprimer cette actualité.")
    with transaction.atomic():
        security_event_record(
            kind=NEWS_DELETED,
            request=request,
            actor=actor,
            subject=item.author,
            data={"news": item.pk, "title": item.title[:120], "state": item.state},
        )
        item.delete()


def news_mark_read(*, reader: Person, item: NewsItem) -> bool:
    """Record that the reader opened the item; ``True`` the first time."""
    _read, created = NewsRead.objects.get_or_create(item=item, reader=reader)
    return created


def news_settings_update(*, actor: Person, school: School, teachers_publish_directly: bool) -> None:
    """The direction lets its teachers publish their classes' news without validation."""
    if not is_news_editor_of_school(actor, school):
        raise PermissionDenied("Seule la direction règle les actualités de l'établissement.")
    NewsSettings.objects.update_or_create(
        school=school, defaults={"teachers_publish_directly": teachers_publish_directly}
    )
