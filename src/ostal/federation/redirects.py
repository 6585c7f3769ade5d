"""Where a login may send the browser afterwards: local paths only.

Rule held here (no open redirect, ``next=`` and SAML ``RelayState`` alike): the same test as
``ostal.accounts.views.LoginView.get_redirect_url`` — a path starting with one ``/``, that
Django's ``url_has_allowed_host_and_scheme`` accepts with *no* allowed host (so no
``//host``, no ``/\\host``, no scheme). Anything else falls back to the home page.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(url: str | None, *, secure: bool = False) -> str:
    """``url`` if it is a local path, else ``""``."""
    if (
        url
        and url.startswith("/")
        and not url.startswith("//")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=secure)
    ):
        return url
    return ""


def after_login_path(url: str | None, *, secure: bool = False) -> str:
    """``url`` if it is a local path, else ``LOGIN_REDIRECT_URL``."""
    return local_path(url, secure=secure) or resolve_url(settings.LOGIN_REDIRECT_URL)
