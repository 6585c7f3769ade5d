"""The RGPD pages: public like the accessibility statement, linked from every footer,
generated from the declarations; the retention jobs' last runs are on the register."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from ostal.administration.models import RetentionRun
from ostal.administration.retention import jobs_status, retention_run
from ostal.core.rgpd import declarations

PAGES = ["rgpd:index", "rgpd:legal", "rgpd:cookies"]


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_are_public(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_stay_open_before_a_pending_login_step(login, world, settings, name):
    """Like /accessibilite/: an admin who owes the second factor still reads them."""
    settings.OSTAL_MFA_ENFORCED = True
    client = login(world.admin)
    assert client.get("/").status_code == 302
    assert client.get(reverse(name)).status_code == 200


def test_the_pages_stay_open_in_an_undeployed_school(login, world, settings):
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    client = login(world.pupil)
    assert client.get(reverse("rgpd:index")).status_code == 200
    assert client.get(reverse("rgpd:cookies")).status_code == 200


def test_the_register_lists_every_declared_processing(client, db):
    html = client.get(reverse("rgpd:index")).content.decode()
    found = declarations().processings
    for p in found:
        assert reverse("rgpd:processing", args=[p.key]) in html
    assert f"{len(found)} traitements" in html


def test_each_processing_has_its_page(client, db):
    for p in declarations().processings:
        response = client.get(reverse("rgpd:processing", args=[p.key]))
        html = response.content.decode()
        assert response.status_code == 200, p.key
        assert "Base légale" in html and "Destinataires" in html


def test_an_unknown_processing_is_404(client, db):
    assert client.get(reverse("rgpd:processing", args=["nope"])).status_code == 404


def test_the_dpo_contact_comes_from_the_settings(client, db, settings):
    html = client.get(reverse("rgpd:index")).content.decode()
    assert "OSTAL_DPO_CONTACT" in html
    settings.OSTAL_DPO_NAME = "DPO de la Région"
    settings.OSTAL_DPO_CONTACT = "dpo@example.org"
    html = client.get(reverse("rgpd:index")).content.decode()
    assert 'href="mailto:dpo@example.org"' in html and "DPO de la Région" in html


def test_the_cookie_page_lists_only_necessary_cookies_by_their_real_names(client, db, settings):
    html = client.get(reverse("rgpd:cookies")).content.decode()
    assert "strictement nécessaires" in html
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.OSTAL_DEVICE_COOKIE_NAME,
    ):
        assert f"<code>{name}</code>" in html
    assert "5 cookies" in html


def test_the_cookies_a_login_sets_are_all_listed(client, world, settings):
    """Every cookie the server sets on a login and a page is on the list."""
    from ostal.administration.views_rgpd import cookies_in_use
    from ostal.conftest import PASSWORD

    client.post(
        reverse("accounts:login"),
        {"username": "parent", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    client.get("/")
    listed = {c.name for c in cookies_in_use()}
    assert set(client.cookies) <= listed


def test_every_footer_links_the_rgpd_pages(client, db):
    html = client.get(reverse("web:accessibility")).content.decode()
    assert f'href="{reverse("rgpd:index")}"' in html
    assert f'href="{reverse("rgpd:legal")}"' in html


def test_a_retention_run_is_recorded_and_shown(client, db, settings):
    assert retention_run("security_events", lambda: 3) == 3
    run = RetentionRun.objects.get()
    assert run.ok and run.erased == 3 and run.finished_at is not None
    html = client.get(reverse("rgpd:index")).content.decode()
    assert "3 lignes effacées" in html
    assert "Jamais passée" in html  # the other jobs
    page = client.get(reverse("rgpd:processing", args=["securite-comptes"])).content.decode()
    assert "3 lignes effacées" in page


def test_a_failing_job_leaves_a_failed_run_and_raises(db):
    def boom() -> int:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        retention_run("messaging_trash", boom)
    run = RetentionRun.objects.get()
    assert not run.ok and run.error == "RuntimeError"
    status = {s.key: s for s in jobs_status()}
    assert status["messaging_trash"].last == run


def test_the_last_run_of_each_job_is_the_newest(db, time_machine):
    time_machine.move_to(datetime.fromisoformat("2026-11-20T04:00:00+01:00"), tick=False)
    retention_run("security_events", lambda: 1)
    time_machine.move_to(datetime.fromisoformat("2026-11-21T04:00:00+01:00"), tick=False)
    retention_run("security_events", lambda: 0)
    status = {s.key: s for s in jobs_status()}
    last = status["security_events"].last
    assert last is not None and last.erased == 0 and last.started_at.day == 21
    assert status["directory_retention"].last is None


def test_the_nightly_jobs_record_their_runs(db):
    from ostal.core.tasks import security_events_purge_nightly
    from ostal.feed.tasks import directory_retention_nightly
    from ostal.messaging.tasks import messaging_trash_purge_nightly

    for task in (
        security_events_purge_nightly,
        directory_retention_nightly,
        messaging_trash_purge_nightly,
    ):
        task.call_local()
    assert set(RetentionRun.objects.values_list("job", flat=True)) == {
        "security_events",
        "directory_retention",
        "messaging_trash",
    }
    assert all(RetentionRun.objects.values_list("ok", flat=True))
