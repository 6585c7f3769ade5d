"""Account life (identity issue §1–2): activation with the code the school distributes,
charter, password, e-mail, reset by confirmed e-mail or by a school admin.

Rules held here:
* an activation (or an admin's reset) code opens the account once: activating clears it;
* activation, a password reset and an admin's reset revoke every session and token of the
  account (``credentials_revoke_all``); a password change keeps only the current session;
* only a *confirmed* e-mail receives reset links; changing the address unconfirms it;
* a school admin may reset the accounts of their school only (pupils enrolled there,
  parents of those pupils, staff attached there); anyone else gets the same 404 as for a
  missing person;
* every step leaves a security event.
"""

from __future__ import annotations

import hmac
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_ratelimit.core import is_ratelimited

from ostal.accounts.passwords import normalize_code
from ostal.accounts.services.security import credentials_revoke_all
from ostal.core.models import SecurityEvent
from ostal.core.security import client_address, security_event_record
from ostal.directory.abilities import is_admin_of_school
from ostal.directory.models import Affiliation, Enrolment, Person, SchoolClass
from ostal.territory.models import School

EMAIL_SALT = "ostal.accounts.email-confirm"
# Accounts a code may open: waiting for activation, or active with an admin's reset code.
CODE_STATES = (Person.State.TO_ACTIVATE, Person.State.ACTIVE)


# --- Codes --------------------------------------------------------------------------------


def activation_code_new() -> str:
    """A fresh code, same alphabet and length as the directory import's."""
    from ostal.feed.importer import activation_code

    return activation_code()


def code_display(code: str) -> str:
    """``ABCDEFGHJK`` → ``ABCDE-FGHJK`` (as printed on letters)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == 10 else code


def code_fingerprint(code: str) -> str:
    """A keyed digest of a code, kept in the session instead of the code itself."""
    return hmac.new(
        force_bytes(settings.SECRET_KEY), force_bytes("activation:" + code), "sha256"
    ).hexdigest()


def account_for_code(*, login: str, code: str) -> Person | None:
    """The account ``login`` opens with ``code``, or ``None`` (unknown login, wrong code, no
    code, or an account that may not be activated: the caller cannot tell which)."""
    typed = normalize_code(code)
    person = (
        Person.objects.filter(username=login.strip().lower(), state__in=CODE_STATES)
        .exclude(activation_code="")
        .first()
    )
    expected = person.activation_code if person is not None else "X" * 10
    # Compare even when nobody matched, so timing tells nothing either.
    matches = hmac.compare_digest(force_bytes(typed or "-"), force_bytes(expected))
    return person if person is not None and matches else None


def rate_limited(request: HttpRequest, *, group: str, key: str, rate: str) -> bool:
    """Count one attempt for ``key`` in ``group``; ``True`` once over ``rate``."""
    return bool(
        is_ratelimited(
            request,
            group=f"ostal.life.{group}",
            key=lambda _group, _request: key,
            rate=rate,
            increment=True,
        )
    )


def address_key(request: HttpRequest) -> str:
    return client_address(request) or "unknown"


# --- Abilities ----------------------------------------------------------------------------


def schools_of_account(person: Person) -> set[int]:
    """Schools whose admins look after this account: where the person is attached,
    enrolled (this year's classes), or has a child enrolled."""
    ids = set(Affiliation.objects.filter(person=person).values_list("school_id", flat=True))
    ids |= set(
        Enrolment.objects.filter(
            Q(pupil=person) | Q(pupil__relative_links__relative=person),
            school_class__archived=False,
        ).values_list("school_class__school_id", flat=True)
    )
    return ids


@rules.predicate
def is_admin_of_school_of_person(user: Any, person: Person | None) -> bool:
    """The user is a school admin (ADML) of one of the person's schools."""
    if person is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        is_admin_of_school(user, school)
        for school in School.objects.filter(pk__in=schools_of_account(person))
    )


