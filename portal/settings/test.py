"""Tests: pytest-django. DATABASE_URL / REDIS_URL pick PostgreSQL and Redis (CI); SQLite otherwise."""

from .base import *  # noqa: F403
from .base import SHELL_CACHE, VAR_DIR, env

SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # nosec B105 # the test suite's fixed key, never used outside tests
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = env("SMS_BACKEND", default="osms.core.sms.LocmemSmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(VAR_DIR / "test-sms"))
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
ALLOWED_HOSTS = ["*"]
LOGGING["root"]["level"] = "WARNING"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if not env("REDIS_URL", default=""):
    # Tests without Redis share one process: an in-memory cache is enough and needs no table.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "shell": SHELL_CACHE}
    RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Static files straight from the source folders (no collectstatic): the browser tests need the real CSS.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
