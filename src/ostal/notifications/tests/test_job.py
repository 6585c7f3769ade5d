"""The periodic job: schedule, lock, and the deploy check on the public address."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostal.conftest import World
from ostal.notifications.checks import public_url_check
from ostal.notifications.tasks import notifications_email_digest_periodic


def test_the_job_runs_every_quarter_of_an_hour() -> None:
    task = notifications_email_digest_periodic.task_class()
    due = [m for m in range(60) if task.validate_datetime(datetime(2026, 12, 1, 10, m))]
    assert due == [0, 15, 30, 45]


def test_the_job_runs_the_digest(world: World, mailoutbox: list[Any]) -> None:
    assert notifications_email_digest_periodic.call_local() == 0
    assert mailoutbox == []


def test_the_deploy_check_wants_an_https_public_address(settings: Any) -> None:
    settings.OSTAL_PUBLIC_URL = "http://127.0.0.1:8000"
    assert [m.id for m in public_url_check()] == ["ostal.W030"]
    settings.OSTAL_PUBLIC_URL = "https://ent.example.fr"
    assert public_url_check() == []
