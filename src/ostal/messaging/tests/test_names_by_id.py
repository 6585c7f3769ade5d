"""No person id reveals a name (issue 14, item 1): every page and API endpoint that takes a
person id — a ``p:`` target, a « Concerne » pupil, a child, an account — names only people
the user may write to (``rules_engine.nameable``), and a refused send keeps no unchecked
field. The matrix runs each endpoint for a pupil, a parent and a teacher against a family
of another school that none of them may write to."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import Person
from ostal.messaging import rules_engine, services
from ostal.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db
API = "/api/v1/messages/"
NAMES = ("quenouille", "zéphyrine", "ysolde")  # the strangers' names, lower case


@dataclass
class Case:
    user: Person
    child: Person  # a pupil of another school
    relative: Person  # that pupil's parent
    received: Message  # a message the user received (to answer or forward)

    @property
    def targets(self) -> list[str]:
        return [f"p:{self.relative.pk}", f"p:{self.child.pk}"]


def _text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(content.decode("utf-8", "replace")).lower()


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data or {}, content_type="application/json")


def _kept_draft(response: Any) -> Any:
    """The draft a refused API send kept (``fields.draft``)."""
    return response.json()["error"]["fields"].get("draft", [""])[0]


# Each endpoint: what the user sends with the strangers' ids; returns the responses to read.
def api_draft_create(client: Any, c: Case) -> list[Any]:
    created = _json(
        client, "post", f"{API}brouillons/",
        {"recipients": c.targets, "subject": "S", "about_pupil": c.child.pk},
    )  # fmt: skip
    without_about = _json(client, "post", f"{API}brouillons/", {"recipients": c.targets})
    return [created, without_about, client.get(f"{API}brouillons/{without_about.json()['id']}/")]


def api_draft_update(client: Any, c: Case) -> list[Any]:
    draft = _json(client, "post", f"{API}brouillons/", {"subject": "S"}).json()["id"]
    patched = _json(client, "patch", f"{API}brouillons/{draft}/", {"recipients": c.targets})
    put = _json(client, "put", f"{API}brouillons/{draft}/", {"about_pupil": c.child.pk})
    return [patched, put, client.get(f"{API}brouillons/{draft}/")]


def api_draft_with_reply_to(client: Any, c: Case) -> list[Any]:
    """A draft answering a message received: its people are named, not anyone else."""
    draft = _json(
        client, "post", f"{API}brouillons/",
        {"recipients": c.targets, "reply_to": c.received.pk},
    )  # fmt: skip
    return [draft, client.get(f"{API}brouillons/{draft.json()['id']}/")]


def api_draft_send(client: Any, c: Case) -> list[Any]:
    draft = _json(client, "post", f"{API}brouillons/", {"recipients": c.targets, "subject": "S"})
    pk = draft.json()["id"]
    return [
        _json(client, "post", f"{API}brouillons/{pk}/envoyer/"),
        client.get(f"{API}brouillons/{pk}/"),
    ]


def api_send(client: Any, c: Case) -> list[Any]:
    refused = _json(
        client, "post", f"{API}envoyer/",
        {"recipients": c.targets, "subject": "S", "body": "B", "about_pupil": c.child.pk},
    )  # fmt: skip
    responses = [refused]
    if _kept_draft(refused):
        responses.append(client.get(f"{API}brouillons/{_kept_draft(refused)}/"))
    return responses


def api_send_about_only(client: Any, c: Case) -> list[Any]:
    """A send refused for its « Concerne » alone keeps no unchecked pupil in the draft."""
    teacher = Person.objects.get(username="prof")
    refused = _json(
        client, "post", f"{API}envoyer/",
        {"recipients": [f"p:{teacher.pk}"], "subject": "S", "body": "B", "about_pupil": c.child.pk},
    )  # fmt: skip
    responses = [refused]
    if _kept_draft(refused):
        responses.append(client.get(f"{API}brouillons/{_kept_draft(refused)}/"))
    return responses


def api_reply_forward(client: Any, c: Case) -> list[Any]:
    responses = []
    for action in ("repondre", "repondre-a-tous", "transferer"):
        for send in (False, True):
            url = f"{API}{c.received.pk}/{action}/"
            responses.append(_json(client, "post", url, {"recipients": c.targets, "send": send}))
    return responses


def api_recipient_search(client: Any, c: Case) -> list[Any]:
    return [client.get(f"{API}destinataires/", {"q": "Quen"})]


def page_compose_get(client: Any, c: Case) -> list[Any]:
    return [client.get("/messagerie/ecrire/", {"a": target}) for target in c.targets]


def page_compose_reply(client: Any, c: Case) -> list[Any]:
    return [
        client.get("/messagerie/ecrire/", {"repondre_tous": c.received.pk, "a": c.targets[0]}),
        client.get("/messagerie/ecrire/", {"transferer": c.received.pk, "a": c.targets[1]}),
    ]


def page_compose_search(client: Any, c: Case) -> list[Any]:
    form = {"targets": c.targets, "subject": "S", "body": "B", "action": "search", "query": ""}
    named = {**form, "query": "Quen"}  # a search by name finds no stranger
    return [client.post("/messagerie/ecrire/", form), client.post("/messagerie/ecrire/", named)]


def page_compose_send(client: Any, c: Case) -> list[Any]:
    form = {"targets": c.targets, "subject": "S", "body": "B", "about_pupil": c.child.pk}
    return [
        client.post("/messagerie/ecrire/", {**form, "action": "send"}),
        client.post("/messagerie/ecrire/", {**form, "action": "draft"}, follow=True),
        client.post(
            "/messagerie/ecrire/", {**form, "about_pupil": "", "action": "draft"}, follow=True
        ),
        client.post(
            "/messagerie/ecrire/",
            {**form, "about_pupil": "", "action": "send", "reply_to": c.received.pk},
        ),
    ]


def other_week_of_child(client: Any, c: Case) -> list[Any]:
    return [client.get("/api/v1/emploi-du-temps/semaine/", {"eleve": c.child.pk})]


def other_switch_child(client: Any, c: Case) -> list[Any]:
    return [client.post("/contexte/enfant/", {"child": c.child.pk, "next": "/"}, follow=True)]


def other_account_letters_and_reset(client: Any, c: Case) -> list[Any]:
    return [
        client.get(f"/comptes/lettres/compte/{c.relative.pk}/"),
        client.get(f"/comptes/lettres/compte/{c.child.pk}/"),
        client.post(f"/comptes/reinitialiser/{c.child.pk}/"),
    ]


ENDPOINTS: list[Callable[[Any, Case], list[Any]]] = [
    api_draft_create,
    api_draft_update,
    api_draft_with_reply_to,
    api_draft_send,
    api_send,
    api_send_about_only,
    api_reply_forward,
    api_recipient_search,
    page_compose_get,
    page_compose_reply,
    page_compose_search,
    page_compose_send,
    other_week_of_child,
    other_switch_child,
    other_account_letters_and_reset,
]


@pytest.fixture
def strangers(world: World) -> tuple[Person, Person]:
    """A pupil of the lycée and their parent, whom nobody of the world may write to."""
    child = factories.pupil(
        school_class=world.class_2nde,
        username="zephyrine",
        first_name="Zéphyrine",
        last_name="Quenouille",
        password=PASSWORD,
    )
    relative = factories.relative(
        children=[child], username="ysolde", first_name="Ysolde", last_name="Quenouille"
    )
    return child, relative


@pytest.mark.parametrize("persona", ["pupil", "parent", "teacher"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda f: f.__name__)
def test_no_person_id_reveals_a_name(world, strangers, login, bearer, persona, endpoint) -> None:
    """Whatever person id a pupil, parent or teacher gives, a person they may not write to
    is never named in the answer, and no draft or message keeps them named or « concerned »."""
    child, relative = strangers
    user = world.persona(persona)
    assert user is not None
    assert rules_engine.may_write(user, child) is None
    assert rules_engine.may_write(user, relative) is None
    received = services.message_send(
        sender=world.admin, targets=[f"p:{user.pk}", f"p:{world.teacher.pk}"],
        subject="Réunion", body="<p>Mardi</p>",
    )  # fmt: skip
    case = Case(user, child, relative, received)
    login(user)
    client = bearer(user)

    responses = endpoint(client, case)
    # and every draft the user now has, read back on the API and on the compose page
    for draft in Message.objects.filter(author=user, sent_at__isnull=True):
        responses.append(client.get(f"{API}brouillons/{draft.pk}/"))
        responses.append(client.get("/messagerie/ecrire/", {"brouillon": draft.pk}))

    assert responses
    for response in responses:
        assert response.status_code < 500
        text = _text(response)
        for name in NAMES:
            assert name not in text, (endpoint.__name__, response.request.get("PATH_INFO"))
    strangers_ids = [child.pk, relative.pk]
    assert not Message.objects.filter(about_pupil__in=strangers_ids).exists()
    assert not Message.objects.filter(recipients_label__icontains="Quenouille").exists()
    assert not Delivery.objects.filter(recipient__in=strangers_ids).exists()


def test_people_the_user_may_write_to_stay_named(world, login, bearer) -> None:
    """The same pages still name whom the user may write to (so the matrix above would see
    a name): the pupil's teacher on the compose page and in a draft."""
    login(world.pupil)
    client = bearer(world.pupil)
    page = client.get("/messagerie/ecrire/", {"a": f"p:{world.teacher.pk}"})
    assert page.status_code == 200 and "franck garcia" in _text(page)
    draft = _json(client, "post", f"{API}brouillons/", {"recipients": [f"p:{world.teacher.pk}"]})
    assert draft.status_code == 201
    assert draft.json()["recipients_detail"] == [
        {"key": f"p:{world.teacher.pk}", "label": "Franck Garcia"}
    ]
    assert Message.objects.get(pk=draft.json()["id"]).draft_targets == [f"p:{world.teacher.pk}"]


def test_parent_about_list_names_only_own_children_and_staff_only_writable_families(
    world, strangers, login
) -> None:
    """The « Concerne » list: a teacher sees the children of a parent of their school, never
    those of another school's parent whose id they type."""
    child, relative = strangers
    login(world.teacher)
    own = login(world.teacher).get("/messagerie/ecrire/", {"a": f"p:{world.other_parent.pk}"})
    assert own.status_code == 200
    assert "Chloé Petit" in html.unescape(own.content.decode())
    foreign = login(world.teacher).get("/messagerie/ecrire/", {"a": f"p:{relative.pk}"})
    assert foreign.status_code == 200
    text = html.unescape(foreign.content.decode())
    assert "Quenouille" not in text and f"Destinataire n° {relative.pk}" in text
    assert not Message.objects.filter(about_pupil=child).exists()
