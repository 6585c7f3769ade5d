"""``{{ value|note }}``: a mark or an average as French writes it (« 13,5 », « — »)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ostal.evaluation.marks import display

register = template.Library()


@register.filter(name="note")
def note(value: Decimal | None) -> str:
    return display(value)


@register.filter(name="mark_cell")
def mark_cell(mark: object) -> str:
    """A mark of a table: its value, or its code (« abs »), or empty."""
    if mark is None:
        return ""
    special = getattr(mark, "special", "")
    return special or display(getattr(mark, "value", None))
