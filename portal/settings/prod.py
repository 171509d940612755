"""Production: gunicorn behind a TLS-terminating proxy, PostgreSQL, Redis. Fails fast on missing secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CLAMAV_URL, REDIS_URL, SECRET_KEY, env, mailers

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production (cache, rate limits and Celery broker).")
if not CLAMAV_URL:
    raise ImproperlyConfigured("CLAMAV_URL must be set in production: every upload is scanned by clamd.")
CLAMAV_REQUIRED = True  # never accept an unscanned file in production, whatever the environment says

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
SMS_BACKEND = env("SMS_BACKEND", default="osms.core.sms.HttpGatewaySmsBackend")
MAILERS = mailers(env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"))
