"""gunicorn settings for the app hosts (``gunicorn -c python:ostal.gunicorn_conf …``).

The application is loaded once in the master (``preload_app``); the objects created at
start-up (Django, the apps, templates, URL resolvers) are then moved out of the garbage
collector's reach with ``gc.freeze()`` before the workers are forked. Workers then neither
pay full collections over those long-lived objects on requests (the p95 of a page that
allocates much, such as a pupil's week) nor copy their memory pages on write.
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    gc.collect()
    gc.freeze()
