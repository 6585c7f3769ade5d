"""The import report: what an import created, updated, left alone, detached — per category
and per school, with examples and warnings. The same report is produced by a dry run and by
the real import (the dry run is the real import, rolled back)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

ACTIONS = ("created", "updated", "unchanged", "detached", "restored")
EXAMPLES_PER_BUCKET = 5
WARNINGS_KEPT = 500
NO_SCHOOL = "—"


@dataclass
class ImportReport:
    source: str = ""
    delivery: str = ""
    kind: str = ""
    school_year: int | None = None
    dry_run: bool = False
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    schools: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    examples: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_counts: Counter[str] = field(default_factory=Counter)
    files: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    archived_classes: int = 0
    # Pupil–relative links made because a relative named earlier has now arrived.
    relatives_linked_later: int = 0
    seconds: float = 0.0

    def count(
        self, category: str, action: str, *, uai: str | None = None, example: str = ""
    ) -> None:
        self.counts[category][action] += 1
        self.schools[uai or NO_SCHOOL][category][action] += 1
        bucket = self.examples[category][action]
        if example and len(bucket) < EXAMPLES_PER_BUCKET:
            bucket.append(example)

    def warn(
        self,
        code: str,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        record: str = "",
        uai: str | None = None,
    ) -> None:
        self.warning_counts[code] += 1
        if len(self.warnings) < WARNINGS_KEPT:
            self.warnings.append(
                {
                    "code": code,
                    "message": message,
                    "file": file,
                    "line": line,
                    "record": record,
                    "uai": uai or "",
                }
            )

    def warn_record(self, code: str, message: str, record: Any, *, uai: str | None = None) -> None:
        """A warning about one delivered record (``AafRecord``): file, line and id."""
        self.warn(
            code, message, file=record.file, line=record.line, record=record.identifier, uai=uai
        )

    def change(self, **detail: Any) -> None:
        """What changed for one updated record (kept for the first ``WARNINGS_KEPT``)."""
        if len(self.changes) < WARNINGS_KEPT:
            self.changes.append(detail)

    def total(self, action: str) -> int:
        return sum(c[action] for c in self.counts.values())

    @property
    def changed(self) -> int:
        return (
            sum(self.total(a) for a in ("created", "updated", "detached", "restored"))
            + self.archived_classes
            + self.relatives_linked_later
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "delivery": self.delivery,
            "kind": self.kind,
            "school_year": self.school_year,
            "dry_run": self.dry_run,
            "counts": {c: dict(v) for c, v in self.counts.items()},
            "schools": {
                u: {c: dict(a) for c, a in cats.items()} for u, cats in self.schools.items()
            },
            "examples": {c: dict(v) for c, v in self.examples.items()},
            "warnings": self.warnings,
            "warning_counts": dict(self.warning_counts),
            "files": self.files,
            "changes": self.changes,
            "archived_classes": self.archived_classes,
            "relatives_linked_later": self.relatives_linked_later,
            "seconds": round(self.seconds, 2),
        }


def report_for_schools(report: dict[str, Any], uais: set[str] | None) -> dict[str, Any]:
    """The part of a stored report an admin may read: everything (``None``) or only the
    sections and warnings of their schools."""
    if uais is None:
        return report
    return {
        **report,
        "schools": {u: v for u, v in report.get("schools", {}).items() if u in uais},
        "warnings": [w for w in report.get("warnings", []) if w.get("uai") in uais],
        "changes": [c for c in report.get("changes", []) if c.get("uai") in uais],
        "counts": {},
        "examples": {},
        "warning_counts": {},
    }
