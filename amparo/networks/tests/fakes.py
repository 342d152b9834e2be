"""A local fake of an HTTP gateway (signal-cli-rest-api style), in a thread.

It records every request, and counts the messages each recipient *got*: a request whose
Idempotency-Key it has already accepted is answered 201 again and not delivered twice, as a
gateway that honours the key does.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeGateway:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    delivered: Counter[str] = field(default_factory=Counter)
    #: Answer this status instead of 201 (to test refusals).
    status: int = 201
    #: Seconds to wait before answering each request (to kill a worker mid-way).
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, headers: dict[str, str], body: dict[str, Any]) -> int:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if self.status >= 300:
                return self.status
            key = headers.get("Idempotency-Key", "")
            if key not in self.keys:
                self.keys.add(key)
                for recipient in body.get("recipients", []):
                    self.delivered[recipient] += 1
            return self.status

    def messages_to(self, recipient: str) -> list[str]:
        return [r["body"]["message"] for r in self.requests if recipient in r["body"]["recipients"]]


@contextmanager
def fake_gateway(path: str = "/v2/send") -> Iterator[FakeGateway]:
    gateway = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            if gateway.delay:
                threading.Event().wait(gateway.delay)
            status = gateway.record(dict(self.headers), body) if self.path == path else 404
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
