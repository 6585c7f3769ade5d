"""Core rules: the security log is append-only; audience events are batched, pseudonymised
and never written synchronously by the request; /healthz reports each dependency."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.core import audience, health
from ostal.core.models import AppendOnlyError, AudienceEvent, SecurityEvent
from ostal.core.security import security_event_record


def test_security_events_cannot_be_changed_or_deleted(db):
    """A security event, once written, is never updated nor deleted (except by retention)."""
    event = security_event_record(kind=SecurityEvent.Kind.LOGIN, username="x")
    event.username = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().update(username="z")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get().username == "x"


def test_pseudonyms_are_stable_and_do_not_reveal_the_id(settings):
    """The audience pseudonym is a keyed hash: same user, same value; not the id itself."""
    first = audience.pseudonymise(42)
    assert first == audience.pseudonymise(42)
    assert first != audience.pseudonymise(43)
    assert len(first) == 32 and "42" not in first[:2]
    settings.AUDIENCE_PSEUDONYM_KEY = "another-key"
    assert audience.pseudonymise(42) != first


@pytest.fixture
def empty_buffer():
    audience.buffer.discard()
    yield audience.buffer
    audience.buffer.discard()


def test_a_page_view_does_not_write_its_audience_event(login, world, settings, empty_buffer):
    """Below the batch size, a page view adds no INSERT: the event waits in the buffer."""
    settings.AUDIENCE_BUFFER_SIZE = 10
    client = login(world.pupil)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not any("core_audienceevent" in q["sql"] for q in queries.captured_queries)
    assert len(empty_buffer) == 1
    assert AudienceEvent.objects.count() == 0


def test_a_full_buffer_is_written_in_one_batch(login, world, settings, empty_buffer):
    """When the buffer is full, its events are written together, with service, UAI and profile."""
    settings.AUDIENCE_BUFFER_SIZE = 3
    client = login(world.parent)
    for _ in range(3):
        client.get("/")
    events = list(AudienceEvent.objects.all())
    assert len(events) == 3
    assert {(e.service, e.uai, e.profile) for e in events} == {("portail", "0341111A", "TUT")}
    assert {e.pseudonym for e in events} == {audience.pseudonymise(world.parent.pk)}
    assert len(empty_buffer) == 0


def test_anonymous_pages_and_health_checks_are_not_counted(client, world, empty_buffer):
    """Only authenticated service pages count; /healthz and the login page do not."""
    client.get("/healthz")
    client.get("/comptes/connexion/")
    assert len(empty_buffer) == 0


def test_healthz_reports_ok_when_everything_answers(client, db):
    """/healthz answers 200 with each check when database, cache and queue answer."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }


def test_healthz_names_the_failing_dependency(client, db, monkeypatch):
    """/healthz answers 503 and names the dependency that failed, without internals."""

    def broken() -> None:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert "secret-host" not in response.content.decode()


def test_security_events_older_than_a_year_are_purged(db, settings):
    """Connection logs are kept one year, then the nightly job removes them."""
    from datetime import timedelta

    from django.utils import timezone

    from ostal.core.retention import security_events_purge

    old = security_event_record(kind=SecurityEvent.Kind.LOGIN, username="old")
    recent = security_event_record(kind=SecurityEvent.Kind.LOGIN, username="recent")
    # ``at`` is set on insert; move the old one back with a raw queryset update, as a
    # year of time would.
    from django.db.models import QuerySet

    QuerySet.update(
        SecurityEvent.objects.filter(pk=old.pk), at=timezone.now() - timedelta(days=366)
    )
    assert security_events_purge() == 1
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == [recent.username]


def test_a_batch_runs_without_full_collections_and_restores_the_thresholds() -> None:
    """Inside the block the oldest generation is never collected; after it (even after an
    error) the interpreter's thresholds are what they were."""
    import gc

    from ostal.core.runtime import BATCH_THRESHOLD, no_full_collections

    before = gc.get_threshold()
    with no_full_collections():
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] >= BATCH_THRESHOLD
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), no_full_collections():
        raise RuntimeError("import failed")
    assert gc.get_threshold() == before
