"""The private iCalendar feed of a person: their courses (a parent: each child's) from a
week ago to ``OSTAL_CALENDAR_FEED_DAYS`` ahead, cancelled courses marked CANCELLED, and for
pupils the work due as all-day events. Times are Europe/Paris, with the ``VTIMEZONE`` that
RFC 5545 requires for a ``TZID``. The UID of a course occurrence is built from the slot's
natural key and the date (``timetable.slots``), never from a database id, so that
re-importing the timetable does not delete and re-add every event of a subscribed calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from ostal.directory.models import Person, Profile
from ostal.directory.selectors import children_of
from ostal.timetable.agenda import pupil_days, teacher_days
from ostal.timetable.selectors import Occurrence
from ostal.timetable.slots import course_slot_key, occurrence_uid

PARIS = ZoneInfo("Europe/Paris")


def calendar_for(*, person: Person, today: date) -> bytes:
    start = today - timedelta(days=7)
    end = today + timedelta(days=getattr(settings, "OSTAL_CALENDAR_FEED_DAYS", 60))
    cal = Calendar()
    cal.add("prodid", "-//Ostal//emploi du temps//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Emploi du temps — {person.display_name}")
    cal.add("x-wr-timezone", "Europe/Paris")
    people: list[tuple[Person, str]]
    if person.profile == Profile.RELATIVE:
        people = [(c.pupil, f"{c.pupil.first_name} : ") for c in children_of(relative=person)]
    else:
        people = [(person, "")]
    stamp = timezone.now()  # DTSTAMP is in UTC (RFC 5545 §3.8.7.2)
    for who, prefix in people:
        if who.is_pupil:
            days = pupil_days(pupil=who, start=start, end=end)
        else:
            days = teacher_days(teacher=who, start=start, end=end)
        for day in days:
            for occ, uid in _with_uids(day.occurrences, who=who):
                event = Event()
                event.add("uid", uid)
                event.add("dtstamp", stamp)
                event.add("dtstart", datetime.combine(day.day, occ.start, tzinfo=PARIS))
                event.add("dtend", datetime.combine(day.day, occ.end, tzinfo=PARIS))
                event.add("summary", f"{prefix}{occ.course.display_subject}")
                if occ.room:
                    event.add("location", occ.room)
                teachers = [occ.replaced_by] if occ.replaced_by else occ.teachers
                description = ", ".join(t.display_name for t in teachers)
                if occ.lesson is not None:
                    description += f"\n{occ.lesson.title}"
                event.add("description", description)
                if occ.cancelled:
                    event.add("status", "CANCELLED")
                cal.add_component(event)
            for item in day.homework:
                homework = item[0] if isinstance(item, tuple) else item
                event = Event()
                event.add("uid", f"travail-{homework.pk}-{who.pk}@ostal")
                event.add("dtstamp", stamp)
                event.add("dtstart", day.day)
                event.add("dtend", day.day + timedelta(days=1))
                event.add("summary", f"{prefix}Travail : {homework.lesson.subject_label}")
                event.add("description", strip_tags(homework.instructions))
                cal.add_component(event)
    # One VTIMEZONE for Europe/Paris, its rules over the feed's range only (a few lines).
    cal.add_missing_timezones(first_date=start, last_date=end + timedelta(days=1))
    return bytes(cal.to_ical())


def _with_uids(occurrences: list[Occurrence], *, who: Person) -> list[tuple[Occurrence, str]]:
    """Each occurrence of one day with its UID; two slots of the same key on the same day
    (the same class, subject and teachers at the same time, twice) are told apart by end
    time and room, then by rank."""
    keys = [course_slot_key(occ.course) for occ in occurrences]
    ranked = sorted(
        range(len(occurrences)),
        key=lambda i: (keys[i], occurrences[i].end, occurrences[i].course.room),
    )
    rank: dict[int, int] = {}
    seen: dict[str, int] = {}
    for i in ranked:
        seen[keys[i]] = seen.get(keys[i], 0) + 1
        rank[i] = seen[keys[i]]
    return [
        (occ, occurrence_uid(key=keys[i], day=occ.day, rank=rank[i], who=str(who.pk)))
        for i, occ in enumerate(occurrences)
    ]
