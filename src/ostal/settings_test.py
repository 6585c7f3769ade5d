"""Settings for the test suite: the embedded profile, with jobs run inline and a fast hasher.

The real hasher (argon2) is asserted on ``ostal.settings`` by a test; here MD5 keeps the
suite fast (lockout tests make many attempts).
"""

import os
import tempfile

os.environ.setdefault("OSTAL_JOBS_IMMEDIATE", "1")
os.environ.setdefault("OSTAL_VAR_DIR", tempfile.mkdtemp(prefix="ostal-test-"))

from ostal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Page views of one test must not be flushed into another test's database: tests that
# exercise the audience buffer set their own size.
AUDIENCE_BUFFER_SIZE = 10**9
AUDIENCE_FLUSH_SECONDS = 10**9
# The second-factor gate would send every admin persona of every app's tests to the MFA
# setup page: the gate's own tests (ostal/accounts/tests/test_mfa_*) turn it on.
OSTAL_MFA_ENFORCED = False
# Per-address login limits count across the whole suite (one in-process cache): tests of
# the limits lower them.
OSTAL_LOGIN_RATE_PER_ADDRESS = "100000/m"
OSTAL_LOGIN_FAILURES_PER_ADDRESS = "100000/m"
# The deployment gate (ostal.pilotage) is off for the suite: most tests use schools no
# deployment order covers. The pilotage's own tests turn it on with the settings fixture.
PILOTAGE_DEPLOYMENT_GATE = False
# Tests never talk to a clamd of the machine: attachments stay pending unless a test uses
# the ``clamd`` fixture (ostal/messaging/tests/conftest.py), which starts its own.
MESSAGING_CLAMD_SOCKET = str(VAR_DIR / "no-clamd.ctl")  # noqa: F405
