"""Who reads which news: audiences by profile × school × class/group, the child named for
families, the owner's scope for collectivités and the region, dates and workflow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ostal.news import selectors, services
from ostal.news.models import NewsItem
from ostal.news.tests.conftest import NewsWorld, news_input

pytestmark = pytest.mark.django_db


def _ids(person) -> set[int]:
    return {e.item.pk for e in selectors.news_for_reader(user=person)}


def test_principal_news_for_parents_of_two_classes(nw: NewsWorld):
    """A principal's item for the parents of 4A and 4B reaches each class's parents with
    their child named, and no one else (not the 4C parent, not the pupils, not staff)."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(
            owner=f"school:{w.college.pk}",
            targets=[f"class:{nw.class_4a.pk}", f"class:{w.class_4b.pk}"],
            for_parents=True,
        ),
        action="send",
    )
    assert item.status == NewsItem.Status.PUBLISHED
    assert not item.whole_school
    entries = {e.item.pk: e for e in selectors.news_for_reader(user=w.parent)}
    assert [c.pk for c in entries[item.pk].children] == [w.pupil.pk]
    assert [c.pk for c in selectors.news_for_reader(user=nw.parent_4a)[0].children] == [
        nw.pupil_4a.pk
    ]
    for outsider in (nw.parent_4c, w.pupil, w.teacher, w.other_admin):
        assert item.pk not in _ids(outsider)
    # the other parent of 4B is a parent of the class too
    assert item.pk in _ids(w.other_parent)


def test_whole_school_news_for_pupils(nw: NewsWorld):
    """A whole-school item for pupils reaches every pupil of the school, not the parents,
    not the pupils of another school."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_pupils=True),
        action="send",
    )
    assert item.pk in _ids(w.pupil) and item.pk in _ids(nw.pupil_4c)
    assert item.pk not in _ids(w.parent)
    assert item.pk not in _ids(w.sibling)


def test_family_sees_each_childs_school(nw: NewsWorld):
    """A parent with children in two schools sees the lycée's news naming the lycée child."""
    w = nw.w
    item = services.news_save(
        author=w.other_admin,
        data=news_input(owner=f"school:{w.lycee.pk}", for_parents=True),
        action="send",
    )
    entry = next(e for e in selectors.news_for_reader(user=w.parent) if e.item.pk == item.pk)
    assert [c.pk for c in entry.children] == [w.sibling.pk]
    assert item.pk not in _ids(w.other_parent)


def test_staff_news(nw: NewsWorld):
    """A staff item reaches the school's staff, not its families."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_staff=True),
        action="send",
    )
    assert item.pk in _ids(w.teacher)
    assert item.pk not in _ids(w.other_teacher)
    assert item.pk not in _ids(w.parent)


def test_department_news_reaches_its_colleges_only(nw: NewsWorld):
    """A département admin's item reaches its collèges' families, not the lycée's."""
    w = nw.w
    item = services.news_save(
        author=nw.dept_admin,
        data=news_input(owner=f"authority:{w.college.responsible_authority_id}", for_parents=True),
        action="send",
    )
    assert item.status == NewsItem.Status.PUBLISHED
    entry = next(e for e in selectors.news_for_reader(user=w.parent) if e.item.pk == item.pk)
    assert [c.pk for c in entry.children] == [w.pupil.pk]  # Alice's collège, not Bruno's lycée
    assert item.pk in _ids(nw.parent_4c)


def test_region_news_reaches_every_school(nw: NewsWorld):
    """A region admin's item reaches the families of the collège and of the lycée."""
    from ostal.territory.models import Authority

    w = nw.w
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    item = services.news_save(
        author=nw.region_admin,
        data=news_input(owner=f"authority:{region.pk}", for_parents=True),
        action="send",
    )
    entry = next(e for e in selectors.news_for_reader(user=w.parent) if e.item.pk == item.pk)
    assert {c.pk for c in entry.children} == {w.pupil.pk, w.sibling.pk}


