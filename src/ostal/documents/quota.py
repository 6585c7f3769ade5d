"""The espace documentaire's quota as the pages and the API show it."""

from __future__ import annotations

from dataclasses import dataclass

from ostal.directory.models import Person
from ostal.documents.abilities import quota_bytes

MB = 1024 * 1024


def size_label(size: int) -> str:
    """« 12 Mo », « 0,4 Mo », « 1,5 Go »: one decimal under 10."""
    unit, value = ("Go", size / (1024 * MB)) if size >= 1024 * MB else ("Mo", size / MB)
    text = f"{value:.1f}".replace(".", ",") if value < 10 else f"{round(value)}"
    return f"{text} {unit}"


@dataclass(frozen=True)
class Quota:
    used: int
    limit: int  # 0: no quota

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.limit)) if self.limit else 0

    @property
    def high(self) -> int:
        return self.limit * 9 // 10

    @property
    def label(self) -> str:
        if not self.limit:
            return size_label(self.used)
        return f"{size_label(self.used)} sur {size_label(self.limit)}"


def quota_of(person: Person) -> Quota:
    from ostal.documents.models import Usage

    used = Usage.objects.filter(person=person).values_list("used", flat=True).first() or 0
    return Quota(used=used, limit=quota_bytes(person))
