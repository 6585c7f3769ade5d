"""Browser-test fixtures shared with the shell's (Debian Chromium, axe)."""

from ostal.web.tests.e2e.conftest import axe_check, browser_type_launch_args  # noqa: F401