def test_agent_without_admin_role_cannot_publish_for_the_body(nw: NewsWorld):
    """A collectivité's agent who is not its admin cannot publish in its name; nothing stored."""
    from django.core.exceptions import ValidationError

    w = nw.w
    with pytest.raises(ValidationError) as error:
        services.news_save(
            author=w.agent,
            data=news_input(
                owner=f"authority:{w.college.responsible_authority_id}", for_parents=True
            ),
            action="send",
        )
    assert "owner" in error.value.message_dict
    assert not NewsItem.objects.exists()


def test_dates_decide_what_readers_see(nw: NewsWorld, time_machine):
    """A scheduled item appears at its date and disappears at its expiry."""
    w = nw.w
    time_machine.move_to("2026-11-25T10:00:00+01:00", tick=False)
    now = timezone.now()
    item = services.news_save(
        author=w.admin,
        data=news_input(
            owner=f"school:{w.college.pk}",
            for_parents=True,
            publish_at=now + timedelta(days=1),
            expire_at=now + timedelta(days=3),
        ),
        action="send",
    )
    assert item.state == "scheduled" and item.pk not in _ids(w.parent)
    time_machine.move_to("2026-11-26T10:00:00+01:00", tick=False)
    assert item.pk in _ids(w.parent)
    time_machine.move_to("2026-11-28T10:00:00+01:00", tick=False)
    item.refresh_from_db()
    assert item.state == "expired" and item.pk not in _ids(w.parent)


def test_today_first_then_pinned(nw: NewsWorld, time_machine):
    """Today's items lead the list; among the earlier ones, pinned items come first."""
    w = nw.w
    time_machine.move_to("2026-11-20T09:00:00+01:00", tick=False)
    pinned = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True, pinned=True, title="A"),
        action="send",
    )
    time_machine.move_to("2026-11-22T09:00:00+01:00", tick=False)
    older = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True, title="B"),
        action="send",
    )
    time_machine.move_to("2026-11-25T09:00:00+01:00", tick=False)
    today = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True, title="C"),
        action="send",
    )
    entries = selectors.news_for_reader(user=w.parent)
    assert [e.item.pk for e in entries] == [today.pk, pinned.pk, older.pk]
    assert entries[0].is_today() and not entries[1].is_today()


def test_reader_query_count_does_not_grow_with_children(
    nw: NewsWorld, django_assert_max_num_queries
):
    """A parent's news list costs the same few queries for one child or two."""
    w = nw.w
    for school in (w.college, w.lycee):
        author = w.admin if school == w.college else w.other_admin
        for n in range(3):
            services.news_save(
                author=author,
                data=news_input(owner=f"school:{school.pk}", for_parents=True, title=f"N{n}"),
                action="send",
            )
    with django_assert_max_num_queries(8):
        two = selectors.news_for_reader(user=w.parent)
    with django_assert_max_num_queries(8):
        one = selectors.news_for_reader(user=nw.parent_4a)
    assert len(two) == 6 and len(one) == 3


def test_group_news_reaches_its_members_and_their_parents(nw: NewsWorld):
    """A teacher of a teaching group writes for it (school allows direct publication): its
    pupils and their parents read it, a pupil of the same class outside the group does not."""
    from ostal.directory import services as directory
    from ostal.directory.models import school_year_of

    w = nw.w
    group = directory.group_create(school=w.college, school_year=school_year_of(), code="LATIN")
    directory.group_join(person=w.pupil, group=group)
    directory.teaching_assign(teacher=w.teacher, subject=None, group=group)
    services.news_settings_update(actor=w.admin, school=w.college, teachers_publish_directly=True)
    item = services.news_save(
        author=w.teacher,
        data=news_input(
            owner=f"school:{w.college.pk}",
            targets=[f"group:{group.pk}"],
            for_pupils=True,
            for_parents=True,
        ),
        action="send",
    )
    assert item.status == NewsItem.Status.PUBLISHED
    assert item.pk in _ids(w.pupil)
    entry = next(e for e in selectors.news_for_reader(user=w.parent) if e.item.pk == item.pk)
    assert [c.pk for c in entry.children] == [w.pupil.pk]
    assert item.pk not in _ids(w.other_pupil) and item.pk not in _ids(w.other_parent)
