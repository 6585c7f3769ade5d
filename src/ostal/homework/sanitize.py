"""The cahier de textes' rich text: the shared policies live in ``ostal.core.richtext``
(one ``nh3`` policy per content kind); these names are kept for the apps that import them."""

from ostal.core.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    PLATFORM_TAGS,
    URL_SCHEMES,
    html_to_light_markup,
    light_markup_to_html,
    looks_like_html,
    platform_clean,
    platform_html,
    rich_text_clean,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "PLATFORM_TAGS",
    "URL_SCHEMES",
    "html_to_light_markup",
    "light_markup_to_html",
    "looks_like_html",
    "platform_clean",
    "platform_html",
    "rich_text_clean",
]
