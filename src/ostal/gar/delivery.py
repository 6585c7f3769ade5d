"""Packing and sending a validated export: a ``.tar.gz`` with its ``.md5``, by SFTP.

The SFTP client is asyncssh (ADR 0060): the same library gives the tests a real SFTP
server on 127.0.0.1. The server's host key is checked against a known_hosts file; the
client authenticates with a private key. Nothing here decides *whether* to send: the caller
sends only an export that validated.
"""

from __future__ import annotations

import asyncio
import hashlib
import tarfile
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from django.conf import settings


@dataclass(frozen=True)
class SftpTarget:
    host: str
    port: int
    user: str
    key_file: str
    known_hosts: str
    directory: str = ""

    @classmethod
    def from_settings(cls) -> SftpTarget | None:
        if not settings.OSTAL_GAR_SFTP_HOST:
            return None
        return cls(
            host=settings.OSTAL_GAR_SFTP_HOST,
            port=settings.OSTAL_GAR_SFTP_PORT,
            user=settings.OSTAL_GAR_SFTP_USER,
            key_file=settings.OSTAL_GAR_SFTP_KEY_FILE,
            known_hosts=settings.OSTAL_GAR_SFTP_KNOWN_HOSTS,
            directory=settings.OSTAL_GAR_SFTP_DIR,
        )

    def __str__(self) -> str:
        where = f"{self.user}@{self.host}:{self.port}"
        return f"{where}/{self.directory}" if self.directory else where


def pack(folder: Path, names: list[str], archive: Path) -> tuple[str, Path]:
    """Pack ``names`` (flat, no folder) into ``archive``; write ``archive.md5``."""
    with tarfile.open(archive, "w:gz") as tar:
        for name in names:
            tar.add(folder / name, arcname=name)
    digest = hashlib.md5(usedforsecurity=False)
    with archive.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    md5 = digest.hexdigest()
    md5_file = archive.with_name(archive.name + ".md5")
    md5_file.write_text(f"{md5}  {archive.name}\n", encoding="ascii")
    return md5, md5_file


async def _send(target: SftpTarget, paths: list[Path]) -> None:
    if not target.known_hosts:  # never connect to an unchecked server
        raise ValueError("OSTAL_GAR_SFTP_KNOWN_HOSTS n'est pas configuré")
    async with (
        asyncssh.connect(
            target.host,
            port=target.port,
            username=target.user,
            client_keys=[target.key_file],
            known_hosts=target.known_hosts,
            agent_path=None,
            connect_timeout=30,
        ) as connection,
        connection.start_sftp_client() as sftp,
    ):
        for path in paths:  # the .md5 last: its arrival tells the GAR the archive is whole
            remote = (
                f"{target.directory.rstrip('/')}/{path.name}" if target.directory else path.name
            )
            await sftp.put(str(path), remote)


def send(target: SftpTarget, paths: list[Path]) -> None:
    """Upload ``paths`` in order; raises on any failure (connection, key, write)."""
    asyncio.run(_send(target, paths))
