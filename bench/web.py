"""The public status page under load, from a process of its own (wrk is not installed here).

Each connection is a keep-alive HTTP/1.1 client: it fetches the form once for the CSRF cookie
and token, then POSTs random IINs as fast as the server answers. The server must run with the
rate limit raised for the benchmark client (RATELIMIT_PUBLIC_LOOKUP=1000000/m) and with lookup
logging on, as it always is.
"""

from __future__ import annotations

import http.client
import multiprocessing
import random
import re
import threading
import time
import urllib.parse

from .generate import person_iin

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(url: str, deadline: float, seed: int, latencies: list[float], errors: list[int]) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    path = "/ru/status/"
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = _TOKEN.search(body).group(1).decode()
    rng = random.Random(seed)
    iins = [person_iin(rng.randrange(1_000_000)) for _ in range(200)]
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": url + path}
    while time.perf_counter() < deadline:
        data = f"csrfmiddlewaretoken={token}&iin={rng.choice(iins)}"
        started = time.perf_counter()
        conn.request("POST", path, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)


def _process(url: str, seconds: float, connections: int, seed: int, queue) -> None:
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(url, deadline, seed * 1000 + i, latencies, errors))
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors))


def run_web(*, url: str, seconds: float, connections: int, processes: int) -> None:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_process, args=(url, seconds, max(1, connections // processes), n, queue))
        for n in range(processes)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    errors: list[int] = []
    for _ in workers:
        got_latencies, got_errors = queue.get()
        latencies += got_latencies
        errors += got_errors
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    print(
        f"{len(latencies):,} POSTs in {elapsed:.1f} s = {len(latencies) / elapsed:,.0f} req/s over {connections}"
        f" connections; p50 {pct(0.5):.1f} ms, p90 {pct(0.9):.1f} ms, p99 {pct(0.99):.1f} ms;"
        f" non-200: {len(errors)} {sorted(set(errors))[:5]}"
    )
