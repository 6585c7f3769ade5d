from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ostal.conftest import PASSWORD


def lock_out(username: str) -> None:
    """Lock a login out the way an attacker would: wrong passwords from several
    addresses until django-axes refuses even the right one."""
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=f"10.7.0.{n + 1}",
        )


def login_status(username: str) -> int:
    response = Client().post(
        reverse("accounts:login"),
        {"username": username, "password": PASSWORD},
        REMOTE_ADDR="10.8.0.1",
    )
    return response.status_code


@pytest.fixture
def locked(world: Any) -> Any:
    """The collège's pupil and the lycée's pupil (``sibling``) are both locked out."""
    lock_out(world.pupil.username)
    lock_out(world.sibling.username)
    return world
