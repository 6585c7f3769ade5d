"""A local push service double speaking the Web Push protocol (RFC 8030, 8291, 8292).

It listens on 127.0.0.1, accepts ``POST /push/<token>`` like a real push service and keeps
what it received. A ``Device`` plays the browser: it holds the subscription's private key
and auth secret, so the test decrypts the aes128gcm payload exactly as a phone would, and
checks the VAPID signature of each request against the key it carries.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    token: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Device:
    """A browser's side of a subscription: its key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)

    def decrypt(self, received: Received) -> dict[str, Any]:
        plain = http_ece.decrypt(
            received.body,
            private_key=self.private_key,
            auth_secret=self.auth,
            version="aes128gcm",
        )
        data: dict[str, Any] = json.loads(plain.decode("utf-8"))
        return data


@dataclass
class PushServiceDouble:
    base: str = ""
    received: list[Received] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)
    _server: ThreadingHTTPServer | None = None

    def device(self) -> Device:
        token = b64url(os.urandom(12))
        return Device(
            endpoint=f"{self.base}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )

    def for_device(self, device: Device) -> list[Received]:
        token = device.endpoint.rsplit("/", 1)[1]
        return [r for r in self.received if r.token == token]

    def start(self) -> PushServiceDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:  # noqa: N802
                token = self.path.rsplit("/", 1)[-1]
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                if token in double.gone:
                    self.send_response(410)
                elif token in double.failing:
                    self.send_response(503)
                elif not vapid_valid(headers.get("authorization", ""), double.base):
                    self.send_response(403)
                else:
                    double.received.append(Received(token, headers, body))
                    self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def vapid_valid(authorization: str, audience: str) -> bool:
    """RFC 8292: ``vapid t=<JWT ES256>, k=<public key>``, the JWT's ``aud`` the push
    service's origin, signed by the key ``k``."""
    if not authorization.startswith("vapid "):
        return False
    parts = dict(p.strip().split("=", 1) for p in authorization[6:].split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        head, claims, sig = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        raw = unb64url(sig)
        signature = encode_dss_signature(
            int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        )
        public.verify(signature, f"{head}.{claims}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature):
        return False
    return bool(json.loads(unb64url(claims)).get("aud") == audience)
