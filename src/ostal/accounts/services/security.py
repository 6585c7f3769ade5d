"""Sessions, devices and revocation of an account's credentials.

Rules held here:
* every interactive login opens a *tracked session* the person can list and close from
  anywhere (closing deletes it from the session store, db and cache backends alike);
* a login from a browser never seen on this account is a *new device*: a security event,
  an e-mail to the person's confirmed address (if any) and a notice on their profile;
* a password reset, an activation or an admin's reset closes every session and every token
  of the account (``credentials_revoke_all``). Django sessions are also tied to the password
  hash (``get_session_auth_hash``); this service removes what the hash does not cover: API
  tokens, OAuth2/OIDC tokens, CAS single sign-on sessions, and the tracked sessions.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ostal.accounts.models import KnownDevice, TrackedSession, device_label
from ostal.core.models import SecurityEvent
from ostal.core.security import client_address, security_event_record
from ostal.directory.models import Person

DEVICE_SALT = "ostal.accounts.device"
# Session keys: the tracked session's id and when its "last seen" was last written.
TRACK_KEY = "_ostal_tracked"
# Request attribute: a new device cookie to set on the response (the middleware sets it).
NEW_DEVICE_COOKIE_ATTR = "_ostal_new_device_cookie"


def session_store_delete(session_key: str) -> None:
    """Delete one session from the configured store (db, cache or cached_db)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def _device_id_from(request: HttpRequest) -> str | None:
    raw = request.COOKIES.get(settings.OSTAL_DEVICE_COOKIE_NAME, "")
    if not raw:
        return None
    try:
        return signing.Signer(salt=DEVICE_SALT).unsign(raw)
    except signing.BadSignature:
        return None


def _device_hash(device_id: str) -> str:
    return hashlib.sha256(f"{DEVICE_SALT}:{device_id}".encode()).hexdigest()


def device_recognise(*, request: HttpRequest, person: Person) -> tuple[KnownDevice, bool]:
    """The known device this request comes from, created if new; ``True`` when new.

    A browser without a (valid) device cookie gets a new random id, set on the response by
    the middleware.
    """
    device_id = _device_id_from(request)
    if device_id is None:
        device_id = secrets.token_urlsafe(32)
        setattr(request, NEW_DEVICE_COOKIE_ATTR, signing.Signer(salt=DEVICE_SALT).sign(device_id))
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    now = timezone.now()
    device, created = KnownDevice.objects.get_or_create(
        person=person,
        device_hash=_device_hash(device_id),
        defaults={"label": device_label(user_agent)[:120], "first_seen_at": now},
    )
    if not created:
        KnownDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device, created


def _new_device_alert(*, person: Person, device: KnownDevice, request: HttpRequest) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.NEW_DEVICE,
        request=request,
        subject=person,
        username=person.username,
        data={"device": device.label},
    )
    KnownDevice.objects.filter(pk=device.pk).update(alerted=True)
    if person.email and person.email_confirmed_at:
        when = timezone.localtime(device.first_seen_at).strftime("%d/%m/%Y %H:%M")
        subject = _("Nouvelle connexion à votre compte %(site)s") % {
            "site": settings.OSTAL_SITE_NAME
        }
        body = _(
            "Bonjour,\n\nUne connexion à votre compte %(login)s a eu lieu le %(when)s depuis "
            "un appareil que nous ne connaissions pas (%(device)s, adresse %(ip)s).\n\n"
            "Si c'était vous, vous n'avez rien à faire. Sinon, changez votre mot de passe "
            "et fermez les sessions inconnues depuis la page « Mon compte ».\n"
        ) % {
            "login": person.username,
            "when": when,
            "device": device.label,
            "ip": client_address(request) or "?",
        }
        recipient = person.email
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=True
            )
        )


def session_track(*, request: HttpRequest, person: Person) -> TrackedSession | None:
    """Record the session just opened for ``person`` (called on every login).

    Programmatic logins without an HTTP client (``Client.force_login``, shell) have no
    address and are not tracked.
    """
    session = getattr(request, "session", None)
    if session is None or not request.META.get("REMOTE_ADDR"):
        return None
    if session.session_key is None:
        session.save()
    with transaction.atomic():
        had_devices = KnownDevice.objects.filter(person=person).exists()
        device, new = device_recognise(request=request, person=person)
        if new and had_devices:
            _new_device_alert(person=person, device=device, request=request)
        tracked, _created = TrackedSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={
                "person": person,
                "ip_address": client_address(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
                "device": device,
                "last_seen_at": timezone.now(),
            },
        )
    session[TRACK_KEY] = [tracked.pk, int(time.time())]
    return tracked


