"""Teaching groups (« groupes ») in the messagerie: ``g:`` / ``pg:`` / ``tg:`` lists for the
staff of the group's school, and groups in the *related* reach of the communication rules
(a pupil reaches the teachers of their groups, a parent their children's group teachers, a
teacher the pupils and parents of the groups they teach). Through the service, the compose
page and the API; refusals name the rule."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pytest

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory import services as directory
from ostal.directory.models import Person, TeachingGroup, school_year_of
from ostal.messaging import rules_engine, services
from ostal.messaging.models import Delivery, Group, Message, Reach
from ostal.messaging.targets import list_targets

pytestmark = pytest.mark.django_db


@dataclass
class Groups:
    latin: TeachingGroup
    english: TeachingGroup
    latin_teacher: Person
    english_teacher: Person


@pytest.fixture
def groups(mw: Any) -> Groups:
    """« Latin 4e » (Alice, taught by Mme Latour) and « Anglais groupe 2 » (Chloé, taught by
    M. Young) at the collège; neither teacher teaches class 4B."""
    w = mw.world
    year = school_year_of()
    latin = directory.group_create(
        school=w.college, school_year=year, code="LAT4", label="Latin 4e"
    )
    english = directory.group_create(
        school=w.college, school_year=year, code="ANG2", label="Anglais groupe 2"
    )
    directory.group_join(person=w.pupil, group=latin)
    directory.group_join(person=w.other_pupil, group=english)
    latin_teacher = factories.teacher(
        school=w.college,
        username="prof.latin",
        first_name="Odile",
        last_name="Latour",
        password=PASSWORD,
    )
    english_teacher = factories.teacher(
        school=w.college,
        username="prof.anglais",
        first_name="Victor",
        last_name="Young",
        password=PASSWORD,
    )
    directory.teaching_assign(
        teacher=latin_teacher, subject=factories.subject("020700", "LATIN"), group=latin
    )
    directory.teaching_assign(
        teacher=english_teacher, subject=factories.subject("030201", "ANGLAIS LV1"), group=english
    )
    return Groups(latin, english, latin_teacher, english_teacher)


def _send(sender: Person, key: str) -> Message:
    return services.message_send(sender=sender, targets=[key], subject="Sortie", body="<p>Mot</p>")


def _page_send(login: Any, sender: Person, key: str) -> Any:
    return login(sender).post(
        "/messagerie/ecrire/",
        {"targets": [key], "subject": "Bonjour", "body": "<p>Un mot</p>", "action": "send"},
    )


def _api_send(bearer: Any, sender: Person, key: str) -> Any:
    return bearer(sender).post(
        "/api/v1/messages/envoyer/",
        {"recipients": [key], "subject": "Bonjour", "body": "Un mot"},
        content_type="application/json",
    )


def _recipients(message: Message) -> set[int]:
    return set(Delivery.objects.filter(message=message).values_list("recipient_id", flat=True))


# Lists ---------------------------------------------------------------------------------


def test_staff_are_offered_the_group_lists_in_french(mw, groups, login) -> None:
    """Staff of the group's school get « Élèves / Parents / Enseignants du groupe … » in the list selector."""
    options = dict(list_targets(mw.world.teacher))
    pk = groups.latin.pk
    assert options[f"g:{pk}"] == "Élèves du groupe Latin 4e"
    assert options[f"pg:{pk}"] == "Parents du groupe Latin 4e"
    assert options[f"tg:{pk}"] == "Enseignants du groupe Latin 4e"
    assert f"g:{groups.english.pk}" in dict(list_targets(mw.cpe))
    page = login(mw.world.teacher).get("/messagerie/ecrire/").content.decode()
    assert f'value="g:{pk}"' in page
    assert "Élèves du groupe Latin 4e" in html.unescape(page)


def test_families_other_schools_and_archived_groups_get_no_group_list(mw, groups) -> None:
    """Pupils, parents and another school's staff are offered no group; an archived group is no list any more."""
    w = mw.world
    for person in (w.pupil, w.parent, w.other_admin):
        assert not [
            key for key, _label in list_targets(person) if key.startswith(("g:", "pg:", "tg:"))
        ]
    TeachingGroup.objects.filter(pk=groups.english.pk).update(archived=True)
    keys = dict(list_targets(w.teacher))
    assert f"g:{groups.english.pk}" not in keys and f"g:{groups.latin.pk}" in keys
    with pytest.raises(services.SendRefused, match="ne vous est pas ouverte"):
        _send(w.teacher, f"g:{groups.english.pk}")


