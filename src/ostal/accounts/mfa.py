"""Second factor (TOTP + recovery codes, django-otp).

Rules held here:
* a second factor is *mandatory* for school admins, collectivité and region admins and
  operators (``is_staff``); *optional* for other staff (school staff, collectivité staff);
  never offered to pupils and parents;
* a person who chose a second factor (or must have one) signs in with password, then code;
* recovery codes: 10, shown once, each usable once; regenerating replaces them all;
* wrong codes are rate-limited per account (plus django-otp's growing delay per device),
  and every enable, disable, failure and recovery use leaves a security event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import get_usage

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.models import STAFF_PROFILES, AuthorityRole, Person, Profile, SchoolAdmin

RECOVERY_CODES = 10
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
OPTIONAL_PROFILES = frozenset({*STAFF_PROFILES, Profile.AUTHORITY_STAFF})


@dataclass(frozen=True)
class MfaState:
    required: bool
    offered: bool
    enabled: bool
    recovery_left: int = 0


def _flags(user: Any) -> dict[str, bool]:
    """One query: is ``user`` an admin of something, and has a confirmed TOTP device?"""
    row = (
        Person.objects.filter(pk=user.pk)
        .annotate(
            school_admin=Exists(SchoolAdmin.objects.filter(person=OuterRef("pk"))),
            authority_admin=Exists(
                AuthorityRole.objects.filter(person=OuterRef("pk"), is_admin=True)
            ),
            has_totp=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True, name=TOTP_NAME)
            ),
        )
        .values("is_staff", "profile", "school_admin", "authority_admin", "has_totp")
        .first()
    )
    if row is None:
        return {"required": False, "offered": False, "enabled": False}
    required = bool(row["is_staff"] or row["school_admin"] or row["authority_admin"])
    offered = required or row["profile"] in OPTIONAL_PROFILES
    return {"required": required, "offered": offered, "enabled": offered and row["has_totp"]}


def mfa_state(user: Any) -> MfaState:
    """Whether ``user`` must, may, and does use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return MfaState(required=False, offered=False, enabled=False)
    flags = _flags(user)
    left = (
        StaticToken.objects.filter(device__user_id=user.pk, device__name=RECOVERY_NAME).count()
        if flags["enabled"]
        else 0
    )
    return MfaState(**flags, recovery_left=left)


def mfa_step_for(user: Any) -> str | None:
    """``"setup"``, ``"verify"`` or ``None``: the step an unverified session still owes."""
    flags = _flags(user)
    if flags["enabled"]:
        return "verify"
    if flags["required"]:
        return "setup"
    return None


def totp_device(user: Any, *, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, name=TOTP_NAME, confirmed=confirmed).first()


# --- Setup ---------------------------------------------------------------------------------


def mfa_setup_start(*, person: Person) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (created once, reused until confirmed)."""
    device = totp_device(person, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=person, name=TOTP_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32, grouped by 4 for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI as a QR code, an SVG ``data:`` URI (CSP allows ``data:``)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def recovery_digest(code: str) -> str:
    """What is stored of a recovery code: a keyed digest (16 hex characters, the size of
    django-otp's token field), so a copy of the database does not hold usable codes.
    Rotating ``OSTAL_SECRET_KEY`` voids every recovery code (people generate new ones)."""
    return hmac.new(
        force_bytes(settings.SECRET_KEY),
        force_bytes("ostal-mfa-recovery:" + code.strip().lower()),
        hashlib.sha256,
    ).hexdigest()[:16]


def _new_recovery_codes(person: Person) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=person, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=recovery_digest(c)) for c in codes]
    )
    return codes


def mfa_setup_confirm(
    *, request: HttpRequest, person: Person, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the device with a first code; returns the recovery codes (shown once), or
    ``None`` when the code is wrong. The session is verified from then on."""
    with transaction.atomic():
        if device.user_id != person.pk or device.confirmed or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=person, name=TOTP_NAME).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(person)
        security_event_record(
            kind=SecurityEvent.Kind.MFA_ENABLED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
        )
    django_otp.login(request, device)
    return codes


def recovery_codes_regenerate(*, request: HttpRequest, person: Person) -> list[str]:
    """Replace every recovery code with 10 new ones."""
    with transaction.atomic():
        codes = _new_recovery_codes(person)
        security_event_record(
            kind=SecurityEvent.Kind.MFA_ENABLED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
            data={"recovery_codes_regenerated": RECOVERY_CODES},
        )
    return codes


def mfa_disable(*, request: HttpRequest, person: Person) -> bool:
    """Remove the second factor of a person for whom it is optional."""
    if mfa_state(person).required:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=person).delete()
        StaticDevice.objects.filter(user=person).delete()
        security_event_record(
            kind=SecurityEvent.Kind.MFA_DISABLED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
        )
    return True


# --- Verify -------------------------------------------------------------------------------


def _failures_key(group: str, request: HttpRequest) -> str:
    return str(getattr(request.user, "pk", ""))


def _failures(request: HttpRequest, *, increment: bool) -> bool:
    usage = get_usage(
        request,
        group="ostal.mfa.failures",
        key=_failures_key,
        rate=settings.OSTAL_MFA_FAILURES_PER_ACCOUNT,
        increment=increment,
    )
    return bool(usage and usage["count"] >= usage["limit"])


def mfa_verify(*, request: HttpRequest, token: str) -> str:
    """Check a code for the signed-in person: ``"ok"``, ``"wrong"``, ``"wait"`` (the
    device's pause after a wrong code) or ``"throttled"`` (too many wrong codes).

    Six digits are a TOTP code; anything else is tried as a recovery code (used once).
    """
    person: Person = request.user  # type: ignore[assignment]
    if _failures(request, increment=False):
        return "throttled"
    token = re.sub(r"\s+", "", token).lower()
    device: TOTPDevice | StaticDevice | None = None
    with transaction.atomic():
        if re.fullmatch(r"\d{6}", token):
            candidate = totp_device(person, confirmed=True)
            if candidate is not None and not candidate.verify_is_allowed()[0]:
                # django-otp's growing pause after a wrong code (1 s, 2 s, 4 s…).
                return "wait"
            if candidate is not None and candidate.verify_token(token):
                device = candidate
        elif token:
            static = StaticDevice.objects.filter(user=person, name=RECOVERY_NAME).first()
            if static is not None and static.verify_token(recovery_digest(token)):
                device = static
    if device is None:
        _failures(request, increment=True)
        security_event_record(
            kind=SecurityEvent.Kind.MFA_FAILED,
            request=request,
            subject=person,
            username=person.username,
        )
        return "wrong"
    if isinstance(device, StaticDevice):
        security_event_record(
            kind=SecurityEvent.Kind.MFA_RECOVERY_USED,
            request=request,
            subject=person,
            username=person.username,
            data={"left": device.token_set.count()},
        )
    django_otp.login(request, device)
    return "ok"
