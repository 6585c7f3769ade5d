"""Activation letters: one printable page per account still waiting for its code.

Rule (identity issue §1): a school admin prints, for a class, one page per pupil of the
class and per relative of those pupils whose account still has an activation (or reset)
code: name, login, code, the activation address and short instructions. The PDF is
tagged (PDF/UA-1: ``lang="fr"``, title, headings) so screen readers can read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from ostal.accounts.services.life import code_display
from ostal.directory.models import Person, RelativeLink, SchoolClass


@dataclass(frozen=True)
class Letter:
    person: Person
    code: str
    role: str
    children: tuple[str, ...] = ()


def letters_of_class(*, school_class: SchoolClass) -> list[Letter]:
    """Pupils of the class, then relatives of those pupils, each once, who still hold a code.

    Three queries whatever the size of the class.
    """
    pupils = list(
        Person.objects.filter(enrolments__school_class=school_class)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    pupil_ids = {p.pk for p in pupils}
    letters = [
        Letter(person=p, code=code_display(p.activation_code), role="pupil")
        for p in pupils
        if p.activation_code and p.state in (Person.State.TO_ACTIVATE, Person.State.ACTIVE)
    ]
    relatives = (
        Person.objects.filter(
            children_links__pupil_id__in=pupil_ids,
            state__in=(Person.State.TO_ACTIVATE, Person.State.ACTIVE),
        )
        .exclude(Q(activation_code=""))
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .prefetch_related(
            Prefetch("children_links", queryset=RelativeLink.objects.select_related("pupil"))
        )
    )
    for relative in relatives:
        children = tuple(
            link.pupil.display_name
            for link in relative.children_links.all()
            if link.pupil_id in pupil_ids
        )
        letters.append(
            Letter(
                person=relative,
                code=code_display(relative.activation_code),
                role="relative",
                children=children,
            )
        )
    return letters


def letter_of_person(*, person: Person) -> list[Letter]:
    if not person.activation_code:
        return []
    role = "pupil" if person.is_pupil else "relative" if person.is_relative else "staff"
    return [Letter(person=person, code=code_display(person.activation_code), role=role)]


def letters_pdf(
    *,
    letters: list[Letter],
    title: str,
    school_name: str,
    activate_url: str,
    uncompressed: bool = False,
) -> bytes:
    """Render the letters as one tagged PDF (one page each); ``uncompressed`` lets tests
    read its structure."""
    from weasyprint import HTML

    html = render_to_string(
        "accounts/life/letters.html",
        {
            "letters": letters,
            "title": title,
            "school_name": school_name,
            "activate_url": activate_url,
            "site_name": settings.OSTAL_SITE_NAME,
            "printed_on": timezone.localdate(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=uncompressed
    )
    return pdf
