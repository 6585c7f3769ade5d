"""The one rich-text profile of Ostal: what HTML a teacher may write (``nh3``).

Everything else is removed (scripts, styles, event handlers, images, iframes); links keep
only http(s) and mailto targets and get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import nh3

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
