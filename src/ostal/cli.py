"""``ostal`` console script: the embedded-mode launcher behind the README's *run* command.

``ostal dev`` migrates, loads the territory and, on first run, the demo; prints the demo
logins; then serves Ostal at http://127.0.0.1:8000 with the job worker alongside.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostal.settings")
    import django

    django.setup()


def dev(address: str = "127.0.0.1:8000") -> int:
    _django()
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("demo", "--if-empty")
    manage = [sys.executable, "-m", "django"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    worker = subprocess.Popen([*manage, "run_huey", "--workers", "1"], env=env)  # noqa: S603
    try:
        return subprocess.call([*manage, "runserver", "--noreload", address], env=env)  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
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
