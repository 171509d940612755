"""Settings for serving the portal under the web benchmark: production-like (DEBUG off, no static
file autorefresh, Redis cache) but over plain HTTP on localhost. Never used outside bench/."""

from portal.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The floor view of `bench ratios` (variant A) exists only here (bench/urls.py).
ROOT_URLCONF = "bench.urls"
