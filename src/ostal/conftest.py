"""Shared fixtures: the territory, and a small world of named personas.

The personas are the rows of every permission matrix (conventions §6): a pupil, the parent
of the pupil, the parent of another pupil, the teacher of the class, another teacher, the
school admin, another school's admin, and anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ostal.directory import factories, services
from ostal.directory.models import Person, Profile, SchoolClass
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School

PASSWORD = "correct horse battery staple"
# The instant that tests written around fixed dates of the 2026-2027 school year pin their
# clock to (``school_week_clock``): Wednesday 25 November 2026, 10:00 in Paris, a school week
# of zone C without a public holiday. See docs/testing.md.
SCHOOL_WEEK_NOW = "2026-11-25T10:00:00+01:00"


@dataclass
class World:
    college: School
    lycee: School
    class_4b: SchoolClass
    class_2nde: SchoolClass
    pupil: Person
    sibling: Person
    parent: Person
    other_pupil: Person
    other_parent: Person
    teacher: Person
    other_teacher: Person
    admin: Person
    other_admin: Person
    agent: Person

    def persona(self, name: str) -> Person | None:
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture(autouse=True)
def _cold_cache() -> None:
    """Every test starts with an empty cache (rate-limit counters, the shell's cached
    counters): on SQLite, ids are reused between tests and would find an earlier test's
    entries, so query counts and limits would depend on the order of the tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def school_week_clock(time_machine: Any) -> Any:
    """Pins the clock to ``SCHOOL_WEEK_NOW`` (it ticks on from there) for a test that asserts
    on fixed dates: requested before ``world``, the world is built in that school year."""
    time_machine.move_to(SCHOOL_WEEK_NOW, tick=True)
    return time_machine


@pytest.fixture
def territory(db: Any) -> None:
    ensure_territory()


@pytest.fixture
def world(territory: None) -> World:
    college = SchoolFactory(
        uai="0341111A",
        kind=School.Kind.COLLEGE,
        name="Collège Test",
        department_code="34",
        commune="Montpellier",
    )
    lycee = SchoolFactory(
        uai="0122222B",
        kind=School.Kind.LYCEE,
        name="Lycée Test",
        department_code="12",
        commune="Rodez",
    )
    class_4b = factories.school_class(school=college, code="4B")
    class_2nde = factories.school_class(school=lycee, code="2NDE1")
    maths = factories.subject("061300", "MATHÉMATIQUES")

    def person(**kw: Any) -> dict[str, Any]:
        return {"password": PASSWORD, **kw}

    pupil = factories.pupil(
        school_class=class_4b, **person(username="eleve", first_name="Alice", last_name="Durand")
    )
    sibling = factories.pupil(
        school_class=class_2nde, **person(username="frere", first_name="Bruno", last_name="Durand")
    )
    other_pupil = factories.pupil(
        school_class=class_4b,
        **person(username="autre.eleve", first_name="Chloé", last_name="Petit"),
    )
    parent = factories.relative(
        children=[pupil, sibling],
        **person(username="parent", first_name="Diane", last_name="Durand"),
    )
    other_parent = factories.relative(
        children=[other_pupil],
        **person(username="autre.parent", first_name="Emma", last_name="Petit"),
    )
    teacher = factories.teacher(
        school=college, **person(username="prof", first_name="Franck", last_name="Garcia")
    )
    services.teaching_assign(teacher=teacher, subject=maths, school_class=class_4b)
    other_teacher = factories.teacher(
        school=lycee, **person(username="autre.prof", first_name="Gilles", last_name="Henry")
    )
    services.teaching_assign(teacher=other_teacher, subject=maths, school_class=class_2nde)
    admin = factories.staff(
        school=college,
        profile=Profile.DIRECTION,
        function="DIR",
        **person(username="admin", first_name="Hélène", last_name="Iglesias"),
    )
    services.school_admin_grant(person=admin, school=college)
    other_admin = factories.staff(
        school=lycee,
        profile=Profile.DIRECTION,
        function="DIR",
        **person(username="autre.admin", first_name="Inès", last_name="Jourdan"),
    )
    services.school_admin_grant(person=other_admin, school=lycee)
    agent = factories.PersonFactory(
        profile=Profile.AUTHORITY_STAFF,
        **person(username="agent", first_name="Jean", last_name="Klein"),
    )
    services.authority_role_grant(person=agent, authority=college.responsible_authority)
    return World(
        college,
        lycee,
        class_4b,
        class_2nde,
        pupil,
        sibling,
        parent,
        other_pupil,
        other_parent,
        teacher,
        other_teacher,
        admin,
        other_admin,
        agent,
    )


@pytest.fixture
def login(client: Any) -> Any:
    """Log the test client in as a persona (or stay anonymous)."""

    def _login(person: Person | None) -> Any:
        if person is not None:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def bearer(client: Any) -> Any:
    """``bearer(person)``: the test client, authenticated for the JSON API by the person's
    token (``Authorization: Bearer …``)."""
    from rest_framework.authtoken.models import Token

    def _bearer(person: Person) -> Any:
        token, _ = Token.objects.get_or_create(user=person)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
        return client

    return _bearer


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
