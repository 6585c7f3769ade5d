"""Browser-test fixtures shared with the shell's (Debian Chromium, axe)."""

from ostal.evaluation.tests.conftest import marks  # noqa: F401
from ostal.web.tests.e2e.conftest import axe_check, browser_type_launch_args  # noqa: F401
