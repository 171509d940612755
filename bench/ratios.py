"""`python -m bench ratios`: the public pages as ratios to the framework floor, measured side by side.

Two gunicorn servers with the production config (portal/gunicorn.conf.py): the portal under
bench.settings (the floor view exists only there) and a 5-line WSGI app (bench/hello.py). Then,
for each round, wrk runs each variant in turn (A, B, C, D, R, pages..., A, B, ...) so that the
machine's changing load falls on all of them alike:

    A  the floor: a trivial view (HttpResponse("ok")) through the portal's whole middleware stack
    B  the public status check: POST with the CSRF cookie and token, random IINs (95 % in the table)
    C  the status check's empty form, GET
    D  bare WSGI under the same gunicorn config: no Django at all
    R  the floor plus the check's three round trips with nothing in them (the rate limiter's count
       in Redis, two one-value statements on PostgreSQL): the least any check that keeps them costs
    E… other anonymous GET pages (--pages)

Printed per variant: requests/s of each round, p50/p99, the CPU per request of the server's
workers, of PostgreSQL and of Redis (from /proc and INFO), and the load average; then the ratios
to the floor of each round (median and spread). Every answer must be 200 (wrk counts the others).
Needs DATABASE_URL (migrated, with a payments table: `bench build-table`) and REDIS_URL.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import time
from dataclasses import dataclass, field

from .web import _cpu_seconds, _lookups, _processes, _redis_cpu, write_wrk_script

# Every anonymous GET page of the public services: home, information, calculator, then the
# sign-in and registration forms, the public appeal check and the statement verification.
DEFAULT_PAGES = (
    "/ru/",
    "/ru/information/",
    "/ru/information/who-pays/",
    "/ru/calculator/",
    "/ru/accounts/login/",
    "/ru/accounts/register/",
    "/ru/appeals/check/",
    "/ru/statements/verify/",
)


@dataclass
class Variant:
    name: str
    label: str
    url: str
    server: str  # "portal" or "hello"
    script: str | None = None
    rounds: list[dict] = field(default_factory=list)


def _start(app: str, port: int, env: dict[str, str], log: str, extra: list[str]) -> subprocess.Popen:
    with open(log, "w") as stream:
        server = subprocess.Popen(
            [
                *(".venv/bin/gunicorn", app, "-c", "portal/gunicorn.conf.py", "-b", f"127.0.0.1:{port}"),
                *("--control-socket", os.path.abspath(f"var/bench/gunicorn-{port}.ctl"), *extra),
            ],
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    for _ in range(150):
        time.sleep(0.2)
        probe = subprocess.run(["curl", "-fsS", "-o", "/dev/null", f"http://127.0.0.1:{port}/"], capture_output=True)
        if probe.returncode == 0:
            return server
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError(f"gunicorn {app} did not start: see {log}")


def _wrk(variant: Variant, connections: int, seconds: float, latency: bool) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    if latency:
        command.append("--latency")
    if variant.script:
        command += ["-s", variant.script]
    command.append(variant.url)
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def _parse(output: str) -> dict:
    """wrk's own summary: requests/s, p50/p99 (from --latency), non-2xx/3xx and socket errors."""
    result = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "bad": 0, "requests": 0}
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "99%"):
            value = parts[1]
            unit = next(u for u in ("us", "ms", "s") if value.endswith(u))
            result["p" + parts[0][:-1]] = float(value[: -len(unit)]) * units[unit]
        elif "requests in" in line:
            result["requests"] = int(parts[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["bad"] += int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            result["bad"] += sum(int(token.rstrip(",")) for token in parts if token.rstrip(",").isdigit())
    return result


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def run_ratios(
    *,
    rounds: int,
    seconds: float,
    connections: int,
    persons: int,
    pages: list[str],
    port: int,
    gunicorn_args: list[str],
) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk (Debian's package, 4.1)")
    database_url = os.environ["DATABASE_URL"]
    database = database_url.rsplit("/", 1)[1]
    os.makedirs("var/bench", exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "RATELIMIT_PUBLIC_LOOKUP": os.environ.get("RATELIMIT_PUBLIC_LOOKUP", "100000000/m"),
    }
    portal = _start("portal.wsgi", port, env, "var/bench/gunicorn-portal.log", gunicorn_args)
    hello = _start("bench.hello", port + 1, env, "var/bench/gunicorn-hello.log", gunicorn_args)
    base, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    try:
        write_wrk_script(url=base, persons=persons, out="var/bench/status.lua")
        variants = [
            Variant("A", "floor: trivial view, whole middleware stack", f"{base}/bench/floor/", "portal"),
            Variant(
                "B", "public check POST (CSRF, random IINs)", f"{base}/ru/status/", "portal", "var/bench/status.lua"
            ),
            Variant("C", "public check empty form GET", f"{base}/ru/status/", "portal"),
            Variant("D", "bare WSGI app, same gunicorn config", f"{bare}/", "hello"),
            Variant("R", "floor + the check's 3 round trips, empty", f"{base}/bench/floor/round-trips/", "portal"),
        ]
        for number, page in enumerate(pages):
            variants.append(Variant(chr(ord("E") + number), f"GET {page}", base + page, "portal"))
        workers = {
            "portal": _processes(lambda stat, _cmd: int(stat[1]) == portal.pid),
            "hello": _processes(lambda stat, _cmd: int(stat[1]) == hello.pid),
        }
        for variant in variants:  # every worker warm, every page cached as in production
            _wrk(variant, connections, 1, latency=False)

        def backends() -> list[int]:
            return _processes(lambda _stat, cmd: cmd.startswith("postgres:") and f" {database} " in cmd)

        print(f"gunicorn -c portal/gunicorn.conf.py {' '.join(gunicorn_args)}: 4 sync workers unless WEB_WORKERS says")
        print(f"wrk -t2 -c{connections}, {seconds:g} s per variant, {rounds} rounds, alternating; load {_load()}")
        for round_number in range(1, rounds + 1):
            for variant in variants:
                pids = workers[variant.server] + backends()
                before = {pid: _cpu_seconds(pid) for pid in pids}
                redis_before, lookups_before = _redis_cpu(), _lookups(database_url)
                load_before = _load()
                result = _parse(_wrk(variant, connections, seconds, latency=True))
                after_pids = workers[variant.server] + backends()
                after = {pid: _cpu_seconds(pid) for pid in after_pids}
                requests = max(result["requests"], 1)

                def per_request(selected, before=before, after=after, requests=requests) -> float:
                    return 1000 * sum(after[pid] - before.get(pid, 0) for pid in selected if pid in after) / requests

                result["cpu_worker"] = per_request(workers[variant.server])
                result["cpu_postgres"] = per_request(set(after) - set(workers[variant.server]))
                result["cpu_redis"] = 1000 * (_redis_cpu() - redis_before) / requests
                result["load"] = f"{load_before} → {_load()}"
                result["lookups"] = _lookups(database_url) - lookups_before
                variant.rounds.append(result)
                print(
                    f"  round {round_number} {variant.name}: {result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms"
                    f"  p99 {result['p99']:6.2f} ms  CPU/request: workers {result['cpu_worker']:.2f} ms,"
                    f" PostgreSQL {result['cpu_postgres']:.2f} ms, Redis {result['cpu_redis']:.2f} ms;"
                    f" non-2xx/errors {result['bad']}; lookups logged +{result['lookups']}; load {result['load']}",
                    flush=True,
                )
    finally:
        for server in (portal, hello):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    _report(variants)


def _report(variants: list[Variant]) -> None:
    floor = variants[0]
    print("\nvariant | req/s median (min–max) | p99 median | CPU/request: workers, PostgreSQL, Redis | ratio to A")
    for variant in variants:
        rps = [r["rps"] for r in variant.rounds]
        ratios = [r["rps"] / f["rps"] for r, f in zip(variant.rounds, floor.rounds, strict=True) if f["rps"]]
        cpu = [statistics.median(r[key] for r in variant.rounds) for key in ("cpu_worker", "cpu_postgres", "cpu_redis")]
        print(
            f"{variant.name} {variant.label} | {statistics.median(rps):.0f} ({min(rps):.0f}–{max(rps):.0f})"
            f" | {statistics.median(r['p99'] for r in variant.rounds):.1f} ms"
            f" | {cpu[0]:.2f} + {cpu[1]:.2f} + {cpu[2]:.2f} ms | {_spread(ratios)}"
        )
    bare = variants[3]
    floor_to_bare = [f["rps"] / b["rps"] for f, b in zip(floor.rounds, bare.rounds, strict=True) if b["rps"]]
    print(f"A / D (the floor against bare WSGI): {_spread(floor_to_bare)}; load now {_load()}")
    check, trips = variants[1], variants[4]
    check_to_trips = [b["rps"] / r["rps"] for b, r in zip(check.rounds, trips.rounds, strict=True) if r["rps"]]
    print(f"B / R (the check against the floor with its round trips): {_spread(check_to_trips)}")
