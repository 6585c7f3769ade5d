"""Who has an espace documentaire, and how much room: every active account but guests;
the quota comes from the profile (``DOCUMENTS_QUOTA_MB_*``: pupils, parents, staff)."""

from __future__ import annotations

from django.conf import settings

from ostal.directory.models import Person, Profile

MB = 1024 * 1024


def has_document_space(person: Person) -> bool:
    """Reads only the person's own fields (the menu asks it on every page)."""
    return bool(person.is_active) and person.profile != Profile.GUEST


def quota_bytes(person: Person) -> int:
    """The person's quota in bytes (0: no quota)."""
    if person.profile == Profile.PUPIL:
        mb = settings.DOCUMENTS_QUOTA_MB_PUPIL
    elif person.profile == Profile.RELATIVE:
        mb = settings.DOCUMENTS_QUOTA_MB_RELATIVE
    else:
        mb = settings.DOCUMENTS_QUOTA_MB_STAFF
    return int(mb) * MB
