"""The password hasher of Ostal: argon2id tuned for small (2-core) hosts.

Django's ``Argon2PasswordHasher`` asks for 100 MiB and 8 lanes per hash (t=2, m=102400 KiB,
p=8): on a 2-core host that is ~1 s of CPU per login spread over 8 threads, and 100 MiB
per concurrent login. Ostal uses one lane, 46 MiB and two passes (OWASP's argon2id floor is
m=19 MiB/t=2 or m=46 MiB/t=1: this is above both). Measured on the 2-core build host
(argon2-cffi 25.1, one core, 10 hashes each, other jobs running):

    m=19 MiB t=2: 18 ms   m=32 MiB t=2: 42 ms   m=46 MiB t=2: 66 ms   m=64 MiB t=2: 100 ms

so ~66 ms per login on one core, ~15 logins/s per core. Hashes made with other parameters
(Django's defaults, PBKDF2) are upgraded on the next successful login (``must_update``).
See ``docs/accounts-security.md``.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id, 2 passes, 46 MiB, 1 lane. Same algorithm name as Django's (``argon2``):
    existing hashes verify unchanged and are re-hashed when their parameters differ."""

    time_cost = 2
    memory_cost = 47104  # KiB = 46 MiB
    parallelism = 1