def session_touch(*, request: HttpRequest) -> bool:
    """Refresh "last seen" of the request's tracked session at most every N minutes.

    Returns ``False`` when the session was closed remotely (its tracked row is gone): the
    caller must then end it.
    """
    session = getattr(request, "session", None)
    marker = session.get(TRACK_KEY) if session is not None else None
    if not marker or session is None:
        return True
    tracked_id, touched = marker
    if time.time() - touched < settings.OSTAL_SESSION_TOUCH_MINUTES * 60:
        return True
    updated = TrackedSession.objects.filter(pk=tracked_id, session_key=session.session_key).update(
        last_seen_at=timezone.now(), ip_address=client_address(request)
    )
    if not updated:
        return False
    session[TRACK_KEY] = [tracked_id, int(time.time())]
    return True


def session_forget(*, session_key: str | None) -> None:
    """Drop the tracked row of a session ending normally (logout)."""
    if session_key:
        TrackedSession.objects.filter(session_key=session_key).delete()


def session_revoke(*, person: Person, session_id: int, request: HttpRequest | None = None) -> bool:
    """Close one of ``person``'s sessions; ``False`` if it is not theirs (or gone)."""
    with transaction.atomic():
        tracked = (
            TrackedSession.objects.select_for_update().filter(pk=session_id, person=person).first()
        )
        if tracked is None:
            return False
        session_store_delete(tracked.session_key)
        tracked.delete()
        security_event_record(
            kind=SecurityEvent.Kind.SESSION_REVOKED,
            request=request,
            actor=person,
            subject=person,
            username=person.username,
            data={"sessions": 1, "device": tracked.label},
        )
    return True


def sessions_revoke_others(*, person: Person, request: HttpRequest) -> int:
    """Close every session of ``person`` but the one making the request."""
    current = request.session.session_key
    with transaction.atomic():
        others = list(
            TrackedSession.objects.filter(person=person)
            .exclude(session_key=current or "")
            .values_list("pk", "session_key")
        )
        for _pk, key in others:
            session_store_delete(key)
        TrackedSession.objects.filter(pk__in=[pk for pk, _key in others]).delete()
        if others:
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_REVOKED,
                request=request,
                actor=person,
                subject=person,
                username=person.username,
                data={"sessions": len(others)},
            )
    return len(others)


def credentials_revoke_all(
    *, person: Person, reason: str, actor: Any = None, request: HttpRequest | None = None
) -> dict[str, int]:
    """Delete every token and session of ``person``; return how many of each kind.

    When the person themself makes the request (a password change while signed in), the
    session making it is kept; every other one is closed.
    """
    from cas_server.models import User as CasUser
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model
    from rest_framework.authtoken.models import Token

    from ostal.sso.services import cas_sessions_end

    keep = ""
    if request is not None and getattr(getattr(request, "user", None), "pk", None) == person.pk:
        keep = getattr(getattr(request, "session", None), "session_key", None) or ""
    with transaction.atomic():
        sessions = list(
            TrackedSession.objects.filter(person=person)
            .exclude(session_key=keep)
            .values_list("pk", "session_key")
        )
        for _pk, key in sessions:
            session_store_delete(key)
        TrackedSession.objects.filter(pk__in=[pk for pk, _key in sessions]).delete()
        counts = {
            "sessions": len(sessions),
            "api_tokens": Token.objects.filter(user=person).delete()[0],
            "oauth_refresh_tokens": get_refresh_token_model()
            .objects.filter(user=person)
            .delete()[0],
            "oauth_access_tokens": get_access_token_model().objects.filter(user=person).delete()[0],
            "cas_sessions": CasUser.objects.filter(username=person.username).count(),
            # Their tickets die now; services with single logout are told by a job.
            "cas_single_logouts": cas_sessions_end(username=person.username),
        }
        security_event_record(
            kind=SecurityEvent.Kind.CREDENTIALS_REVOKED,
            request=request,
            actor=actor,
            subject=person,
            username=person.username,
            data={"reason": reason, **counts},
        )
    return counts
