"""Messaging fixtures: the shared world plus two vie scolaire (CPE, surveillant), a deputy
head and a head teacher of 4B (so that no sender of the matrix is its own target)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import HeadTeacher, Person, Profile


@dataclass
class MessagingWorld:
    world: World
    cpe: Person
    colleague: Person
    supervisor: Person
    deputy: Person

    def persona(self, name: str) -> Person:
        if name in {"cpe", "colleague", "supervisor", "deputy"}:
            return getattr(self, name)
        person = self.world.persona(name)
        assert person is not None
        return person


@pytest.fixture
def mw(world: World) -> MessagingWorld:
    cpe = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="cpe",
        first_name="Karim",
        last_name="Lopez",
        password=PASSWORD,
    )
    colleague = factories.teacher(
        school=world.college,
        username="prof.principal",
        first_name="Laure",
        last_name="Martin",
        password=PASSWORD,
    )
    HeadTeacher.objects.create(teacher=colleague, school_class=world.class_4b)
    supervisor = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="surveillant",
        first_name="Nora",
        last_name="Roux",
        password=PASSWORD,
    )
    deputy = factories.staff(
        school=world.college,
        profile=Profile.DIRECTION,
        function="DIR",
        username="adjoint",
        first_name="Paul",
        last_name="Simon",
        password=PASSWORD,
    )
    return MessagingWorld(world, cpe, colleague, supervisor, deputy)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The unread counter and the freeze banner are cached: each test starts empty."""
    from django.core.cache import cache

    cache.clear()


# --- A real clamd for the antivirus tests ------------------------------------------------
# Debian's clamd started in the foreground with its own config, socket and pid file in a
# temporary directory, and a local signature file instead of freshclam's databases (no
# network): one ``md5:size:name`` line, EICAR's.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature-Local"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Unix socket of a clamd running for the whole session (skipped without clamd)."""
    import hashlib
    import os
    import shutil
    import socket
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    binary = os.environ.get("OSTAL_TEST_CLAMD", "") or shutil.which("clamd") or "/usr/sbin/clamd"
    if not os.path.exists(binary):
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    # A short path: a Unix socket path is limited to 107 bytes.
    home = Path(tempfile.mkdtemp(prefix="ostal-clamd-"))
    (home / "db").mkdir()
    (home / "db" / "local.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{EICAR_SIGNATURE}\n"  # noqa: S324
    )
    sock = home / "clamd.ctl"
    (home / "clamd.conf").write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {sock}",
                f"PidFile {home / 'clamd.pid'}",
                f"DatabaseDirectory {home / 'db'}",
                f"TemporaryDirectory {home}",
                "MaxThreads 4",
                "StreamMaxLength 25M",
                "SelfCheck 0",
                "Bytecode no",
                "",
            ]
        )
    )
    log = (tmp_path_factory.mktemp("clamd") / "clamd.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [binary, f"--config-file={home / 'clamd.conf'}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        # never a socket handed over by systemd: only our own LocalSocket
        env={k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"clamd exited ({process.returncode}), see {log.name}")
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                    probe.connect(str(sock))
                    probe.sendall(b"nPING\n")
                    if probe.recv(16).startswith(b"PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"clamd did not answer on {sock} within 60 s, see {log.name}")
            time.sleep(0.2)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def clamd(clamd_socket: str, settings: Any) -> str:
    """Scans go to the session's clamd."""
    settings.MESSAGING_CLAMD_SOCKET = clamd_socket
    return clamd_socket