def test_group_lists_reach_pupils_parents_and_teachers_of_the_group(mw, groups) -> None:
    """``g:`` reaches the group's pupils, ``pg:`` their parents, ``tg:`` its teachers; each is a broadcast."""
    w = mw.world
    pupils = _send(w.admin, f"g:{groups.latin.pk}")
    assert _recipients(pupils) == {w.pupil.pk}
    assert pupils.is_broadcast and pupils.recipients_label == "Élèves du groupe Latin 4e"
    assert _recipients(_send(w.admin, f"pg:{groups.latin.pk}")) == {w.parent.pk}
    assert _recipients(_send(w.admin, f"tg:{groups.latin.pk}")) == {groups.latin_teacher.pk}
    assert _recipients(_send(w.teacher, f"g:{groups.english.pk}")) == {w.other_pupil.pk}
    assert _recipients(_send(w.teacher, f"pg:{groups.english.pk}")) == {w.other_parent.pk}


def test_group_lists_skip_detached_and_deleted_members(mw, groups) -> None:
    """A detached or erased member of the group is not among the list's recipients."""
    w = mw.world
    directory.group_join(person=w.other_pupil, group=groups.latin)
    Person.objects.filter(pk=w.pupil.pk).update(state=Person.State.DETACHED)
    assert _recipients(_send(w.admin, f"g:{groups.latin.pk}")) == {w.other_pupil.pk}
    Person.objects.filter(pk=w.other_pupil.pk).update(state=Person.State.DELETED)
    with pytest.raises(services.SendRefused, match="aucun destinataire"):
        _send(w.admin, f"g:{groups.latin.pk}")


@pytest.mark.parametrize("prefix", ["g", "pg", "tg"])
def test_group_lists_are_for_staff_only_through_page_and_api(
    mw, groups, login, bearer, prefix
) -> None:
    """A parent may not use a group list (page and API: refused, the broadcast rule named, draft kept)."""
    w = mw.world
    key = f"{prefix}:{groups.latin.pk}"
    page = _page_send(login, w.parent, key)
    assert page.status_code == 400
    text = html.unescape(page.content.decode())
    assert "réservés aux personnels de l'établissement" in text
    response = _api_send(bearer, w.parent, key)
    assert response.status_code == 400
    assert "réservés aux personnels" in " ".join(response.json()["error"]["fields"]["recipients"])
    assert not Delivery.objects.exists()
    assert set(Message.objects.values_list("sent_at", flat=True)) == {None}


@pytest.mark.parametrize("prefix", ["g", "pg", "tg"])
def test_another_schools_staff_cannot_use_the_group(mw, groups, bearer, prefix) -> None:
    """The lycée's head may not write to a collège group: it is the same answer as a missing list."""
    response = _api_send(bearer, mw.world.other_admin, f"{prefix}:{groups.latin.pk}")
    assert response.status_code == 400
    assert "ne vous est pas ouverte" in " ".join(response.json()["error"]["fields"]["recipients"])
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("prefix", ["g", "pg", "tg"])
def test_group_lists_through_page_and_api(mw, groups, login, bearer, prefix) -> None:
    """Staff send to a group list through the page (302) and the API (201)."""
    w = mw.world
    reached = {"g": w.pupil, "pg": w.parent, "tg": groups.latin_teacher}[prefix]
    key = f"{prefix}:{groups.latin.pk}"
    assert _page_send(login, w.teacher, key).status_code == 302
    response = _api_send(bearer, mw.cpe, key)
    assert response.status_code == 201, response.content
    for message in Message.objects.filter(sent_at__isnull=False):
        assert _recipients(message) == {reached.pk}


# Related reach -------------------------------------------------------------------------


def test_pupil_reaches_the_teachers_of_their_groups_only(mw, groups, login, bearer) -> None:
    """A pupil may write to the teacher of their group (not of their class); to another group's teacher, refused naming the rule but not the teacher."""
    w = mw.world
    assert rules_engine.may_write(w.pupil, groups.latin_teacher) is not None
    assert rules_engine.may_write(w.pupil, groups.english_teacher) is None
    assert rules_engine.may_write(w.other_pupil, groups.english_teacher) is not None
    assert _recipients(_send(w.pupil, f"p:{groups.latin_teacher.pk}")) == {groups.latin_teacher.pk}

    refused = f"p:{groups.english_teacher.pk}"
    page = _page_send(login, w.pupil, refused)
    assert page.status_code == 400
    text = html.unescape(page.content.decode())
    assert "la règle « Élèves → Enseignants » du collège Test" in text
    assert "Victor Young" not in text  # whom the pupil may not write to stays unnamed
    assert f"ce destinataire (n° {groups.english_teacher.pk})" in text
    response = _api_send(bearer, w.pupil, refused)
    assert response.status_code == 400
    reasons = " ".join(response.json()["error"]["fields"]["recipients"])
    assert "la règle « Élèves → Enseignants » du collège Test est limitée" in reasons
    assert not Delivery.objects.filter(recipient=groups.english_teacher).exists()
    assert _api_send(bearer, w.pupil, f"p:{groups.latin_teacher.pk}").status_code == 201


