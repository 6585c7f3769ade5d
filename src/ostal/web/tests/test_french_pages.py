"""Pages write French as people do: « Scolarité d'Ilyès », « Aucun message non lu »,
« 1 destinataire », readable school and subject names (the raw values stay stored)."""

from __future__ import annotations

from ostal.directory.models import Person, Subject
from ostal.territory.models import School


def test_family_home_elides_the_childs_name(world, login) -> None:
    """The parent's home says « Scolarité d'Ilyès », not « Scolarité de Ilyès »."""
    Person.objects.filter(pk=world.pupil.pk).update(first_name="Ilyès")
    client = login(world.parent)
    client.post("/contexte/enfant/", {"child": world.pupil.pk})
    page = client.get("/").content.decode()
    assert "Scolarité d&#x27;Ilyès" in page or "Scolarité d'Ilyès" in page
    assert "Scolarité de Ilyès" not in page
    assert Person.objects.get(pk=world.pupil.pk).first_name == "Ilyès"


def test_school_and_subject_names_are_readable_and_raw_values_kept(world, login) -> None:
    """An AAF name in capitals shows as « Lycée Pierre de Fermat » and a subject as
    « Mathématiques » on the family's home; the database keeps the directory's values."""
    School.objects.filter(pk=world.college.pk).update(name="LYC PIERRE DE FERMAT")
    Subject.objects.filter(code="061300").update(label="MATHEMATIQUES")
    client = login(world.parent)
    client.post("/contexte/enfant/", {"child": world.pupil.pk})
    page = client.get("/").content.decode()
    assert "Lycée Pierre de Fermat" in page and "LYC PIERRE DE FERMAT" not in page
    assert "Mathématiques" in page and "MATHEMATIQUES" not in page
    assert School.objects.get(pk=world.college.pk).name == "LYC PIERRE DE FERMAT"
    assert Subject.objects.get(code="061300").label == "MATHEMATIQUES"


def test_no_unread_message_reads_aucun(world, login) -> None:
    """With nothing unread, the inbox says « Aucun message non lu », never « 0 message »."""
    page = login(world.pupil).get("/messagerie/").content.decode()
    assert "Aucun message non lu." in page
    assert "0 message" not in page
    assert not world.pupil.message_deliveries.exists()


def test_sent_to_one_recipient_is_singular(world, login) -> None:
    """Sending to one person confirms « Message envoyé à 1 destinataire. »"""
    client = login(world.teacher)
    response = client.post(
        "/messagerie/ecrire/",
        {"targets": [f"p:{world.pupil.pk}"], "subject": "Devoir", "body": "À rendre jeudi",
         "action": "send"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Message envoyé à 1 destinataire." in page and "destinataire(s)" not in page
    assert world.pupil.message_deliveries.count() == 1
