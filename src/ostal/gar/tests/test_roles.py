"""GAR roles: appointed and ended by the school's ADML or direction, with their history;
pages and API agree; another school's admin, a teacher, a parent get 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory.models import Profile
from ostal.gar.models import GarAppointment, GarRole
from ostal.gar.services import gar_role_appoint, gar_role_end


@pytest.fixture
def librarian(world):
    return factories.staff(
        school=world.college,
        profile=Profile.LIBRARIAN,
        function="DOC",
        username="doc",
        first_name="Lina",
        last_name="Morel",
        email="lina.morel@example.org",
    )


@pytest.fixture
def head_mail(world):
    world.admin.academic_email = "helene.iglesias@ac-test.fr"
    world.admin.save(update_fields=["academic_email"])
    return world.admin


def roles_url(school):
    return f"/gar/etablissements/{school.pk}/roles/"


def test_the_principal_appoints_a_responsable_and_a_delegate_then_ends_one(
    world, head_mail, librarian, login
):
    client = login(world.admin)
    response = client.post(
        roles_url(world.college), {"person": head_mail.pk, "role": "responsable"}
    )
    assert response.status_code == 302
    response = client.post(roles_url(world.college), {"person": librarian.pk, "role": "delegue"})
    assert response.status_code == 302
    page = client.get(roles_url(world.college)).content.decode()
    assert "Lina Morel" in page and "Délégué d&#x27;affectation" in page
    delegate = GarAppointment.objects.get(person=librarian)
    assert delegate.appointed_by == world.admin and delegate.is_active
    confirm = client.get(f"/gar/roles/{delegate.pk}/fin/")
    assert confirm.status_code == 200
    assert "Mettre fin à la désignation de Lina Morel" in confirm.content.decode()
    assert client.post(f"/gar/roles/{delegate.pk}/fin/").status_code == 302
    delegate.refresh_from_db()
    assert delegate.ended_at is not None and delegate.ended_by == world.admin
    history = client.get(roles_url(world.college)).content.decode()
    assert history.count("Lina Morel") == 2  # in the candidates list and in the history
    assert GarAppointment.objects.filter(school=world.college).count() == 2  # nothing deleted


def test_a_second_responsable_is_refused_with_a_french_message_and_nothing_stored(
    world, head_mail, librarian, login
):
    gar_role_appoint(
        actor=world.admin, school=world.college, person=head_mail, role=GarRole.RESPONSABLE
    )
    response = login(world.admin).post(
        roles_url(world.college), {"person": librarian.pk, "role": "responsable"}
    )
    assert response.status_code == 400
    assert "déjà un responsable d&#x27;affectation" in response.content.decode()
    assert GarAppointment.objects.filter(school=world.college).count() == 1


@pytest.mark.parametrize(
    ("person", "role", "message"),
    [
        ("teacher", "delegue", "adresse électronique"),  # the world's teacher has no e-mail
        ("pupil", "delegue", "personnel de l'établissement"),
        ("other_teacher", "delegue", "personnel de l'établissement"),  # the lycée's
        ("librarian", "chef", "Rôle GAR inconnu"),
    ],
)
def test_bad_appointments_are_refused_and_nothing_is_stored(
    world, librarian, person, role, message
):
    target = librarian if person == "librarian" else world.persona(person)
    with pytest.raises(ValidationError) as exc:
        gar_role_appoint(actor=world.admin, school=world.college, person=target, role=role)
    assert message in " ".join(exc.value.messages)
    assert not GarAppointment.objects.exists()


def test_the_same_person_cannot_hold_two_roles_in_a_school(world, head_mail):
    gar_role_appoint(
        actor=world.admin, school=world.college, person=head_mail, role=GarRole.DELEGATE
    )
    with pytest.raises(ValidationError, match="déjà un rôle GAR"):
        gar_role_appoint(
            actor=world.admin, school=world.college, person=head_mail, role=GarRole.RESPONSABLE
        )


def test_an_ended_role_cannot_be_ended_twice_and_a_teacher_cannot_end_it(world, head_mail):
    appointment = gar_role_appoint(
        actor=world.admin, school=world.college, person=head_mail, role=GarRole.RESPONSABLE
    )
    with pytest.raises(PermissionDenied):
        gar_role_end(actor=world.teacher, appointment=appointment)
    gar_role_end(actor=world.admin, appointment=appointment)
    with pytest.raises(ValidationError, match="déjà pris fin"):
        gar_role_end(actor=world.admin, appointment=appointment)


def test_direction_without_adml_may_appoint(world, librarian):
    principal = factories.staff(
        school=world.college, profile=Profile.DIRECTION, function="DIR", username="adjoint"
    )
    appointment = gar_role_appoint(
        actor=principal, school=world.college, person=librarian, role=GarRole.DELEGATE
    )
    assert appointment.appointed_by == principal


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("admin", 200, 302),
        ("other_admin", 404, 404),
        ("teacher", 404, 404),
        ("pupil", 404, 404),
        ("parent", 404, 404),
        ("agent", 404, 404),
    ],
)
def test_pages_permission_matrix(world, librarian, login, persona, read, write):
    client = login(world.persona(persona))
    assert client.get(roles_url(world.college)).status_code == read
    response = client.post(roles_url(world.college), {"person": librarian.pk, "role": "delegue"})
    assert response.status_code == write
    assert GarAppointment.objects.exists() == (write == 302)


def test_school_life_reads_the_roles_but_cannot_appoint_or_end(world, librarian, login):
    cpe = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="cpe",
        password=PASSWORD,
    )
    appointment = gar_role_appoint(
        actor=world.admin, school=world.college, person=librarian, role=GarRole.DELEGATE
    )
    client = login(cpe)
    page = client.get(roles_url(world.college))
    assert page.status_code == 200 and "Lina Morel" in page.content.decode()
    assert "Désigner</button>" not in page.content.decode()
    assert (
        client.post(
            roles_url(world.college), {"person": librarian.pk, "role": "delegue"}
        ).status_code
        == 404
    )
    assert client.post(f"/gar/roles/{appointment.pk}/fin/").status_code == 404
    client.logout()
    assert client.get(roles_url(world.college)).status_code == 302  # to the login page


def test_missing_school_and_missing_appointment_are_404(world, login):
    client = login(world.admin)
    assert client.get("/gar/etablissements/999999/roles/").status_code == 404
    assert client.get("/gar/roles/999999/fin/").status_code == 404


def test_api_lists_appoints_and_ends(world, librarian, bearer):
    client = bearer(world.admin)
    url = f"/api/v1/gar/etablissements/{world.college.pk}/roles/"
    created = client.post(
        url, {"person": librarian.pk, "role": "delegue"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["role"] == "delegue" and body["appointed_by"]["id"] == world.admin.pk
    listing = client.get(url).json()
    assert [a["person"]["id"] for a in listing["active"]] == [librarian.pk]
    assert listing["can_appoint"] is True
    ended = client.post(f"/api/v1/gar/roles/{body['id']}/fin/")
    assert ended.status_code == 200 and ended.json()["ended_by"]["id"] == world.admin.pk
    assert client.get(url).json()["active"] == []
    again = client.post(f"/api/v1/gar/roles/{body['id']}/fin/")
    assert again.status_code == 400


def test_api_refuses_bad_input_in_french(world, librarian, bearer):
    client = bearer(world.admin)
    url = f"/api/v1/gar/etablissements/{world.college.pk}/roles/"
    assert (
        client.post(
            url, {"person": librarian.pk, "role": "chef"}, content_type="application/json"
        ).status_code
        == 400
    )
    response = client.post(
        url, {"person": world.pupil.pk, "role": "delegue"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "personnel de l" in response.content.decode()
    no_mail = client.post(
        url, {"person": world.teacher.pk, "role": "delegue"}, content_type="application/json"
    )
    assert no_mail.status_code == 400 and "adresse" in no_mail.content.decode()
    assert not GarAppointment.objects.exists()


@pytest.mark.parametrize("persona", ["other_admin", "teacher", "parent"])
def test_api_answers_404_to_others(world, librarian, bearer, persona):
    appointment = gar_role_appoint(
        actor=world.admin, school=world.college, person=librarian, role=GarRole.DELEGATE
    )
    client = bearer(world.persona(persona))
    url = f"/api/v1/gar/etablissements/{world.college.pk}/roles/"
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"person": librarian.pk, "role": "delegue"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/gar/roles/{appointment.pk}/fin/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.is_active
