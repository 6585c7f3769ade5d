"""``ostal`` console script: the embedded-mode launcher behind the README's *run* command.

``ostal dev [ADDRESS]`` says what it does, step by step: migrates, loads the territory and,
on first run, builds the demo; starts the job worker (its log goes to ``var/worker.log``)
and the web server; then, once the server answers, prints the demo logins, once and last,
with the address and how to choose another port (``bin/ostal run 127.0.0.1:8001``, or
``OSTAL_DEV_ADDRESS``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_ADDRESS = "127.0.0.1:8000"


def _django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostal.settings")
    import django

    django.setup()


def _say(line: str) -> None:
    print(f"» {line}", flush=True)


def _split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return (host or "127.0.0.1"), int(port)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _wait_until_serving(host: str, port: int, server: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def other_port_hint(address: str) -> str:
    host, port = _split(address)
    return (
        f"Pour un autre port : bin/ostal run {host}:{port + 1} "
        f"(ou OSTAL_DEV_ADDRESS={host}:{port + 1} bin/ostal run)."
    )


def dev(address: str | None = None) -> int:
    address = address or os.environ.get("OSTAL_DEV_ADDRESS") or DEFAULT_ADDRESS
    host, port = _split(address)
    if not _port_free(host, port):
        print(f"Le port {port} est déjà utilisé sur {host}.", file=sys.stderr)
        print(other_port_hint(address), file=sys.stderr)
        return 1
    _say("Préparation d'Ostal (mode embarqué : SQLite et worker local)")
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from ostal.feed.demo import DemoLogin, build_demo, saved_logins
    from ostal.feed.management.commands.demo import print_logins
    from ostal.territory.models import School

    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    _say("base de données : migrations")
    call_command("migrate", interactive=False, verbosity=0)
    _say("territoire : autorités et établissements")
    call_command("load_territory", verbosity=0)
    logins: list[DemoLogin]
    if School.objects.exists():
        _say("démonstration déjà construite")
        logins = saved_logins()
    else:
        _say("première exécution : construction de la démonstration (une à deux minutes)")
        logins = build_demo(progress=lambda line: _say(f"  {line}"))
    manage = [sys.executable, "-m", "django"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    log_path = var / "worker.log"
    _say(f"file de tâches : worker démarré (journal : {log_path})")
    with open(log_path, "ab") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [*manage, "run_huey", "--workers", "1"], env=env, stdout=log, stderr=log
        )
    _say(f"serveur web : démarrage sur http://{address}/")
    server = subprocess.Popen([*manage, "runserver", "--noreload", address], env=env)  # noqa: S603
    # A TERM (not only Ctrl-C) stops the server and the worker too, never leaving them behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if _wait_until_serving(host, port, server):
            if logins:
                print_logins(print, logins)
            print("")
            print(f"Ostal est prêt : http://{address}/  (Ctrl-C pour arrêter)", flush=True)
            print(other_port_hint(address), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        worker.terminate()
        worker.wait(timeout=10)


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] == "dev":
        return dev(*args[1:2])
    if args[0] == "manage":
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ostal", *args[1:]])
        return 0
    print("usage: ostal [dev [ADDRESS] | manage COMMAND …]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
