"""School admins' account tools: activation letters per class and the admin's reset.

Rules: only an admin of the class's school prints its letters; only an admin of one of the
person's schools resets an account (pupils enrolled there, parents of those pupils, staff
attached there); everybody else gets the same 404 as for a missing id."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ostal.accounts import letters
from ostal.core.models import SecurityEvent
from ostal.directory import factories
from ostal.directory.models import Person

PERSONAS = [
    "pupil",
    "sibling",
    "parent",
    "other_pupil",
    "other_parent",
    "teacher",
    "other_teacher",
    "admin",
    "other_admin",
    "agent",
    "anonymous",
]
PDFTOTEXT = "/usr/bin/pdftotext"
CONFIRM = {"confirm": "1"}


def with_code(person: Person, code: str, state: str = Person.State.ACTIVE) -> Person:
    Person.objects.filter(pk=person.pk).update(state=state, activation_code=code)
    person.refresh_from_db()
    return person


@pytest.fixture
def pending(world):
    """In 4B: a new pupil waits for activation; the pupil, their parent and another pupil
    hold reset codes (still active, so they can be the matrix's rows)."""
    newcomer = factories.pupil(
        school_class=world.class_4b, username="nouveau", first_name="Zoé", last_name="Zola"
    )
    with_code(newcomer, "RSTUV23456", state=Person.State.TO_ACTIVATE)
    with_code(world.pupil, "ABCDE23456")
    with_code(world.parent, "FGHJK23456")
    with_code(world.other_pupil, "LMNPQ23456")
    return world


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_school_admin_prints_a_class_s_letters(login, pending, persona, monkeypatch):
    """Letters of 4B: the collège's admin only; the others get 404 (anonymous: login)."""
    monkeypatch.setattr(letters, "letters_pdf", lambda **kw: b"%PDF-fake")
    client = login(pending.persona(persona))
    response = client.get(reverse("accounts:letters_class", args=[pending.class_4b.pk]))
    assert response.status_code == expected(persona, {"admin"})
    printed = SecurityEvent.objects.filter(kind="letters_printed").count()
    assert printed == (1 if persona == "admin" else 0)


def test_letters_of_an_unknown_class_are_a_404(login, world):
    """A missing class answers like a forbidden one."""
    assert (
        login(world.admin).get(reverse("accounts:letters_class", args=[999999])).status_code == 404
    )


def test_letters_cover_pupils_and_their_relatives_still_holding_a_code(pending):
    """One letter per pupil of the class and per relative of those pupils with a code."""
    batch = letters.letters_of_class(school_class=pending.class_4b)
    assert [(letter.person.username, letter.role) for letter in batch] == [
        ("eleve", "pupil"),
        ("autre.eleve", "pupil"),
        ("nouveau", "pupil"),
        ("parent", "relative"),
    ]
    assert batch[0].code == "ABCDE-23456"
    assert batch[3].children == ("Alice Durand",)


def test_letters_are_read_in_a_bounded_number_of_queries(pending, django_assert_max_num_queries):
    """The letters of a class need three queries whatever its size."""
    with django_assert_max_num_queries(3):
        letters.letters_of_class(school_class=pending.class_4b)


def test_the_letters_pdf_is_a_pdf_and_is_recorded(login, pending):
    """The admin downloads a real PDF; a LETTERS_PRINTED event records how many letters."""
    response = login(pending.admin).get(
        reverse("accounts:letters_class", args=[pending.class_4b.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    event = SecurityEvent.objects.get(kind="letters_printed")
    assert event.actor == pending.admin and event.data["count"] == 4
    assert event.data["class_id"] == pending.class_4b.pk


def test_the_letters_pdf_is_tagged_for_screen_readers(pending):
    """The PDF is PDF/UA-1: a structure tree with headings and tables, French, titled."""
    content = letters.letters_pdf(
        letters=letters.letters_of_class(school_class=pending.class_4b)[:1],
        title="Lettres 4B",
        school_name="Collège Test",
        activate_url="http://ent.example/comptes/activation/",
        uncompressed=True,
    )
    for marker in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang (fr)", b"/H1", b"/Table", b"pdfuaid"):
        assert marker in content, marker
    assert b"Lettres 4B" in content  # the document title


@pytest.mark.skipif(
    not shutil.which("pdftotext") and not shutil.which(PDFTOTEXT),
    reason="pdftotext (Debian package poppler-utils) is missing: the PDF text cannot be read "
    "(weasyprint compresses it); the PDF itself is checked by the test above",
)
def test_the_letters_pdf_contains_logins_and_codes(pending):
    """The printed letters show the login, the code and the activation address."""
    content = letters.letters_pdf(
        letters=letters.letters_of_class(school_class=pending.class_4b),
        title="Lettres",
        school_name="Collège Test",
        activate_url="http://ent.example/comptes/activation/",
    )
    text = subprocess.run(  # noqa: S603 - a fixed local tool, our own PDF as input
        [shutil.which("pdftotext") or PDFTOTEXT, "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # The code is printed letter-spaced: text extraction may split it with blanks.
    packed = "".join(text.split())
    assert "autre.eleve" in text and "ABCDE-23456" in packed
    assert "ent.example/comptes/activation/" in text


def test_a_class_with_every_account_active_has_no_letters(login, world):
    """Nothing to print: the admin is told so and sent back to the roster."""
    response = login(world.admin).get(reverse("accounts:letters_class", args=[world.class_4b.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:class", args=[world.class_4b.pk])
    assert not SecurityEvent.objects.filter(kind="letters_printed").exists()


# --- Admin reset ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("pupil", {"admin"}),
        ("parent", {"admin", "other_admin"}),  # children in the collège and the lycée
        ("teacher", {"admin"}),
        ("other_teacher", {"other_admin"}),
        ("agent", set()),
    ],
)
def test_admin_reset_permission_matrix(world, target, allowed):
    """Only an admin of one of the person's schools resets the account; others get 404
    (anonymous: the login page), and nothing changes for them."""
    person = world.persona(target)
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(
                world.persona(persona), backend="django.contrib.auth.backends.ModelBackend"
            )
        before = Person.objects.get(pk=person.pk).activation_code
        response = client.post(reverse("accounts:admin_reset", args=[person.pk]), CONFIRM)
        status = expected(persona, allowed)
        assert response.status_code == status, persona
        after = Person.objects.get(pk=person.pk)
        assert (after.activation_code != before) == (status == 200), persona
        if status == 200:
            assert not after.has_usable_password()


def test_an_admin_reset_issues_a_code_and_revokes_everything(login, world):
    """New code shown once, password unusable, sessions and tokens revoked, event with
    the actor."""
    Token.objects.create(user=world.pupil)
    pupil_browser = Client()
    pupil_browser.force_login(world.pupil, backend="django.contrib.auth.backends.ModelBackend")
    assert pupil_browser.get("/").status_code == 200
    response = login(world.admin).post(
        reverse("accounts:admin_reset", args=[world.pupil.pk]),
        {"next": "https://evil.example/", **CONFIRM},
    )
    assert response.status_code == 200
    world.pupil.refresh_from_db()
    html = response.content.decode()
    assert f"{world.pupil.activation_code[:5]}-{world.pupil.activation_code[5:]}" in html
    assert "evil.example" not in html
    assert reverse("accounts:letter_person", args=[world.pupil.pk]) in html
    assert "no-store" in response["Cache-Control"]
    assert not world.pupil.has_usable_password()
    assert world.pupil.state == Person.State.ACTIVE
    assert not Token.objects.filter(user=world.pupil).exists()
    assert pupil_browser.get("/").status_code == 302
    event = SecurityEvent.objects.get(kind="account_changed", subject=world.pupil)
    assert event.actor == world.admin
    assert event.data == {"reset_code_issued": True, "had_password": True}


def test_an_admin_reset_asks_for_confirmation_first(login, world):
    """« Nouveau code » opens a page saying what the reset does (password stops working,
    sessions closed, logged) and resets nothing; neither does a POST without confirmation."""
    client = login(world.admin)
    url = reverse("accounts:admin_reset", args=[world.pupil.pk])
    page = client.get(url, {"next": f"/classes/{world.class_4b.pk}/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "son mot de passe actuel cesse de fonctionner" in html
    assert "ses sessions ouvertes" in html and "journal de sécurité" in html
    assert 'name="confirm" value="1"' in html and f'href="/classes/{world.class_4b.pk}/"' in html
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 200 and 'name="confirm"' in unconfirmed.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.has_usable_password() and world.pupil.activation_code == ""
    assert not SecurityEvent.objects.filter(kind="account_changed", subject=world.pupil).exists()


def test_the_class_page_links_new_code_to_the_confirmation(login, world):
    """On the class page, « Nouveau code » is a link to the confirmation page, not a
    one-click reset form."""
    page = login(world.admin).get(reverse("web:class", args=[world.class_4b.pk]))
    html = page.content.decode()
    confirm_url = reverse("accounts:admin_reset", args=[world.pupil.pk])
    assert page.status_code == 200
    assert f'href="{confirm_url}?next=' in html and f'action="{confirm_url}"' not in html
    world.pupil.refresh_from_db()
    assert world.pupil.has_usable_password()


def test_an_admin_cannot_reset_their_own_account(login, world):
    """An admin's own account is not reset through this door (404)."""
    response = login(world.admin).post(
        reverse("accounts:admin_reset", args=[world.admin.pk]), CONFIRM
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["admin", "other_admin", "teacher", "parent"])
def test_the_one_person_letter_follows_the_reset_rule(login, world, persona, monkeypatch):
    """The single letter after a reset: admins of the person's school only."""
    monkeypatch.setattr(letters, "letters_pdf", lambda **kw: b"%PDF-fake")
    with_code(world.pupil, "ABCDE23456")
    response = login(world.persona(persona)).get(
        reverse("accounts:letter_person", args=[world.pupil.pk])
    )
    assert response.status_code == (200 if persona == "admin" else 404)


def test_the_code_of_an_admin_reset_opens_activation(client, login, world):
    """The reset code works on the activation page, and the old password no longer does."""
    login(world.admin).post(reverse("accounts:admin_reset", args=[world.pupil.pk]), CONFIRM)
    world.pupil.refresh_from_db()
    client.logout()
    anonymous = type(client)()
    response = anonymous.post(
        reverse("accounts:activate"),
        {"username": "eleve", "code": world.pupil.activation_code.lower()},
    )
    assert response.status_code == 302


# --- Class roster panel --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "teacher"])
def test_the_roster_shows_account_tools_to_school_admins_only(login, pending, persona):
    """The class page links to letters and resets for the school admin, not for a teacher."""
    html = (
        login(pending.persona(persona))
        .get(reverse("web:class", args=[pending.class_4b.pk]))
        .content.decode()
    )
    letters_url = reverse("accounts:letters_class", args=[pending.class_4b.pk])
    reset_url = reverse("accounts:admin_reset", args=[pending.pupil.pk])
    assert (letters_url in html) == (persona == "admin")
    assert (reset_url in html) == (persona == "admin")