def test_recipient_search_follows_the_groups(mw, groups, bearer, login) -> None:
    """Recipient search (API and page) finds the group teacher for the pupil, not another group's teacher."""
    w = mw.world
    found = bearer(w.pupil).get("/api/v1/messages/destinataires/", {"q": "Latour"}).json()
    assert [r["id"] for r in found["results"]] == [groups.latin_teacher.pk]
    found = bearer(w.pupil).get("/api/v1/messages/destinataires/", {"q": "Young"}).json()
    assert found["results"] == []
    page = login(w.pupil).post("/messagerie/ecrire/", {"query": "Young", "action": "search"})
    assert f'value="p:{groups.english_teacher.pk}"' not in page.content.decode()


def test_parent_reaches_their_childrens_group_teachers(mw, groups, bearer) -> None:
    """A parent may write to the teachers of their children's groups, not to another group's teacher."""
    w = mw.world
    assert rules_engine.may_write(w.parent, groups.latin_teacher) is not None
    assert rules_engine.may_write(w.parent, groups.english_teacher) is None
    assert rules_engine.may_write(w.other_parent, groups.english_teacher) is not None
    assert _api_send(bearer, w.parent, f"p:{groups.latin_teacher.pk}").status_code == 201
    response = _api_send(bearer, w.parent, f"p:{groups.english_teacher.pk}")
    assert response.status_code == 400
    reasons = " ".join(response.json()["error"]["fields"]["recipients"])
    assert "la règle « Parents → Enseignants » du collège Test" in reasons


def test_teacher_related_reach_includes_the_groups_they_teach(mw, groups, login) -> None:
    """With « Enseignants → Élèves / Parents » set to *En lien*, a group teacher reaches the group's pupils and parents, no one else."""
    w = mw.world
    services.communication_rules_save(
        admin=w.admin,
        school=w.college,
        rules={
            (Group.TEACHERS, Group.PUPILS): Reach.RELATED,
            (Group.TEACHERS, Group.RELATIVES): Reach.RELATED,
        },
    )
    teacher = groups.latin_teacher
    assert rules_engine.may_write(teacher, w.pupil) is not None
    assert rules_engine.may_write(teacher, w.parent) is not None
    assert rules_engine.may_write(teacher, w.other_pupil) is None
    assert rules_engine.may_write(teacher, w.other_parent) is None
    # The class teacher still reaches the class, through the class.
    assert rules_engine.may_write(w.teacher, w.other_pupil) is not None
    page = _page_send(login, teacher, f"p:{w.other_pupil.pk}")
    assert page.status_code == 400
    assert "la règle « Enseignants → Élèves » du collège Test" in html.unescape(
        page.content.decode()
    )
    assert _recipients(_send(teacher, f"p:{w.parent.pk}")) == {w.parent.pk}


def test_group_mates_are_related_when_pupils_may_write_to_pupils(mw, groups) -> None:
    """With « Élèves → Élèves » set to *En lien*, pupils reach their classmates and their group-mates only."""
    w = mw.world
    services.communication_rules_save(
        admin=w.admin, school=w.college, rules={(Group.PUPILS, Group.PUPILS): Reach.RELATED}
    )
    mate = factories.pupil(
        school_class=factories.school_class(school=w.college, code="4C"), first_name="Zoé"
    )
    stranger = factories.pupil(
        school_class=factories.school_class(school=w.college, code="4D"), first_name="Yann"
    )
    directory.group_join(person=mate, group=groups.latin)
    assert rules_engine.may_write(w.pupil, mate) is not None
    assert rules_engine.may_write(w.pupil, w.other_pupil) is not None  # same class
    assert rules_engine.may_write(w.pupil, stranger) is None


def test_archived_groups_relate_nobody(mw, groups) -> None:
    """Last year's (archived) group no longer relates its pupil to its teacher."""
    TeachingGroup.objects.filter(pk=groups.latin.pk).update(archived=True)
    assert rules_engine.may_write(mw.world.pupil, groups.latin_teacher) is None
    assert rules_engine.may_write(mw.world.parent, groups.latin_teacher) is None
