"""Readers of timetable files. Each reader turns a file into ``CourseDraft`` rows (pure
data, no database); ``ostal.timetable.services.timetable_import`` maps them onto the
directory. A file that does not parse raises ``TimetableFileError`` with the line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


class TimetableFileError(ValueError):
    """The file is refused whole; ``line`` says where (1-based, 0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.message}" if self.line else self.message


@dataclass
class CourseDraft:
    """One weekly course as the file describes it, with names still unresolved."""

    weekday: int
    start: time
    end: time
    subject_code: str
    subject_label: str
    first_date: date
    last_date: date
    weeks: list[date] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    # (last name, first name) of each teacher
    teachers: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[str] = field(default_factory=list)
    external_id: str = ""
    line: int = 0


@dataclass
class ParsedTimetable:
    uai: str
    school_year_start: date
    drafts: list[CourseDraft]
    skipped: list[dict[str, object]] = field(default_factory=list)
