"""Where a page may send the browser next: local paths only (rule: no open redirect,
``next=``, SAML ``RelayState`` and form ``next`` fields alike).

A target is accepted when it is a path of this site: it starts with one ``/`` (no
``//host``), holds no backslash (no ``/\\host``), and Django's
``url_has_allowed_host_and_scheme`` accepts it with *no* allowed host (so no scheme).
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(url: str | None, *, secure: bool = False) -> str:
    """``url`` if it is a local path of this site, else ``""``."""
    if (
        url
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=secure)
    ):
        return url
    return ""