def person_for_admin(*, viewer: Any, person_id: int) -> Person | None:
    """A person whose account ``viewer`` may reset, or ``None`` (missing and forbidden)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.pk == getattr(viewer, "pk", None):
        return None
    if person.state not in CODE_STATES or not is_admin_of_school_of_person(viewer, person):
        return None
    return person


def class_for_admin(*, viewer: Any, class_id: int) -> SchoolClass | None:
    """A class whose letters ``viewer`` may print (admins of its school), else ``None``."""
    school_class = SchoolClass.objects.select_related("school").filter(pk=class_id).first()
    if school_class is None or not is_admin_of_school(viewer, school_class.school):
        return None
    return school_class


# --- Activation ---------------------------------------------------------------------------


def account_activate(
    *, person: Person, password: str, email: str = "", request: HttpRequest | None = None
) -> Person:
    """Open the account: password set, charter accepted, code cleared, tokens revoked.

    The password must already have passed the policy (the form checks it with the
    person, so the code still on the account is refused as a password).
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        previous_state = person.state
        now = timezone.now()
        person.set_password(password)
        person.state = Person.State.ACTIVE
        if previous_state != Person.State.ACTIVE:
            person.state_changed_at = now
        person.activation_code = ""
        person.charter_accepted_at = now
        person.charter_version = settings.OSTAL_CHARTER_VERSION
        fields = [
            "password",
            "state",
            "state_changed_at",
            "activation_code",
            "charter_accepted_at",
            "charter_version",
            "updated_at",
        ]
        email = email.strip()
        if email and email.lower() != person.email.lower():
            person.email = email
            person.email_confirmed_at = None
            fields += ["email", "email_confirmed_at"]
        person.save(update_fields=fields)
        credentials_revoke_all(person=person, reason="activation", actor=person, request=request)
        security_event_record(
            kind=SecurityEvent.Kind.ACTIVATED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
            data={"from_state": previous_state, "email_given": bool(email)},
        )
        if email:
            email_confirmation_send(person=person, request=request)
    return person


def charter_accept(*, person: Person) -> Person:
    """Record that ``person`` accepted the charter of use in force (date and version);
    accepting again the version already accepted changes nothing."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        version = settings.OSTAL_CHARTER_VERSION
        if person.charter_accepted_at is None or person.charter_version < version:
            person.charter_accepted_at = timezone.now()
            person.charter_version = version
            person.save(update_fields=["charter_accepted_at", "charter_version", "updated_at"])
    return person


# --- E-mail -------------------------------------------------------------------------------


def email_token_make(person: Person) -> str:
    return signing.dumps({"p": person.pk, "e": person.email.lower()}, salt=EMAIL_SALT)


def email_token_read(token: str) -> Person | None:
    """The person a confirmation link was made for, if it is still valid: signed, younger
    than ``OSTAL_EMAIL_CONFIRM_SECONDS``, and for the address the account still has."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=settings.OSTAL_EMAIL_CONFIRM_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    person = Person.objects.filter(pk=data["p"], state=Person.State.ACTIVE).first()
    if person is None or not person.email or person.email.lower() != data.get("e"):
        return None
    return person


def _absolute(request: HttpRequest | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _mail(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    body = render_to_string(template, {"site_name": settings.OSTAL_SITE_NAME, **context})
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )


def email_confirmation_send(*, person: Person, request: HttpRequest | None = None) -> None:
    """Mail a signed confirmation link (valid 48 h) to the person's unconfirmed address."""
    link = _absolute(request, reverse("accounts:email_confirm", args=[email_token_make(person)]))
    _mail(
        to=person.email,
        subject=f"{settings.OSTAL_SITE_NAME} : confirmez votre adresse électronique",
        template="accounts/life/mail_email_confirm.txt",
        context={
            "person": person,
            "link": link,
            "hours": settings.OSTAL_EMAIL_CONFIRM_SECONDS // 3600,
        },
    )


@transaction.atomic
def email_confirm(*, person: Person, request: HttpRequest | None = None) -> Person:
    """Mark the account's address as confirmed (idempotent)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.email_confirmed_at is None:
        person.email_confirmed_at = timezone.now()
        person.save(update_fields=["email_confirmed_at", "updated_at"])
        security_event_record(
            kind=SecurityEvent.Kind.EMAIL_CONFIRMED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
        )
    return person


@transaction.atomic
def email_change(*, person: Person, email: str, request: HttpRequest | None = None) -> Person:
    """Set a new address, unconfirmed until its link is followed; the old confirmed address
    (if any) is told of the change. An empty address removes it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    old, old_confirmed = person.email, person.email_confirmed_at is not None
    email = email.strip()
    if email.lower() == old.lower() and old_confirmed:
        return person
    person.email = email
    person.email_confirmed_at = None
    person.save(update_fields=["email", "email_confirmed_at", "updated_at"])
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGED,
        request=request,
        actor=person,
        subject=person,
        username=person.username,
        data={"email": "changed" if email else "removed"},
    )
    if email:
        email_confirmation_send(person=person, request=request)
    if old and old_confirmed and old.lower() != email.lower():
        _mail(
            to=old,
            subject=f"{settings.OSTAL_SITE_NAME} : votre adresse électronique a changé",
            template="accounts/life/mail_email_changed.txt",
            context={"person": person},
        )
    return person


