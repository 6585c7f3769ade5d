"""Background jobs of Web Push (huey): delivery once a notice is stored, and every five
minutes for the notices held by quiet hours and the retries."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostal.push.services import push_deliver


@db_task()
@lock_task("push-deliver")
def push_deliver_task() -> int:
    return push_deliver().pushes


@db_periodic_task(crontab(minute="*/5"))
@lock_task("push-deliver")
def push_deliver_periodic() -> int:
    return push_deliver().pushes
