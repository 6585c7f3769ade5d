"""Reads of the GAR roles and export runs, scoped by the abilities."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ostal.directory.models import STAFF_PROFILES, Person
from ostal.gar.abilities import may_read_gar_exports, may_read_gar_roles
from ostal.gar.models import GarAppointment, GarExportRun
from ostal.territory.models import School

#: Accounts the GAR hears about: those that can log in or will once activated.
EXPORTED_STATES = (Person.State.ACTIVE, Person.State.TO_ACTIVATE)


def gar_mail_of(person: Person) -> str:
    """The one address given to the GAR for a responsable: the academic one first."""
    return person.academic_email or person.email


def school_for_gar_reader(*, viewer: Any, school_id: int) -> School | None:
    school = School.objects.filter(pk=school_id).first()
    if school is None or not may_read_gar_roles(viewer, school):
        return None
    return school


def gar_candidates(*, school: School) -> QuerySet[Person]:
    """Staff of the school who may be appointed (an account that can or will log in)."""
    return (
        Person.objects.filter(
            affiliations__school=school,
            affiliations__profile__in=STAFF_PROFILES,
            state__in=EXPORTED_STATES,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def gar_appointments_of(*, school: School) -> QuerySet[GarAppointment]:
    """Every appointment of the school, newest first (active and ended)."""
    return GarAppointment.objects.filter(school=school).select_related(
        "person", "appointed_by", "ended_by"
    )


def gar_appointment_for_manager(*, viewer: Any, appointment_id: int) -> GarAppointment | None:
    appointment = (
        GarAppointment.objects.select_related("school", "person").filter(pk=appointment_id).first()
    )
    if appointment is None or not may_read_gar_roles(viewer, appointment.school):
        return None
    return appointment


def gar_runs_visible_to(user: Any) -> QuerySet[GarExportRun]:
    if not may_read_gar_exports(user):
        return GarExportRun.objects.none()
    return GarExportRun.objects.all()
