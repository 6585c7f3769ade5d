"""Browser-test fixtures shared with the shell's (Debian Chromium, axe). The skip hook of
``ostal/web/tests/e2e/conftest.py`` already applies to every ``e2e`` test."""

from ostal.web.tests.e2e.conftest import axe_check, browser_type_launch_args  # noqa: F401
