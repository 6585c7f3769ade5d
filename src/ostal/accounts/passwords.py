"""Password policy (identity issue §2): stronger for staff than for pupils, and never an
activation or reset code.

| who                                                     | minimum | other rules            |
|---------------------------------------------------------|---------|------------------------|
| pupil (profile ELV)                                     | 8       |                        |
| parent (TUT), guest, anyone else                        | 10      |                        |
| staff: a staff profile (ENS, DIR, EVS, ETA, ACA, DOC,   | 12      | 3 classes of character |
| COL) held as main profile or in a school, or any admin  |         | among a-z, A-Z, 0-9,   |
| role (school admin, authority admin, operator)          |         | others                 |

Everyone: not a common password, not all digits, not similar to (nor containing) the login
or the names, and never containing the person's current activation/reset code nor any
string shaped like an Ostal activation code (so a code printed on a letter can never become
a password). Validators are Django password validators wired in
``AUTH_PASSWORD_VALIDATORS``; they receive the ``user`` whose password is being set.
Without a user (e.g. a management command), the staff rule applies: the strictest one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ostal.directory.models import STAFF_PROFILES, Profile

# The alphabet of activation codes (``ostal.feed.importer.ACTIVATION_ALPHABET``): upper
# case letters and digits without the look-alikes I, O, 0 and 1; codes are 10 characters,
# printed in two groups of five.
CODE_SHAPE = re.compile(r"[A-HJ-NP-Z2-9]{5}[-\s.]?[A-HJ-NP-Z2-9]{5}")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")

PUPIL_MIN_LENGTH = 8
DEFAULT_MIN_LENGTH = 10
STAFF_MIN_LENGTH = 12
STAFF_MIN_CLASSES = 3

# Profiles counted as staff for the password policy: school staff plus collectivité staff.
POLICY_STAFF_PROFILES = frozenset(STAFF_PROFILES | {Profile.AUTHORITY_STAFF})


def normalize_code(value: str) -> str:
    """A code as typed (``abcde-fghjk``, spaces, lower case) → its stored form."""
    return _NOT_ALNUM.sub("", value.upper())


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


def is_staff_for_policy(user: Any) -> bool:
    """Whether the staff rule applies: staff profile (main or in a school) or admin role."""
    if user is None:
        return True
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    if getattr(user, "profile", None) in POLICY_STAFF_PROFILES:
        return True
    if getattr(user, "pk", None) is None:
        return False
    from ostal.directory.models import Affiliation, AuthorityRole, SchoolAdmin

    return (
        SchoolAdmin.objects.filter(person_id=user.pk).exists()
        or AuthorityRole.objects.filter(person_id=user.pk, is_admin=True).exists()
        or Affiliation.objects.filter(person_id=user.pk, profile__in=POLICY_STAFF_PROFILES).exists()
    )


def policy_for(user: Any) -> tuple[int, int]:
    """(minimum length, minimum number of character classes) for ``user``."""
    if is_staff_for_policy(user):
        return STAFF_MIN_LENGTH, STAFF_MIN_CLASSES
    if getattr(user, "profile", None) == Profile.PUPIL:
        return PUPIL_MIN_LENGTH, 1
    return DEFAULT_MIN_LENGTH, 1


def character_classes(password: str) -> int:
    """How many of: lower case, upper case, digits, anything else."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class ProfileLengthValidator:
    """Minimum length by profile: pupils 8, parents and others 10, staff 12."""

    def validate(self, password: str, user: Any = None) -> None:
        minimum, _classes = policy_for(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "Ce mot de passe est trop court : il faut au moins %(min)d caractère.",
                    "Ce mot de passe est trop court : il faut au moins %(min)d caractères.",
                    minimum,
                )
                % {"min": minimum},
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return _(
            "Au moins %(pupil)d caractères pour les élèves, %(other)d pour les parents, "
            "%(staff)d pour les personnels."
        ) % {"pupil": PUPIL_MIN_LENGTH, "other": DEFAULT_MIN_LENGTH, "staff": STAFF_MIN_LENGTH}


class StaffCharacterClassesValidator:
    """Staff passwords mix at least three kinds of character."""

    def validate(self, password: str, user: Any = None) -> None:
        _minimum, classes = policy_for(user)
        if classes > 1 and character_classes(password) < classes:
            raise ValidationError(
                _(
                    "Pour un compte de personnel, le mot de passe doit mélanger au moins "
                    "%(n)d sortes de caractères parmi : minuscules, majuscules, chiffres, "
                    "autres signes."
                )
                % {"n": classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Personnels : au moins trois sortes de caractères (minuscules, majuscules, "
            "chiffres, autres signes)."
        )


class ActivationCodeValidator:
    """Never the person's activation or reset code, nor anything shaped like a code."""

    def validate(self, password: str, user: Any = None) -> None:
        code = normalize_code(getattr(user, "activation_code", "") or "")
        if (code and code in normalize_code(password)) or CODE_SHAPE.search(password):
            raise ValidationError(
                _(
                    "Le code d'activation ne peut pas servir de mot de passe : choisissez un "
                    "mot de passe personnel."
                ),
                code="password_is_code",
            )

    def get_help_text(self) -> str:
        return _("Le code d'activation reçu ne peut pas servir de mot de passe.")


class PersonalDataValidator:
    """Never containing the login or a name (4 letters or more), accents and case aside."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _fold(password)
        for value in (
            getattr(user, "username", ""),
            getattr(user, "last_name", ""),
            getattr(user, "first_name", ""),
        ):
            parts = {_fold(value or "")} | set(re.split(r"[\W_]+", _fold(value or "")))
            if any(len(part) >= 4 and part in folded for part in parts):
                raise ValidationError(
                    _("Le mot de passe ne doit contenir ni votre identifiant ni votre nom."),
                    code="password_has_personal_data",
                )

    def get_help_text(self) -> str:
        return _("Le mot de passe ne doit contenir ni votre identifiant ni votre nom.")
