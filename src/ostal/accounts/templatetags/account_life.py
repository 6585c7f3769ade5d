"""``{% class_accounts_panel school_class %}``: on a class roster, the account tools of the
school's admins (activation letters, resets). Renders nothing for anybody else."""

from __future__ import annotations

from typing import Any

from django import template

from ostal.accounts.services.life import class_for_admin
from ostal.directory.models import Person

register = template.Library()


@register.inclusion_tag("accounts/life/_class_admin.html", takes_context=True)
def class_accounts_panel(context: dict[str, Any], school_class: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or class_for_admin(viewer=user, class_id=school_class.pk) is None:
        return {"show": False}
    pupils = list(
        Person.objects.filter(enrolments__school_class=school_class)
        .distinct()
        .order_by("last_name", "first_name", "pk")
        .prefetch_related("relative_links__relative")
    )
    rows = []
    pending = 0
    seen: set[int] = set()
    for pupil in pupils:
        people = [(pupil, "pupil")] + [
            (link.relative, "relative") for link in pupil.relative_links.all()
        ]
        for person, role in people:
            first = person.pk not in seen
            seen.add(person.pk)
            if first and person.activation_code:
                pending += 1
            rows.append({"person": person, "role": role, "pupil": pupil})
    return {
        "show": True,
        "school_class": school_class,
        "rows": rows,
        "pending": pending,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "resettable": (Person.State.TO_ACTIVATE, Person.State.ACTIVE),
    }
