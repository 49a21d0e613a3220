"""A webhook receiver on 127.0.0.1 that checks each message's signature, as a receiving
system would (integrations.signing.verify), and the personas' hooks and tokens."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import signing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool


@dataclass
class Receiver:
    """Listens on `port` once started; `secret` is set by the test to the hook's secret."""

    port: int = field(default_factory=free_port)
    secret: str = ""
    answer: int = 200
    location: str = ""  # sent with a 3xx answer
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def verified(self) -> list[Received]:
        return [message for message in self.received if message.signature_ok]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                ok = signing.verify(
                    receiver.secret,
                    headers.get("X-CCHC-Timestamp", ""),
                    body,
                    headers.get("X-CCHC-Signature", ""),
                )
                receiver.received.append(Received(headers, body, ok))
                status = receiver.answer if ok else 401
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b"refused")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def receiver():
    """A receiver not yet listening (down); call .start() to bring it up."""
    made = Receiver()
    yield made
    made.stop()


# The tasks tests' directive and its tasks of units A and B.
from tests.tasks.conftest import (  # noqa: E402, F401
    assignment_a,
    assignment_b,
    directive,
    task_a,
    task_b,
)
