"""The workflow: teachers submit, the direction validates (or lets teachers publish
directly); rights to aim, pin, withdraw and delete; audit events; the rate limit; bad
input answered in French with nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ostal.core.models import SecurityEvent
from ostal.news import selectors, services
from ostal.news.models import NewsItem, NewsRead
from ostal.news.tests.conftest import NewsWorld, news_input

pytestmark = pytest.mark.django_db


def _teacher_item(nw: NewsWorld, **kw) -> NewsItem:
    w = nw.w
    return services.news_save(
        author=w.teacher,
        data=news_input(
            owner=f"school:{w.college.pk}",
            targets=[f"class:{w.class_4b.pk}"],
            for_parents=True,
            **kw,
        ),
        action="send",
    )


def test_teacher_submits_direction_publishes(nw: NewsWorld):
    """A teacher's item for their class waits for the direction; once published, the
    class's parents see it and the publication is in the security log."""
    w = nw.w
    item = _teacher_item(nw)
    assert item.status == NewsItem.Status.SUBMITTED
    assert item.pk not in {e.item.pk for e in selectors.news_for_reader(user=w.parent)}
    assert [i.pk for i in selectors.news_to_validate(user=w.admin)] == [item.pk]
    assert selectors.news_to_validate(user=w.other_admin) == []
    assert not SecurityEvent.objects.filter(kind=services.NEWS_PUBLISHED).exists()
    with pytest.raises(PermissionDenied):
        services.news_publish(actor=w.other_admin, item=item)
    services.news_publish(actor=w.admin, item=item)
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED and item.published_by == w.admin
    assert item.pk in {e.item.pk for e in selectors.news_for_reader(user=w.parent)}
    event = SecurityEvent.objects.get(kind=services.NEWS_PUBLISHED)
    assert event.actor == w.admin and event.subject == w.teacher and event.data["news"] == item.pk


def test_direction_returns_to_draft(nw: NewsWorld):
    """The direction may send a submitted item back to its author as a draft."""
    w = nw.w
    item = _teacher_item(nw)
    services.news_return_to_draft(actor=w.admin, item=item)
    item.refresh_from_db()
    assert item.status == NewsItem.Status.DRAFT


def test_school_may_let_teachers_publish_directly(nw: NewsWorld):
    """With the school's setting on, a teacher's item is published at once."""
    w = nw.w
    with pytest.raises(PermissionDenied):
        services.news_settings_update(
            actor=w.teacher, school=w.college, teachers_publish_directly=True
        )
    services.news_settings_update(actor=w.admin, school=w.college, teachers_publish_directly=True)
    assert _teacher_item(nw).status == NewsItem.Status.PUBLISHED


@pytest.mark.parametrize(
    ("targets", "pinned", "field"),
    [
        ([], False, "targets"),  # a teacher must aim at their classes
        (["class:{4a}"], False, "targets"),  # a class they do not teach
        (["class:{4b}"], True, "pinned"),  # only the direction pins
        (["class:999999"], False, "targets"),
        (["salle:1"], False, "targets"),
    ],
)
def test_teacher_limits(nw: NewsWorld, targets, pinned, field):
    """A teacher aims only at classes they teach and does not pin; nothing is stored."""
    w = nw.w
    keys = [t.format(**{"4a": nw.class_4a.pk, "4b": w.class_4b.pk}) for t in targets]
    with pytest.raises(ValidationError) as error:
        services.news_save(
            author=w.teacher,
            data=news_input(
                owner=f"school:{w.college.pk}", targets=keys, pinned=pinned, for_parents=True
            ),
            action="send",
        )
    assert field in error.value.message_dict
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "<p> </p><script>alert(1)</script>"}, "body"),
        ({"for_parents": False}, "audience"),
        ({"owner": "school:abc"}, "owner"),
        ({"owner": "ecole:1"}, "owner"),
    ],
)
def test_bad_input_is_refused_in_french(nw: NewsWorld, kw, field):
    """Each bad field is named with a French message, and nothing is stored."""
    w = nw.w
    data = {"owner": f"school:{w.college.pk}", "for_parents": True, **kw}
    with pytest.raises(ValidationError) as error:
        services.news_save(author=w.admin, data=news_input(**data), action="send")
    assert field in error.value.message_dict
    assert all(isinstance(m, str) and m for m in error.value.message_dict[field])
    assert not NewsItem.objects.exists()


