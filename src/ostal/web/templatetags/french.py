"""``{% load french %}``: French as people write it in templates (see ``ostal.core.french``).

``{{ name|de }}`` → « d'Ilyès », « de Paul »; ``{{ raw|school_name }}`` and
``{{ raw|subject_label }}`` show the directory's capitals in a readable case.
"""

from __future__ import annotations

from django import template

from ostal.core import french

register = template.Library()


@register.filter(name="de")
def de(value: object) -> str:
    return french.de(value)


@register.filter(name="school_name")
def school_name(value: object) -> str:
    return french.school_name(str(value))


@register.filter(name="subject_label")
def subject_label(value: object) -> str:
    return french.subject_label(str(value))
