"""The installable app's files (manifest, service worker, offline page), the person's
devices page and the JSON API: one manages only their own devices (someone else's answers
404 like a missing one), and a logout tells the browser to empty its caches."""

from __future__ import annotations

import json
from html import unescape
from typing import Any

import pytest

from ostal.conftest import World
from ostal.push.models import PushSubscription
from ostal.push.tests.pushdouble import PushServiceDouble

pytestmark = pytest.mark.django_db
API = "/api/v1/push/subscriptions/"


def test_manifest_names_the_app_and_its_icons(client: Any) -> None:
    """The manifest is public and complete enough to install the app (name, start URL,
    standalone display, 192 and 512 px PNG icons that exist)."""
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"].startswith("/")
    assert data["lang"] == "fr"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_served_from_the_root_as_javascript(client: Any) -> None:
    """``/sw.js``: JavaScript, never cached by the HTTP cache, allowed the whole site, and
    it knows the pages kept offline and the offline page."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    for path in ('"/emploi-du-temps/"', '"/cahier-de-textes/"', '"/messagerie/"', '"/hors-ligne/"'):
        assert path in body
    assert "{{" not in body and "{%" not in body


def test_pages_link_the_manifest_and_the_app_script_without_inline_script(
    world: World, login: Any
) -> None:
    """Every page links the manifest and loads the app's script from a file (the CSP
    forbids inline script), with the offline banner hidden."""
    response = login(world.parent).get("/")
    html = response.content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'id="ostal-pwa"' in html and 'data-anonymous="0"' in html
    assert 'id="offline-banner"' in html and "hidden" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_offline_page_names_nobody(world: World, login: Any) -> None:
    """The offline page, kept for whoever uses the device, shows no one's name."""
    response = login(world.parent).get("/hors-ligne/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hors ligne" in html
    assert world.parent.last_name not in html


def test_logout_asks_the_browser_to_empty_its_caches(world: World, login: Any) -> None:
    """The logout answer carries ``Clear-Site-Data: "cache"``; other answers do not."""
    client = login(world.parent)
    assert "Clear-Site-Data" not in client.get("/").headers
    response = client.post("/comptes/deconnexion/")
    assert response["Clear-Site-Data"] == '"cache"'
    page = client.get("/comptes/connexion/")
    assert 'data-anonymous="1"' in page.content.decode()


def test_account_page_leads_to_the_devices_page(world: World, login: Any) -> None:
    """« Mon compte » links to the devices page (reachable by clicking)."""
    html = login(world.pupil).get("/compte/").content.decode()
    assert 'href="/compte/appareils-push/"' in html


def test_devices_page_lists_only_my_devices(world: World, login: Any, subscribe: Any) -> None:
    """The page lists the person's own devices, with French plurals, never another's."""
    subscribe(world.parent, "téléphone de Diane")
    subscribe(world.parent, "tablette")
    subscribe(world.other_parent, "téléphone d'Emma")
    html = login(world.parent).get("/compte/appareils-push/").content.decode()
    assert "2 appareils abonnés." in html
    assert "téléphone de Diane" in html and "tablette" in html
    assert "Emma" not in html
    assert 'data-key="' in html


def test_devices_page_without_devices_says_so(world: World, login: Any) -> None:
    html = login(world.teacher).get("/compte/appareils-push/").content.decode()
    assert "Aucun appareil abonné." in html


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get("/compte/appareils-push/")
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_remove_my_device_and_not_someone_elses(world: World, login: Any, subscribe: Any) -> None:
    """Removing one's own device deletes it; someone else's answers 404 and stays."""
    _, mine = subscribe(world.parent, "téléphone")
    _, theirs = subscribe(world.other_parent, "téléphone")
    client = login(world.parent)
    response = client.post(f"/compte/appareils-push/{theirs.pk}/supprimer/")
    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert client.post("/compte/appareils-push/999999/supprimer/").status_code == 404
    response = client.post(f"/compte/appareils-push/{mine.pk}/supprimer/", follow=True)
    assert "ne recevra plus de notifications" in response.content.decode()
    assert not PushSubscription.objects.filter(pk=mine.pk).exists()


def test_test_notification_reaches_my_device(
    world: World, login: Any, subscribe: Any, push_service: PushServiceDouble
) -> None:
    """« Envoyer une notification d'essai » pushes a fixed title to that device only."""
    phone, row = subscribe(world.parent, "téléphone")
    other, _ = subscribe(world.parent, "tablette")
    response = login(world.parent).post(f"/compte/appareils-push/{row.pk}/essai/", follow=True)
    assert "Notification d'essai envoyée." in unescape(response.content.decode())
    [push] = push_service.for_device(phone)
    assert phone.decrypt(push) == {"title": "Notification d'essai"}
    assert push_service.for_device(other) == []


def test_test_notification_to_a_gone_device_says_it_failed(
    world: World, login: Any, subscribe: Any, push_service: PushServiceDouble
) -> None:
    phone, row = subscribe(world.parent, "téléphone")
    push_service.gone.add(phone.endpoint.rsplit("/", 1)[1])
    response = login(world.parent).post(f"/compte/appareils-push/{row.pk}/essai/", follow=True)
    assert "n'a pas accepté" in unescape(response.content.decode())
    assert not PushSubscription.objects.filter(pk=row.pk).exists()


def test_test_notification_of_someone_elses_device_is_404(
    world: World, login: Any, subscribe: Any, push_service: PushServiceDouble
) -> None:
    device, theirs = subscribe(world.other_parent)
    assert login(world.parent).post(f"/compte/appareils-push/{theirs.pk}/essai/").status_code == 404
    assert push_service.for_device(device) == []


# --- API --------------------------------------------------------------------------------


def test_api_subscribe_list_and_remove(
    world: World, bearer: Any, push_service: PushServiceDouble
) -> None:
    """A mobile app subscribes a device, lists it and removes it."""
    device = push_service.device()
    client = bearer(world.parent)
    response = client.post(
        API,
        {
            "endpoint": device.endpoint,
            "keys": {"p256dh": device.p256dh, "auth": device.auth_b64},
            "label": "téléphone",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    listed = client.get(API).json()
    assert [d["label"] for d in listed] == ["téléphone"]
    assert "endpoint" not in listed[0]
    assert client.get("/api/v1/push/key/").json()["public_key"]
    assert client.delete(f"{API}{pk}/").status_code == 204
    assert not PushSubscription.objects.exists()


def test_api_never_shows_or_removes_someone_elses_device(
    world: World, bearer: Any, subscribe: Any
) -> None:
    _, theirs = subscribe(world.other_parent, "téléphone d'Emma")
    client = bearer(world.parent)
    assert client.get(API).json() == []
    assert client.delete(f"{API}{theirs.pk}/").status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()


def test_api_refuses_bad_input_in_french(
    world: World, bearer: Any, push_service: PushServiceDouble
) -> None:
    """Missing or malformed fields: 400 naming the field in French, nothing stored."""
    client = bearer(world.parent)
    device = push_service.device()
    response = client.post(API, {"endpoint": device.endpoint}, content_type="application/json")
    assert response.status_code == 400
    assert "p256dh" in json.dumps(response.json())
    response = client.post(
        API,
        {"endpoint": device.endpoint, "keys": {"p256dh": "AAAA", "auth": device.auth_b64}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Clé de longueur inattendue" in json.dumps(response.json(), ensure_ascii=False)
    assert not PushSubscription.objects.exists()


def test_api_anonymous_is_401(client: Any) -> None:
    assert client.get(API).status_code == 401
    assert client.post(API, {}, content_type="application/json").status_code == 401
