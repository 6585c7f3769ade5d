"""The compose page (issue 15, item 7): a refused send says it was not sent and where it
is kept, an empty one is kept nowhere; every error at once, tied to its field; the
recipient search finds people by role and by the subject they teach."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ostal.directory import factories, services
from ostal.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db
COMPOSE = reverse("messaging:compose")
API = "/api/v1/messages/destinataires/"


def _send(client: Any, **data: Any) -> Any:
    return client.post(COMPOSE, {"action": "send", **data})


def test_empty_send_is_refused_and_no_draft_kept(mw: Any, login: Any) -> None:
    """An empty message (no subject, text nor recipient) is refused and never saved."""
    parent = mw.world.parent
    client = login(parent)
    response = _send(client, subject="", body="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le message n'a pas été envoyé." in html
    assert "Il n'a pas été enregistré comme brouillon : il est vide." in html
    assert not Message.objects.filter(author=parent).exists()


def test_refused_send_says_where_the_draft_is(mw: Any, login: Any) -> None:
    """A refused send with content is kept as a draft, and the page says so with a link."""
    parent = mw.world.parent
    client = login(parent)
    response = _send(client, subject="Sortie", body="Bonjour", targets=[])
    html = response.content.decode()
    draft = Message.objects.get(author=parent)
    assert response.status_code == 400
    assert "Le message n'a pas été envoyé." in html
    assert "Il est conservé comme brouillon" in html
    assert f'href="{reverse("messaging:drafts")}"' in html
    assert draft.sent_at is None and draft.subject == "Sortie"
    assert not Delivery.objects.filter(message=draft).exists()


def test_all_errors_at_once_tied_to_their_fields(mw: Any, login: Any) -> None:
    """Every error is shown at once, in a summary linking to the fields, and each field
    carries ``aria-invalid`` and ``aria-describedby`` pointing to its error."""
    parent = mw.world.parent
    client = login(parent)
    response = _send(client, subject="", body="Bonjour", targets=[f"p:{mw.world.other_parent.pk}"])
    html = response.content.decode()
    assert response.status_code == 400
    assert "Corrigez les 2 erreurs suivantes" in html
    assert '<a href="#id_subject">Objet : L&#x27;objet du message est obligatoire.</a>' in html
    assert '<a href="#id_query">Destinataires :' in html
    assert 'id="id_subject_error"' in html
    assert 'aria-describedby="id_subject_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<fieldset aria-describedby="id_targets_error">' in html
    assert 'id="id_targets_error"' in html
    # Kept as a draft (it has a text), never sent.
    assert Message.objects.filter(author=parent, sent_at__isnull=True).count() == 1
    assert not Delivery.objects.filter(recipient=mw.world.other_parent).exists()


def test_parent_finds_the_maths_teacher_by_subject(mw: Any, login: Any) -> None:
    """A parent searching « maths » finds the maths teacher of their child, labelled with
    role, subject and class."""
    w = mw.world
    client = login(w.parent)
    for query in ("maths", "Mathématiques", "MATHEMATIQUES", "prof de maths"):
        found = client.get(API, {"q": query}).json()["results"]
        names = {r["name"]: r["role"] for r in found}
        assert "Franck Garcia" in names, query
        assert names["Franck Garcia"] == "professeur de mathématiques, 4B"
        # The lycée teacher of the sibling is found too (2NDE1), nobody else.
        assert set(names) == {"Franck Garcia", "Gilles Henry"}, query
    response = client.post(COMPOSE, {"action": "search", "query": "maths"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Franck Garcia – professeur de mathématiques, 4B" in html
    assert not Message.objects.filter(author=w.parent).exists()


def test_parent_finds_teachers_and_staff_by_role(mw: Any, login: Any) -> None:
    """« professeur », « CPE », « principal » and « professeur principal » find the people
    of that role the parent may write to, and only them."""
    w = mw.world
    client = login(w.other_parent)  # one child, in 4B

    def names(query: str) -> set[str]:
        return {r["name"] for r in client.get(API, {"q": query}).json()["results"]}

    assert names("professeur") == {"Franck Garcia", "Laure Martin"}
    assert names("enseignant") == {"Franck Garcia", "Laure Martin"}
    assert names("professeur principal") == {"Laure Martin"}
    assert names("CPE") == names("vie scolaire") == {"Karim Lopez", "Nora Roux"}
    assert "Gilles Henry" not in names("professeur")  # another school's teacher
    labels = {r["name"]: r["role"] for r in client.get(API, {"q": "prof"}).json()["results"]}
    assert labels["Laure Martin"] == "professeur principal, 4B"


def test_subject_search_stays_within_the_rules(mw: Any, login: Any) -> None:
    """A subject search finds no teacher of a class the user has no link with."""
    w = mw.world
    physics = factories.subject("061400", "PHYSIQUE-CHIMIE")
    services.teaching_assign(teacher=w.other_teacher, subject=physics, school_class=w.class_2nde)
    client = login(w.other_parent)
    response = client.get(API, {"q": "physique"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    page = client.post(COMPOSE, {"action": "search", "query": "physique"})
    html = page.content.decode()
    assert "Aucun destinataire autorisé ne correspond à « physique »." in html
    assert 'aria-describedby="id_query_error"' in html
    assert not Message.objects.filter(author=w.other_parent).exists()


def test_api_empty_send_keeps_no_draft(mw: Any, bearer: Any) -> None:
    """The API refuses an empty send with every reason at once and keeps no draft."""
    parent = mw.world.parent
    response = bearer(parent).post(
        "/api/v1/messages/envoyer/",
        {"recipients": [], "subject": "", "body": ""},
        "application/json",
    )
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert "L'objet du message est obligatoire." in fields["recipients"]
    assert "Choisissez au moins un destinataire." in fields["recipients"]
    assert fields["draft"] == [""]
    assert not Message.objects.filter(author=parent).exists()


def test_hyphenated_subject_found_by_either_word(mw: Any, login: Any) -> None:
    """« chimie » finds the teacher of « Physique-chimie » of the user's class, labelled."""
    w = mw.world
    physics = factories.subject("061400", "PHYSIQUE-CHIMIE")
    services.teaching_assign(teacher=mw.colleague, subject=physics, school_class=w.class_4b)
    found = login(w.other_parent).get(API, {"q": "Chimie"}).json()["results"]
    assert [(r["key"], r["name"]) for r in found] == [(f"p:{mw.colleague.pk}", "Laure Martin")]
    assert found[0]["role"] == "professeur de physique-chimie, 4B ; professeur principal, 4B"
    assert not Message.objects.exists()


def test_empty_draft_is_not_saved(mw: Any, login: Any) -> None:
    """« Enregistrer le brouillon » on an empty message saves nothing and says so."""
    parent = mw.world.parent
    response = login(parent).post(COMPOSE, {"action": "draft", "subject": " ", "body": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le message est vide : aucun brouillon n&#x27;a été enregistré." in html
    assert not Message.objects.filter(author=parent).exists()
