"""gunicorn settings of the web server in production (docker-compose.yml; ADR 0104).

Sync workers, two per core. A request is CPU-bound Python (the public status check: ~7 ms of
CPU, of which ~2 ms is gunicorn and Django's middleware alone), so more processes than cores
buy nothing but the overlap with the short waits on PostgreSQL and Redis, which two per core
covers. Threaded workers with keep-alive (gthread) were measured and gave no more throughput
and no better tail: the threads of one process share the GIL, and the TCP connection a sync
worker makes per request costs little next to the request (docs/performance.md). TLS, slow
clients and keep-alive towards browsers are the reverse proxy's job.
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
workers = int(os.environ.get("WEB_WORKERS", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 1))  # gthread only
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# No IIN in the access log: 12-digit runs in the request line, query, referer and headers are masked.
logger_class = "osms.core.access_log.IinMaskingLogger"
