"""A stand-in SMS gateway for the fault suite: answers 500 while told to fail, 200 otherwise, and
records what it accepted by Idempotency-Key, so that a message delivered twice is counted."""

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
                        gateway.accepted_at.setdefault(key, time.monotonic())
                        gateway.texts[body["to"]] = body["text"]
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

    def twice(self) -> int:
        with self.lock:
            return sum(1 for count in self.accepted.values() if count > 1)

    def stop(self) -> None:
        self.server.shutdown()
