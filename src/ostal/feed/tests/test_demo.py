"""The demo world comes through the directory feed, like real data."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import Q
from django.test import RequestFactory

from ostal.directory.models import Person, Profile, SchoolAdmin, SchoolClass
from ostal.directory.selectors import children_of
from ostal.feed.demo import DEMO_PASSWORD, build_demo
from ostal.feed.models import ImportRun


def test_demo_is_imported_from_aaf_deliveries_and_activates_a_family(territory):
    """The demo imports one synthetic delivery per académie, then activates a parent of
    children in two schools, one child, a school admin, a teacher and two collectivité agents."""
    logins = build_demo()
    assert set(ImportRun.objects.values_list("source__code", "status")) == {
        ("ac-montpellier", "succeeded"),
        ("ac-toulouse", "succeeded"),
    }
    profiles = [Person.objects.get(username=login.username).profile for login in logins]
    assert profiles[:2] == [Profile.RELATIVE, Profile.PUPIL]
    assert profiles.count(Profile.AUTHORITY_STAFF) == 2
    parent = Person.objects.get(username=logins[0].username)
    children = children_of(relative=parent)
    assert len({c.school.pk for c in children if c.school}) >= 2
    request = RequestFactory().post("/comptes/connexion/")
    assert authenticate(request, username=parent.username, password=DEMO_PASSWORD) == parent
    assert SchoolAdmin.objects.filter(person__username__in=[d.username for d in logins]).exists()
    # Everybody else waits for activation, as real accounts do.
    assert Person.objects.filter(state=Person.State.ACTIVE).count() == len(logins)
    # The classes are linked to their MEF (ENTStructureClasses), which has a level, and so
    # are the pupils (ENTEleveMEF): ENTEleveNivFormation can be released.
    classes = SchoolClass.objects.all()
    assert classes.exists() and not classes.filter(Q(mef=None) | Q(mef__level="")).exists()
    pupils = Person.objects.filter(profile=Profile.PUPIL)
    assert pupils.exists() and not pupils.filter(mef=None).exists()
