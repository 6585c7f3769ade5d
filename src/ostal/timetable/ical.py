"""The private iCalendar feed of a person: their courses (a parent: each child's) from a
week ago to ``OSTAL_CALENDAR_FEED_DAYS`` ahead, cancelled courses marked CANCELLED, and for
pupils the work due as all-day events. Times are Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from ostal.directory.models import Person, Profile
from ostal.directory.selectors import children_of
from ostal.timetable.agenda import pupil_days, teacher_days

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
    stamp = datetime.now(tz=PARIS)
    for who, prefix in people:
        if who.is_pupil:
            days = pupil_days(pupil=who, start=start, end=end)
        else:
            days = teacher_days(teacher=who, start=start, end=end)
        for day in days:
            for occ in day.occurrences:
                event = Event()
                event.add("uid", f"cours-{occ.course.pk}-{day.day:%Y%m%d}-{who.pk}@ostal")
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
    return bytes(cal.to_ical())
