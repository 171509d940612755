"""A stand-in SMS gateway for the fault suite: answers 500 while told to fail, 200 otherwise. Like the
gateway the portal's contract names (README: SMS_GATEWAY_*), it delivers a message once per
Idempotency-Key: a send repeated with the same key (a worker killed after the gateway took the
message, say) is accepted and counted as `resent`, never delivered again. A message the citizen
would get twice is one delivered under two keys."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .services import free_port


class FakeGateway:
    def __init__(self) -> None:
        self.port = free_port()
        self.failing_until = 0.0
        self.delay = 0.0
        self.accepted: Counter[str] = Counter()
        self.accepted_at: dict[str, float] = {}
        self.texts: dict[str, str] = {}
        self.delivered: dict[str, list[str]] = {}  # phone -> texts delivered
        self.refused = 0
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.delay:
                    time.sleep(gateway.delay)
                with gateway.lock:
                    failing = time.monotonic() < gateway.failing_until
                    if failing:
                        gateway.refused += 1
                    else:
                        key = self.headers.get("Idempotency-Key", "")
                        gateway.accepted[key] += 1
                        if gateway.accepted[key] == 1:
                            gateway.accepted_at[key] = time.monotonic()
                            gateway.texts[body["to"]] = body["text"]
                            gateway.delivered.setdefault(body["to"], []).append(body["text"])
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def start(self) -> None:
        self.thread.start()

    def fail_for(self, seconds: float) -> float:
        self.failing_until = time.monotonic() + seconds
        return self.failing_until

    def resent(self) -> int:
        """Sends repeated under a key already delivered (suppressed here, as the contract says)."""
        with self.lock:
            return sum(count - 1 for count in self.accepted.values())

    def delivered_twice(self, phones, marker: str) -> int:
        """How many of `phones` got a message containing `marker` more than once."""
        with self.lock:
            return sum(1 for phone in phones if sum(marker in t for t in self.delivered.get(phone, [])) > 1)

    def stop(self) -> None:
        self.server.shutdown()
