"""Development: `make run`. SQLite and a SQLite-file broker unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
from .base import CLAMAV_URL, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production-0123456789abcdef")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# SMS codes are written to var/sms/ and printed by the worker, so a developer can sign up.
SMS_BACKEND = env("SMS_BACKEND", default="osms.core.sms.FileSmsBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DEBUG:
    # Edits to the page shell's templates show at the next request.
    CACHES["shell"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
# Without a clamd of your own (CLAMAV_URL), uploads are accepted unscanned in development only.
CLAMAV_REQUIRED = env.bool("CLAMAV_REQUIRED", default=bool(CLAMAV_URL))
