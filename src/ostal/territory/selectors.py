"""Reads on the territory."""

from __future__ import annotations

from django.db.models import QuerySet

from ostal.territory.models import Authority, School


def authority_get(*, key: str) -> Authority:
    return Authority.objects.get(key=key)


def schools_of_authority(*, authority: Authority) -> QuerySet[School]:
    """Schools an authority is concerned with: all schools of an académie or of a région;
    for a département or a DRAAF, the schools it is responsible for (a département's
    collèges, not the lycées located on its soil)."""
    if authority.kind == Authority.Kind.ACADEMY:
        return School.objects.filter(academy=authority)
    if authority.kind == Authority.Kind.REGION:
        return School.objects.filter(department__region=authority)
    return School.objects.filter(responsible_authority=authority)
