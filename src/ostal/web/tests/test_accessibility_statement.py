"""The accessibility statement (article 47 of loi 2005-102): a public page at
``/accessibilite/``, linked from every page's footer, that states the conformity honestly
(no audit: non conforme, rate not measured, what is checked and what is not), the known
non-conformities, the derogations, a contact and the recourse to the Défenseur des droits."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostal.core.models import SecurityEvent

URL = "/accessibilite/"


@pytest.mark.django_db
def test_anyone_may_read_the_statement(client, settings):
    """Anonymous visitors read the whole statement, with the configured contact."""
    settings.OSTAL_ACCESSIBILITY_PUBLISHER = "Région Occitanie"
    settings.OSTAL_ACCESSIBILITY_CONTACT = "accessibilite@ent.example.fr"
    events = SecurityEvent.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Déclaration d'accessibilité</h1>" in page
    assert "Région Occitanie s'engage" in page
    assert "est non conforme avec le référentiel général" in page
    assert "Taux de conformité : non mesuré." in page
    for section in ["etat", "resultats", "non-conformites", "etablissement", "contact", "recours"]:
        assert f'id="{section}"' in page
    assert "Dérogations pour charge disproportionnée" in page
    assert 'href="mailto:accessibilite@ent.example.fr"' in page
    assert "Défenseur des droits" in page and "09 69 39 00 00" in page
    assert SecurityEvent.objects.count() == events  # a page to read: nothing recorded


@pytest.mark.django_db
def test_without_a_configured_contact_the_statement_says_whom_to_ask(client, settings):
    """With no contact address configured, the statement sends people to their school."""
    settings.OSTAL_ACCESSIBILITY_CONTACT = ""
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "mailto:" not in page
    assert "adressez-vous au secrétariat de votre établissement" in page


@pytest.mark.parametrize("persona", ["anonymous", "parent", "teacher", "admin", "agent"])
def test_every_footer_links_to_the_statement(login, world, persona):
    """The footer of every page (login page included) links to the statement."""
    client = login(world.persona(persona))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{URL}">Accessibilité : non conforme (RGAA 4.1)</a>' in page
    assert "partiellement conforme" not in page
    assert response.wsgi_request.user.is_authenticated == (persona != "anonymous")


def test_a_pending_second_factor_does_not_hide_the_statement(login, world, settings):
    """An admin who must still set up the second factor can read the statement."""
    settings.OSTAL_MFA_ENFORCED = True
    client = login(world.admin)
    home = client.get("/")
    assert home.status_code == 302 and "double-authentification" in home["Location"]
    response = client.get(URL)
    assert response.status_code == 200
    assert "Déclaration d'accessibilité" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin).exists()  # the step is still due
