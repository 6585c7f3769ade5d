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
