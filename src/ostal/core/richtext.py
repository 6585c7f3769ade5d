"""Rich text of Ostal: one ``nh3`` policy per content kind, shared by every app that
stores user HTML (cahier de textes, messages, news; later blogs and forums).

Rules held here:
* user HTML is sanitised **on save** with the policy of its kind (``clean(html, kind=...)``):
  no script, no event handler, no ``style`` attribute or element, no ``iframe``/``svg``/
  ``object``; links keep only http(s) and mailto targets and always get
  ``rel="noopener noreferrer"``;
* a kind's policy is a ``Policy`` in ``POLICIES``: ``"rich"`` is the teachers' profile
  (cahier de textes, messages), ``"news"`` adds headings ``h2`` for longer articles;
  ``"platform"`` is Ostal's own messages (paragraphs and emphasis, no link at all: a
  platform message has no author to answer for one, so a link in it would be a phishing
  vector inside the ENT);
* a plain text area takes a documented light markup (``light_markup_to_html``), turned into
  HTML of the rich profile and then sanitised:

  - an empty line separates paragraphs; a single line break is kept (``<br>``);
  - lines starting with « - », « * » or « • » make a bulleted list;
  - lines starting with « 1. » or « 1) » (any number) make a numbered list.

  Text that already is HTML of the profile (the JSON API, older entries) is kept as HTML.
  ``html_to_light_markup`` turns simple stored HTML back into that markup for editing.

``ostal.homework.sanitize`` re-exports the historical names (``rich_text_clean``…).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.html import format_html

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
    "blockquote", "code", "pre", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Policy:
    """What HTML one kind of content may hold."""

    tags: frozenset[str]
    attributes: dict[str, set[str]] = field(default_factory=dict)
    url_schemes: frozenset[str] = frozenset()
    links: bool = False

    def clean(self, html: str) -> str:
        kwargs: dict[str, Any] = {"tags": set(self.tags), "attributes": self.attributes}
        if self.links:
            kwargs.update(url_schemes=set(self.url_schemes), link_rel="noopener noreferrer")
        # nh3 drops ``script`` and ``style`` elements with their content by default.
        return nh3.clean(html or "", **kwargs).strip()


RICH = Policy(frozenset(ALLOWED_TAGS), ALLOWED_ATTRIBUTES, frozenset(URL_SCHEMES), links=True)
NEWS = Policy(frozenset(ALLOWED_TAGS | {"h2"}), ALLOWED_ATTRIBUTES, frozenset(URL_SCHEMES), True)
PLATFORM = Policy(frozenset({"p", "br", "strong", "em"}))

#: One policy per content kind.
POLICIES: dict[str, Policy] = {"rich": RICH, "homework": RICH, "news": NEWS, "platform": PLATFORM}


def clean(html: str, *, kind: str) -> str:
    """User HTML sanitised with the policy of its content ``kind`` (a ``KeyError`` for an
    unknown kind: every kind is declared above, never improvised)."""
    return POLICIES[kind].clean(html)


def plain_text(html: str) -> str:
    """The text of some HTML, without any tag (to tell an empty body from a real one)."""
    return nh3.clean(html or "", tags=set(), attributes={}).strip()


def rich_text_clean(html: str) -> str:
    """Sanitize user HTML with the shared (rich) profile."""
    return RICH.clean(html)


PLATFORM_TAGS = set(PLATFORM.tags)


def platform_clean(html: str) -> str:
    """The platform profile: paragraphs and emphasis, no link, no attribute."""
    return PLATFORM.clean(html)


def platform_html(template: str, /, **values: Any) -> str:
    """The body of a platform message: ``template`` is Ostal's own HTML with
    ``str.format`` fields, each value is escaped (user text is never markup), and the
    result keeps the platform profile (``platform_clean``)."""
    return platform_clean(format_html(template, **values))


_HTML_TAG = re.compile(
    r"<\s*/?\s*(" + "|".join(sorted(ALLOWED_TAGS | {"h2"})) + r")\b[^>]*>", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds tags of the profile (then it is taken as HTML)."""
    return bool(_HTML_TAG.search(text or ""))


def light_markup_to_html(text: str, *, kind: str = "rich") -> str:
    """The teacher's text with its paragraphs, line breaks and lists, as HTML sanitised with
    the policy of ``kind``."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    if looks_like_html(text):
        return clean(text, kind=kind)
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        # Runs of consecutive lines of one kind: ("p", lines), ("ul", items), ("ol", items).
        runs: list[tuple[str, list[str]]] = []
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            match = _BULLET.match(line) or _NUMBERED.match(line)
            block = "p" if match is None else ("ul" if _BULLET.match(line) else "ol")
            value = html_lib.escape((match.group(1) if match else line).strip(), quote=False)
            if runs and runs[-1][0] == block:
                runs[-1][1].append(value)
            else:
                runs.append((block, [value]))
        for block, values in runs:
            if block == "p":
                blocks.append("<p>" + "<br>".join(values) + "</p>")
            else:
                blocks.append(
                    f"<{block}>" + "".join(f"<li>{v}</li>" for v in values) + f"</{block}>"
                )
    return clean("".join(blocks), kind=kind)


_SIMPLE_HTML = re.compile(r"</?(p|br|ul|ol|li)\s*/?>", re.IGNORECASE)


def html_to_light_markup(stored: str) -> str:
    """Stored HTML made only of paragraphs, line breaks and lists, back in the light markup
    (for the edit form); any other HTML is returned as it is (and stays HTML)."""
    stored = (stored or "").strip()
    if not stored or not looks_like_html(stored):
        return stored
    if looks_like_html(_SIMPLE_HTML.sub("", stored)):
        return stored
    out: list[str] = []
    for block in re.finditer(r"<(p|ul|ol)>(.*?)</\1>", stored, re.IGNORECASE | re.DOTALL):
        tag, body = block.group(1).lower(), block.group(2)
        if tag == "p":
            lines = re.split(r"<br\s*/?>", body, flags=re.IGNORECASE)
            out.append("\n".join(html_lib.unescape(line) for line in lines))
        else:
            items = re.findall(r"<li>(.*?)</li>", body, re.IGNORECASE | re.DOTALL)
            out.append(
                "\n".join(
                    (f"{n}. " if tag == "ol" else "- ") + html_lib.unescape(item)
                    for n, item in enumerate(items, 1)
                )
            )
    rebuilt = "\n\n".join(out)
    # Only when nothing was lost on the way (text outside blocks, nesting) is it offered.
    return rebuilt if light_markup_to_html(rebuilt) == rich_text_clean(stored) else stored
