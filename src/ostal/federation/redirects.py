"""Where a login may send the browser afterwards: local paths only (``next=`` and SAML
``RelayState`` alike), by the shell's one check (``ostal.web.redirects.local_path``);
anything else falls back to the home page."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import resolve_url

from ostal.web.redirects import local_path

__all__ = ["after_login_path", "local_path"]


def after_login_path(url: str | None, *, secure: bool = False) -> str:
    """``url`` if it is a local path, else ``LOGIN_REDIRECT_URL``."""
    return local_path(url, secure=secure) or resolve_url(settings.LOGIN_REDIRECT_URL)
