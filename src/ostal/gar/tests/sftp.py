"""A real SFTP server on 127.0.0.1 (asyncssh), run in a thread for the export tests.

It accepts one user authenticated by public key, keeps what it receives in ``root``
(chrooted), and publishes its host key in a known_hosts file for the client to check.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from ostal.gar.delivery import SftpTarget

USER = "gar-depot"


@dataclass
class LocalSftp:
    root: Path
    target: SftpTarget
    client_key: asyncssh.SSHKey


@contextmanager
def local_sftp(workdir: Path, *, directory: str = "") -> Iterator[LocalSftp]:
    root = workdir / "sftp-root"
    (root / directory).mkdir(parents=True, exist_ok=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    key_file = workdir / "client_key"
    client_key.write_private_key(str(key_file))
    authorized = asyncssh.import_authorized_keys(client_key.export_public_key().decode())

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, object] = {}

    async def start() -> None:
        server = await asyncssh.listen(
            "127.0.0.1",
            0,
            server_host_keys=[host_key],
            authorized_client_keys=authorized,
            sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(root).encode()),
            allow_scp=False,
        )
        state["server"] = server
        state["port"] = server.sockets[0].getsockname()[1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the SFTP server did not start"
    port = int(state["port"])  # type: ignore[call-overload]
    known_hosts = workdir / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_key.export_public_key().decode().strip()}\n")
    try:
        yield LocalSftp(
            root=root,
            target=SftpTarget(
                host="127.0.0.1",
                port=port,
                user=USER,
                key_file=str(key_file),
                known_hosts=str(known_hosts),
                directory=directory,
            ),
            client_key=client_key,
        )
    finally:
        server = state["server"]

        async def stop() -> None:
            server.close()  # type: ignore[attr-defined]
            await server.wait_closed()  # type: ignore[attr-defined]

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
