"""Password policy rules: pupils 8, parents 10, staff 12 with three kinds of character;
never a code, never the login or a name; French messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ostal.accounts.passwords import CODE_SHAPE, normalize_code, policy_for
from ostal.directory.models import AuthorityRole, Person, Profile


def errors(password: str, user: Person | None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code or "" for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("persona", "minimum", "classes"),
    [
        ("pupil", 8, 1),
        ("parent", 10, 1),
        ("teacher", 12, 3),
        ("admin", 12, 3),
        ("agent", 12, 3),
    ],
)
def test_the_policy_depends_on_the_profile(world, persona, minimum, classes):
    """Pupils need 8 characters, parents 10, staff 12 and three kinds of character."""
    assert policy_for(world.persona(persona)) == (minimum, classes)


def test_without_a_user_the_strictest_policy_applies():
    """A password set with no known account (management command) follows the staff rule."""
    assert policy_for(None) == (12, 3)


def test_an_admin_role_makes_a_parent_staff_for_the_policy(world):
    """A parent who is also an authority's admin gets the staff rule."""
    AuthorityRole.objects.create(
        person=world.parent, authority=world.college.responsible_authority, is_admin=True
    )
    assert policy_for(world.parent) == (12, 3)


def test_a_parent_teaching_somewhere_is_staff_for_the_policy(world):
    """A parent attached to a school with a staff profile gets the staff rule."""
    world.parent.affiliations.create(school=world.college, profile=Profile.TEACHER)
    assert policy_for(world.parent) == (12, 3)


def test_a_pupil_password_of_8_characters_is_accepted(world):
    """A pupil may choose 8 characters, not 7."""
    assert errors("vélo-bleu", world.pupil) == []
    assert "password_too_short" in errors("vélobl5", world.pupil)


def test_a_parent_password_needs_10_characters(world):
    """Nine characters are refused for a parent, ten accepted."""
    assert "password_too_short" in errors("jardin-v8", world.parent)
    assert errors("jardin-vert8", world.parent) == []


def test_a_staff_password_needs_12_characters_and_three_kinds(world):
    """Staff: 12 lower-case letters are refused (one kind), a mix of three is accepted."""
    assert "password_too_simple" in errors("tramwaygrenat", world.teacher)
    assert "password_too_short" in errors("Tram-way-9", world.teacher)
    assert errors("Tramway-grenat9", world.teacher) == []


def test_the_same_password_suits_a_pupil_but_not_staff(world):
    """Stronger for staff than for pupils: one password, two verdicts."""
    assert errors("tramwaygrenat", world.pupil) == []
    assert errors("tramwaygrenat", world.teacher) != []


@pytest.mark.parametrize(
    "typed", ["ABCDE23456", "abcde-23456", "Mon-ABCDE23456-x", "abcde 23456 soleil"]
)
def test_the_person_s_own_code_is_refused_as_a_password(world, typed):
    """The current activation/reset code, in any case or spacing, is never a password."""
    world.parent.activation_code = "ABCDE23456"
    assert "password_is_code" in errors(typed + "-Zz9!", world.parent)


@pytest.mark.parametrize("password", ["KLMNP-QRST9 jardin", "xXKLMNPQRST9Xx!", "WXYZ2WXYZ2abc"])
def test_anything_shaped_like_an_activation_code_is_refused(world, password):
    """Ten characters of the code alphabet in a row (with or without a dash) are refused,
    whoever the person is (another person's letter cannot become a password)."""
    assert "password_is_code" in errors(password, world.parent)


def test_ordinary_words_are_not_mistaken_for_codes(world):
    """Lower-case words of the code alphabet (``strengthen``) are not a code shape."""
    assert CODE_SHAPE.search("strengthened-cat") is None
    assert errors("strengthened-cat", world.parent) == []


@pytest.mark.parametrize("password", ["durand-a-la-plage", "Diane!Souris2024", "xxparentxx-2024"])
def test_the_login_and_names_are_refused(world, password):
    """A password containing the login or a name (accents and case aside) is refused."""
    assert errors(password, world.parent) != []


def test_common_and_numeric_passwords_are_refused(world):
    """Common passwords and all-digit passwords are refused, with French messages."""
    with pytest.raises(ValidationError) as caught:
        validate_password("motdepasse", world.pupil)
    assert "trop courant" in " ".join(caught.value.messages)
    assert "password_entirely_numeric" in errors("3141592653", world.pupil)


def test_messages_are_french(world):
    """The policy explains itself in French."""
    with pytest.raises(ValidationError) as caught:
        validate_password("Court1!", world.teacher)
    text = " ".join(caught.value.messages)
    assert "trop court" in text and "12 caractères" in text


def test_codes_are_normalised_like_letters_print_them():
    """Typed codes lose case, dashes and spaces."""
    assert normalize_code(" abcde-fgh23 ") == "ABCDEFGH23"
