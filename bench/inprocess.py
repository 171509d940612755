"""`python -m bench cpu`: CPU per request of each variant of `bench ratios`, in this process.

The WSGI handler is called in a loop with the request gunicorn would hand it (no gunicorn, no wrk,
no sockets), and `time.process_time` says what the request costs in Python alone; the waits on
PostgreSQL and Redis are not counted, their own CPU neither. Least disturbed by a busy machine of
all the figures, so the one to compare code before and after.
"""

from __future__ import annotations

import io
import os
import random
import re
import sys
import time

VARIANTS = {
    "A": ("GET", "/bench/floor/"),
    "B": ("POST", "/ru/status/"),
    "C": ("GET", "/ru/status/"),
    "R": ("GET", "/bench/floor/round-trips/"),
    "E": ("GET", "/ru/"),
    "F": ("GET", "/ru/information/"),
    "G": ("GET", "/ru/information/who-pays/"),
    "H": ("GET", "/ru/calculator/"),
    "I": ("GET", "/ru/accounts/login/"),
    "J": ("GET", "/ru/accounts/register/"),
    "K": ("GET", "/ru/appeals/check/"),
    "L": ("GET", "/ru/statements/verify/"),
}


def _call(app, method: str, path: str, body: bytes = b"", cookie: str = "") -> tuple[str, list, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "http://127.0.0.1/ru/status/",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    answer: dict = {}

    def start_response(status, headers):
        answer.update(status=status, headers=headers)

    chunks = app(environ, start_response)
    data = b"".join(chunks)
    chunks.close()
    return answer["status"], answer["headers"], data


def run_cpu(*, requests: int, variants: str, persons: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("RATELIMIT_PUBLIC_LOOKUP", "100000000/m")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from .generate import person_iin

    app = WSGIHandler()
    _status, headers, page = _call(app, "GET", "/ru/status/")
    cookie = next(value for name, value in headers if name == "Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    rng = random.Random(3)
    iins = [person_iin(rng.randrange(persons)) for _ in range(2000)]
    for name in variants:
        method, path = VARIANTS[name]

        def one(i: int, method=method, path=path) -> str:
            if method == "POST":
                body = f"csrfmiddlewaretoken={token}&iin={iins[i % len(iins)]}".encode()
                return _call(app, method, path, body, cookie)[0]
            return _call(app, method, path)[0]

        for i in range(50):
            assert one(i).startswith("200"), (name, one(i))
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(requests):
            one(i)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{name} {method} {path}: {1000 * cpu / requests:.3f} ms of CPU per request ({1000 * wall / requests:.3f} ms wall)"
        )
    print("load average " + " ".join(f"{value:.2f}" for value in os.getloadavg()))
