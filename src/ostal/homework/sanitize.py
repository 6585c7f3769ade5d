"""The one rich-text profile of Ostal: what HTML a teacher may write (``nh3``).

Everything else is removed (scripts, styles, event handlers, images, iframes); links keep
only http(s) and mailto targets and get ``rel="noopener noreferrer"``.

Ostal's own (platform) messages have a narrower profile, ``platform_html``: their text is
Ostal's, every value put into it (a name, a subject, a report's reason, a file name) is
escaped, and they carry no link at all — a platform message has no author to answer for
one, so a link in it would be a phishing vector inside the ENT.
"""

from __future__ import annotations

from typing import Any

import nh3
from django.utils.html import format_html

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
    "blockquote", "code", "pre", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


def rich_text_clean(html: str) -> str:
    """Sanitize user HTML with the shared profile."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


PLATFORM_TAGS = {"p", "br", "strong", "em"}


def platform_clean(html: str) -> str:
    """The platform profile: paragraphs and emphasis, no link, no attribute."""
    return nh3.clean(html or "", tags=PLATFORM_TAGS, attributes={}).strip()


def platform_html(template: str, /, **values: Any) -> str:
    """The body of a platform message: ``template`` is Ostal's own HTML with
    ``str.format`` fields, each value is escaped (user text is never markup), and the
    result keeps the platform profile (``platform_clean``)."""
    return platform_clean(format_html(template, **values))
