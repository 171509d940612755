"""PostgreSQL streaming replicas for reads (DATABASE_REPLICA_URLS; ADR 0105, osms/core/db_router.py)."""

from __future__ import annotations

import environ


def replica_databases(urls: list[str], primary: dict) -> dict[str, dict]:
    """One DATABASES entry per replica URL, `replica_1`, `replica_2`, ...: persistent, health-checked
    connections like the primary's, a 1-second connect timeout unless the URL gives one (a replica
    that is down is skipped, not waited for), and in tests a mirror of the primary's test database
    (a physical replica has every database of its primary)."""
    databases = {}
    for number, url in enumerate(urls, start=1):
        config = environ.Env.db_url_config(url)
        config["ENGINE"] = primary.get("ENGINE", config["ENGINE"])  # the portal's backend (ADR 0108)
        config["CONN_MAX_AGE"] = primary.get("CONN_MAX_AGE", 0)
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 1)
        config["TEST"] = {"MIRROR": "default"}
        databases[f"replica_{number}"] = config
    return databases
