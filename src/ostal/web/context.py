"""The active school and, for parents, the active child of a request.

Rule: a person in several schools works in one at a time (school switcher); a parent looks
at one child at a time (child switcher), whose school becomes the active school. Only
schools and children the person really has can be chosen: the session stores an id, and
every request checks it again against the directory.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ostal.directory.models import Person, Profile
from ostal.directory.selectors import Child, children_of, schools_of
from ostal.territory.models import School

SESSION_SCHOOL = "ostal_active_school"
SESSION_CHILD = "ostal_active_child"


class ActiveContext:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._children: list[Child] | None = None
        self._schools: list[School] | None = None

    @property
    def user(self) -> Any:
        return self._request.user

    @property
    def children(self) -> list[Child]:
        if self._children is None:
            user = self.user
            is_parent = user.is_authenticated and user.profile == Profile.RELATIVE
            self._children = children_of(relative=user) if is_parent else []
        return self._children

    @property
    def child(self) -> Child | None:
        if not self.children:
            return None
        wanted = self._request.session.get(SESSION_CHILD)
        return next((c for c in self.children if c.pupil.pk == wanted), self.children[0])

    @property
    def schools(self) -> list[School]:
        if self._schools is None:
            user = self.user
            if not user.is_authenticated:
                self._schools = []
            elif user.profile == Profile.RELATIVE:
                # A parent's schools are their children's (``schools_of``): read with the
                # children, not again (the shell's query budget, issue 24).
                by_pk = {
                    e.school_class.school.pk: e.school_class.school
                    for c in self.children
                    for e in getattr(c.pupil, "current", [])
                }
                self._schools = sorted(by_pk.values(), key=lambda s: (s.name, s.pk))
            else:
                self._schools = schools_of(person=user)
        return self._schools

    @property
    def school(self) -> School | None:
        child = self.child
        if child is not None:
            return child.school
        if not self.schools:
            return None
        wanted = self._request.session.get(SESSION_SCHOOL)
        return next((s for s in self.schools if s.pk == wanted), self.schools[0])


def choose_school(request: HttpRequest, school_id: int) -> School | None:
    """Make one of the person's schools the active one. Parents choose a child instead:
    their active school is always the active child's."""
    context: ActiveContext = request.ostal  # type: ignore[attr-defined]
    if context.children:
        return None
    school = next((s for s in context.schools if s.pk == school_id), None)
    if school is not None:
        request.session[SESSION_SCHOOL] = school.pk
    return school


def choose_child(request: HttpRequest, pupil_id: int) -> Person | None:
    context: ActiveContext = request.ostal  # type: ignore[attr-defined]
    child = next((c for c in context.children if c.pupil.pk == pupil_id), None)
    if child is not None:
        request.session[SESSION_CHILD] = child.pupil.pk
        return child.pupil
    return None
