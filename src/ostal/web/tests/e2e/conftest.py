"""Browser tests: Debian's Chromium driven by Playwright, axe-core for accessibility.

The browser is never downloaded: Playwright is pointed at ``/usr/bin/chromium`` (or
``OSTAL_CHROMIUM``). Without it, these tests are skipped with a message naming the package.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in the test thread for the session;
# Django refuses ORM calls from such a thread unless told the test does so knowingly.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("OSTAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="Debian package 'chromium' missing: apt-get install chromium")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def axe_check() -> Any:
    """Run axe on the page and fail on serious or critical violations, listing them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any) -> list[dict[str, Any]]:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        assert not bad, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )
        return results.response["violations"]

    return check