def test_expiry_before_publication_is_refused(nw: NewsWorld):
    """The expiry must follow the publication date."""
    from datetime import timedelta

    from django.utils import timezone

    w = nw.w
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.news_save(
            author=w.admin,
            data=news_input(
                owner=f"school:{w.college.pk}",
                for_parents=True,
                publish_at=now + timedelta(days=2),
                expire_at=now + timedelta(days=1),
            ),
            action="send",
        )
    assert "expire_at" in error.value.message_dict


def test_other_school_admin_cannot_publish_for_the_school(nw: NewsWorld):
    """Another school's direction cannot publish in the collège's name."""
    w = nw.w
    with pytest.raises(ValidationError) as error:
        services.news_save(
            author=w.other_admin,
            data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
            action="send",
        )
    assert "owner" in error.value.message_dict


@pytest.mark.parametrize("persona", ["pupil", "parent"])
def test_pupils_and_parents_never_publish(nw: NewsWorld, persona):
    """Pupils and parents do not publish news (so no freeze of pupil publication applies)."""
    w = nw.w
    with pytest.raises(PermissionDenied):
        services.news_save(
            author=getattr(w, persona),
            data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
            action="send",
        )
    assert not NewsItem.objects.exists()


def test_draft_is_kept_and_edited_by_its_author_only(nw: NewsWorld):
    """A draft is nobody's news yet; only its author edits it, and then sends it."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
        action="draft",
    )
    assert item.status == NewsItem.Status.DRAFT
    assert selectors.news_for_reader(user=w.parent) == []
    with pytest.raises(PermissionDenied):
        services.news_save(
            author=w.teacher,
            data=news_input(
                owner=f"school:{w.college.pk}", targets=[f"class:{w.class_4b.pk}"], for_parents=True
            ),
            action="send",
            item=item,
        )
    services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True, title="Nouveau titre"),
        action="send",
        item=item,
    )
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED and item.title == "Nouveau titre"


def test_withdraw_and_delete_are_audited(nw: NewsWorld):
    """Withdrawing hides an item from readers; deleting removes it and its reads, logged."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
        action="send",
    )
    services.news_mark_read(reader=w.parent, item=item)
    with pytest.raises(PermissionDenied):
        services.news_withdraw(actor=w.teacher, item=item)
    services.news_withdraw(actor=w.admin, item=item)
    assert selectors.news_for_reader(user=w.parent) == []
    with pytest.raises(PermissionDenied):
        services.news_delete(actor=w.other_admin, item=item)
    services.news_delete(actor=w.admin, item=item)
    assert not NewsItem.objects.exists() and not NewsRead.objects.exists()
    event = SecurityEvent.objects.get(kind=services.NEWS_DELETED)
    assert event.actor == w.admin and event.data["title"] == "Sortie au musée"


def test_rate_limit_per_author(nw: NewsWorld, settings):
    """Past the hourly limit an author's sends are refused and logged; nothing is stored."""
    settings.NEWS_MAX_PER_HOUR = 2
    w = nw.w
    for n in range(2):
        services.news_save(
            author=w.admin,
            data=news_input(owner=f"school:{w.college.pk}", for_parents=True, title=f"N{n}"),
            action="send",
        )
    with pytest.raises(ValidationError) as error:
        services.news_save(
            author=w.admin,
            data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
            action="send",
        )
    assert "réessayez plus tard" in error.value.message_dict["non_field"][0]
    assert NewsItem.objects.count() == 2
    assert SecurityEvent.objects.filter(kind=services.NEWS_RATE_LIMITED, actor=w.admin).count() == 1
    # a draft is still possible
    services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True),
        action="draft",
    )
    assert NewsItem.objects.count() == 3
