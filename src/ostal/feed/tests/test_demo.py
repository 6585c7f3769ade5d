"""The demo world comes through the directory feed, like real data, in today's school year."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone

from ostal.directory.models import AuthorityRole, Person, Profile, SchoolAdmin, SchoolClass
from ostal.directory.selectors import children_of
from ostal.feed.demo import DEMO_PASSWORD, build_demo, export_date, saved_logins
from ostal.feed.models import ImportRun
from ostal.homework.models import LessonEntry
from ostal.pilotage.models import Order
from ostal.pilotage.statistics import figures_for
from ostal.territory.models import School
from ostal.timetable.models import Course


def test_demo_is_imported_from_aaf_deliveries_and_activates_a_family(territory, time_machine):
    """The demo imports one synthetic delivery per académie, dated in the school year of
    today, then activates a parent of children in two schools, one child, a school admin, a
    teacher and two collectivité agents whose pilotage has orders and statistics."""
    time_machine.move_to("2031-01-13 09:00 +01:00", tick=False)
    logins = build_demo()
    assert set(ImportRun.objects.values_list("source__code", "status")) == {
        ("ac-montpellier", "succeeded"),
        ("ac-toulouse", "succeeded"),
    }
    # Classes, timetable and cahier de textes are those of 2030-2031, around today.
    assert set(SchoolClass.objects.values_list("school_year", flat=True)) == {2030}
    assert set(Course.objects.values_list("school_year", flat=True)) == {2030}
    today = timezone.localdate()
    lesson_days = set(LessonEntry.objects.values_list("date", flat=True))
    assert lesson_days and all(abs((d - today).days) <= 7 for d in lesson_days)
    profiles = [Person.objects.get(username=login.username).profile for login in logins]
    assert profiles[:2] == [Profile.RELATIVE, Profile.PUPIL]
    assert profiles.count(Profile.AUTHORITY_STAFF) == 2
    parent = Person.objects.get(username=logins[0].username)
    children = children_of(relative=parent)
    assert len({c.school.pk for c in children if c.school}) >= 2
    request = RequestFactory().post("/comptes/connexion/")
    assert authenticate(request, username=parent.username, password=DEMO_PASSWORD) == parent
    assert SchoolAdmin.objects.filter(person__username__in=[d.username for d in logins]).exists()
    # Both printed agents see their member's orders and usage figures.
    end = today - timedelta(days=1)
    for login in logins:
        agent = Person.objects.get(username=login.username)
        if agent.profile != Profile.AUTHORITY_STAFF:
            continue
        role = AuthorityRole.objects.get(person=agent)
        assert Order.objects.filter(member=role.authority, state__in=Order.COMMITTED).exists()
        assert figures_for(agent, start=end - timedelta(days=13), end=end).visits > 0
    # Everybody else waits for activation, as real accounts do.
    assert Person.objects.filter(state=Person.State.ACTIVE).count() == len(logins)
    # The classes are linked to their MEF (ENTStructureClasses), which has a level, and so
    # are the pupils (ENTEleveMEF): ENTEleveNivFormation can be released.
    classes = SchoolClass.objects.all()
    assert classes.exists() and not classes.filter(Q(mef=None) | Q(mef__level="")).exists()
    pupils = Person.objects.filter(profile=Profile.PUPIL)
    assert pupils.exists() and not pupils.filter(mef=None).exists()
    # The logins are kept for the launcher's next runs.
    assert saved_logins() == logins


def test_the_demo_delivery_is_dated_in_todays_school_year() -> None:
    """The demo's export date falls in the school year of the day it is built."""
    assert export_date(date(2026, 12, 2)) == date(2026, 9, 15)
    assert export_date(date(2027, 3, 1)) == date(2026, 9, 15)
    assert export_date(date(2027, 8, 20)) == date(2027, 8, 20)
    assert export_date(date(2027, 9, 30)) == date(2027, 9, 15)


def test_a_later_run_prints_the_saved_logins_once(world, tmp_path, settings):
    """When the demo is already built, ``demo --if-empty`` rebuilds nothing and prints the
    logins saved at build time, each once, under the demo password."""
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-logins.json").write_text(
        json.dumps([{"username": "julien.roux", "role": "administration, Hérault"}]),
        encoding="utf-8",
    )
    schools = School.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    text = out.getvalue()
    assert f"mot de passe : {DEMO_PASSWORD}" in text
    assert text.count("julien.roux") == 1 and "administration, Hérault" in text
    assert School.objects.count() == schools and not ImportRun.objects.exists()