# --- Passwords ----------------------------------------------------------------------------


@transaction.atomic
def password_change(*, person: Person, password: str, request: HttpRequest | None = None) -> Person:
    """Change the password of a signed-in person (old password already checked).

    Other sessions die with the old password hash; tokens and SSO sessions are revoked; the
    caller keeps its own session with ``update_session_auth_hash``.
    """
    person.set_password(password)
    person.save(update_fields=["password", "updated_at"])
    credentials_revoke_all(person=person, reason="password_change", actor=person, request=request)
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_CHANGED,
        request=request,
        actor=person,
        subject=person,
        username=person.username,
    )
    return person


def accounts_for_reset(identifier: str) -> list[Person]:
    """Active accounts a reset link may be mailed to: by login, or by confirmed e-mail."""
    identifier = identifier.strip()
    if not identifier:
        return []
    query = Q(username=identifier.lower())
    if "@" in identifier:
        query |= Q(email__iexact=identifier)
    return list(
        Person.objects.filter(query, state=Person.State.ACTIVE, email_confirmed_at__isnull=False)
        .exclude(email="")
        .order_by("pk")[:5]
    )


def password_reset_request(*, identifier: str, request: HttpRequest | None = None) -> int:
    """Mail a reset link to each matching account with a confirmed e-mail; return how many
    were sent (never shown: the page says the same thing whatever happened)."""
    people = accounts_for_reset(identifier)
    with transaction.atomic():
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=request,
            subject=people[0] if len(people) == 1 else None,
            username=identifier[:150],
            data={"sent": len(people)},
        )
        for person in people:
            path = reverse(
                "accounts:password_reset_confirm",
                args=[
                    urlsafe_base64_encode(force_bytes(person.pk)),
                    default_token_generator.make_token(person),
                ],
            )
            _mail(
                to=person.email,
                subject=f"{settings.OSTAL_SITE_NAME} : réinitialisation du mot de passe",
                template="accounts/life/mail_password_reset.txt",
                context={
                    "person": person,
                    "link": _absolute(request, path),
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                },
            )
    return len(people)


@transaction.atomic
def password_reset(*, person: Person, password: str, request: HttpRequest | None = None) -> Person:
    """Set the password chosen through a reset link; any pending reset code dies with it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.set_password(password)
    person.activation_code = ""
    person.save(update_fields=["password", "activation_code", "updated_at"])
    credentials_revoke_all(person=person, reason="password_reset", actor=person, request=request)
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_RESET,
        request=request,
        actor=person,
        subject=person,
        username=person.username,
        data={"by": "email"},
    )
    return person


@transaction.atomic
def account_admin_reset(
    *, person: Person, actor: Person, request: HttpRequest | None = None
) -> str:
    """A school admin's reset: password unusable, a new code to print, everything revoked.

    The person then goes through activation again with the new code (their account stays
    active, their data and e-mail untouched). Returns the new code.
    """
    if not is_admin_of_school_of_person(actor, person):
        raise PermissionError("not an admin of this person's school")
    person = Person.objects.select_for_update().get(pk=person.pk)
    had_password = person.has_usable_password()
    code = activation_code_new()
    person.set_unusable_password()
    person.activation_code = code
    person.save(update_fields=["password", "activation_code", "updated_at"])
    credentials_revoke_all(person=person, reason="admin_reset", actor=actor, request=request)
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGED,
        request=request,
        actor=actor,
        subject=person,
        username=person.username,
        data={"reset_code_issued": True, "had_password": had_password},
    )
    return code


def letters_printed_record(
    *,
    actor: Person,
    count: int,
    school_class: SchoolClass | None = None,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Leave the LETTERS_PRINTED event (who printed how many letters, for which class)."""
    security_event_record(
        kind=SecurityEvent.Kind.LETTERS_PRINTED,
        request=request,
        actor=actor,
        subject=person,
        username=person.username if person is not None else "",
        data={
            "count": count,
            "class_id": school_class.pk if school_class is not None else None,
            "school": school_class.school.uai if school_class is not None else None,
        },
    )
