"""The launcher says what it does: a busy port is reported with the way to choose another."""

from __future__ import annotations

import socket

from ostal import cli


def test_busy_port_says_how_to_choose_another(capsys) -> None:
    """When the port is taken, ``ostal dev`` stops at once and names the command for
    another port, instead of failing later under the worker's log."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        status = cli.dev(f"127.0.0.1:{port}")
    err = capsys.readouterr().err
    assert status == 1
    assert f"Le port {port} est déjà utilisé" in err
    assert f"bin/ostal run 127.0.0.1:{port + 1}" in err
