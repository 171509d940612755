"""`python -m bench profile`: where a page's time goes on a running gunicorn (py-spy).

gunicorn with the production config under bench.settings, warmed up, then py-spy samples every
worker (`--subprocesses`, 250 Hz, not idle) while wrk loads one page; the raw stacks are kept in
var/bench/prof-<name>.txt and summed into parts: each sample goes to the innermost frame that
names a part (the status read, the lookup INSERT, the rate limiter, the template, each
middleware, Django's handler, gunicorn's socket work). py-spy is not a requirement of the portal:
`pip install py-spy==0.4.3`. On a busy machine a sample also lands where the worker waits for a
core after a system call (a socket write that wakes wrk, a round trip), so the shares say where a
request spends its turn, not only its own CPU; `bench ratios` gives the CPU per request.

    python -m bench profile check   # the public check (POST, CSRF, random IINs)
    python -m bench profile form    # its empty form
    python -m bench profile page --path /ru/information/who-pays/
    python -m bench profile-table var/bench/prof-check.txt var/bench/prof-form.txt ...
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections import Counter

from .ratios import _start
from .web import write_wrk_script

PARTS = [  # innermost match wins
    ("status answer: database round trip", r"_facts_postgresql \("),
    ("status answer: rules, МЗП table", r"status_answer \("),
    ("lookup log INSERT", r"status_lookup_log \("),
    ("rate limiter (count in Redis)", r"is_ratelimited \(django_ratelimit|get_usage \(django_ratelimit"),
    ("form validation (IIN)", r"is_valid \(django/forms"),
    ("template rendering", r"render \(django/shortcuts|render_to_string \("),
    ("whole page from the store (nonce, token put back)", r"page_cache.py"),
    ("view (own code)", r"status_check \(osms|information_\w+ \(osms|home \(osms|contribution_calculator \(osms"),
    ("CSRF middleware", r"CsrfViewMiddleware\."),
    ("session middleware", r"SessionMiddleware\."),
    ("locale middleware", r"LocaleMiddleware\."),
    ("auth + OTP middleware", r"AuthenticationMiddleware\.|OTPMiddleware\."),
    ("messages middleware", r"MessageMiddleware\."),
    ("CSP middleware (nonce, header)", r"ContentSecurityPolicyMiddleware\."),
    ("security, common, clickjacking middleware", r"SecurityMiddleware\.|XFrameOptionsMiddleware\.|CommonMiddleware\."),
    ("auditlog middleware", r"AuditlogMiddleware\."),
    ("axes middleware", r"AxesMiddleware\."),
    ("ratelimit middleware", r"RatelimitMiddleware\."),
    ("idle-session, acting-for middleware", r"IdleSessionTimeoutMiddleware\.|ActingForMiddleware\."),
    ("read-your-writes middleware", r"ReadYourWritesMiddleware\."),
    ("request id middleware", r"RequestIdMiddleware\."),
    ("whitenoise middleware", r"WhiteNoiseMiddleware\."),
    ("Django handler: URL resolving, request object, signals, plumbing", r"django/core/handlers|WSGIRequest"),
]
_GUNICORN = "gunicorn: accept, parse, write the response"


def shares(path: str) -> tuple[dict[str, float], int]:
    """The share of the samples taken while a worker handled a request, per part."""
    counts: Counter[str] = Counter()
    total = 0
    with open(path) as stream:
        for line in stream:
            stack, _, number = line.rstrip("\n").rpartition(" ")
            frames = stack.split(";")
            if not any("SyncWorker.handle (" in frame for frame in frames):
                continue  # a worker waiting for a connection
            samples = int(number)
            total += samples
            if "WSGIHandler.__call__" not in stack:
                counts[_GUNICORN] += samples
                continue
            for frame in reversed(frames):
                part = next((name for name, pattern in PARTS if re.search(pattern, frame)), None)
                if part:
                    counts[part] += samples
                    break
            else:
                counts["other"] += samples
    return {name: 100 * value / max(total, 1) for name, value in counts.items()}, total


def print_table(paths: list[str]) -> None:
    tables = [shares(path) for path in paths]
    names = [os.path.basename(path).removeprefix("prof-").removesuffix(".txt") for path in paths]
    print("| part | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for part in [name for name, _ in PARTS] + [_GUNICORN, "other"]:
        if any(table.get(part, 0) >= 0.5 for table, _ in tables):
            print(f"| {part} | " + " | ".join(f"{table.get(part, 0):.0f} %" for table, _ in tables) + " |")
    print("| samples | " + " | ".join(str(total) for _, total in tables) + " |")


def run_profile(*, name: str, path: str, seconds: int, persons: int, port: int) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "RATELIMIT_PUBLIC_LOOKUP": os.environ.get("RATELIMIT_PUBLIC_LOOKUP", "100000000/m"),
    }
    os.makedirs("var/bench", exist_ok=True)
    server = _start("portal.wsgi", port, env, "var/bench/gunicorn-profile.log", [])
    url = f"http://127.0.0.1:{port}"
    out = f"var/bench/prof-{name}.txt"
    try:
        wrk = ["wrk", "-t2", "-c8"]
        if name == "check":
            write_wrk_script(url=url, persons=persons, out="var/bench/status.lua")
            wrk += ["-s", "var/bench/status.lua"]
        target = f"{url}{path}"
        subprocess.run([*wrk, "-d6s", target], capture_output=True, check=False)  # every worker warm
        spy = subprocess.Popen(
            [
                *(".venv/bin/py-spy", "record", "--pid", str(server.pid), "--subprocesses", "--rate", "250"),
                *("--duration", str(seconds), "--format", "raw", "--nonblocking", "-o", out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        result = subprocess.run([*wrk, f"-d{seconds}s", target], capture_output=True, text=True, check=False)
        spy.wait(timeout=seconds + 60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(next((line for line in result.stdout.splitlines() if line.startswith("Requests/sec")), result.stdout))
    print_table([out])
    return out
