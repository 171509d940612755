"""Settings shared by every environment. Values come from environment variables (README: Configuration)."""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .replicas import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "osms.core.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "osms.core",
    "osms.accounts",
    "osms.coverage",
    "osms.clinics",
    "osms.statements",
    "osms.temporary_status",
    "osms.appeals",
    "osms.representation",
    "osms.pages",
]

MIDDLEWARE = [
    "osms.core.metrics.RequestMetricsMiddleware",  # outermost: times the whole stack (ADR 0014)
    "osms.core.middleware.RequestIdMiddleware",
    "osms.core.middleware.PrivateByDefaultCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "osms.core.db_router.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "osms.accounts.middleware.IdleSessionTimeoutMiddleware",
    "osms.accounts.middleware.IdentityProofMiddleware",
    "osms.representation.middleware.ActingForMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "osms.core.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osms.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite by default so that `make run` needs no service; PostgreSQL (psycopg 3) in CI and production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that costs no round trip while the session is quiet (ADR 0108).
    DATABASES["default"]["ENGINE"] = "osms.core.postgresql"
    # Persistent connections, checked before reuse: no TCP + auth handshake per request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL and a busy timeout let the web server, the worker and beat share one SQLite file.
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# Streaming replicas for the reads that are 95 % of the traffic (ADR 0105): the status answer, the
# public check, the partner API, the information pages. Writes, and a browser's reads for a while
# after it wrote, stay on the primary; a replica that lags or is down is skipped.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
DATABASES.update(replica_databases(DATABASE_REPLICA_URLS, DATABASES["default"]))
DATABASE_REPLICAS = [alias for alias in DATABASES if alias.startswith("replica_")]
DATABASE_REPLICA_MAX_LAG = env.float("DATABASE_REPLICA_MAX_LAG", default=5.0)  # seconds
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=2.0)
# At least the lag allowed plus the verdict's age, so that a writer never reads older data than it wrote.
DATABASE_PRIMARY_AFTER_WRITE_SECONDS = env.int("DATABASE_PRIMARY_AFTER_WRITE_SECONDS", default=15)
DATABASE_ROUTERS = ["osms.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Database sessions that apply a payments register at once on PostgreSQL: the cores of the
# database server (docs/adr/0103-payments-import-in-columns-and-lanes.md).
PAYMENTS_IMPORT_CONNECTIONS = env.int("PAYMENTS_IMPORT_CONNECTIONS", default=2)
# Where a payments import keeps each chunk's rows until it is applied (about the file's size, removed
# at the end; docs/adr/0110-payments-import-direct-copy.md). Empty: the system's temp directory.
PAYMENTS_IMPORT_SPILL_DIR = env("PAYMENTS_IMPORT_SPILL_DIR", default="")

# --- Cache (rate limits, the calendar, sessions' lockout counters) ------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# The page shell (header, language links, footer) of anonymous pages, rendered once per language
# and page in each process ({% cache ... using="shell" %} in base.html; ADR 0104).
SHELL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "shell",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
if REDIS_URL:
    # Django's Redis cache with one client per process and one round trip per increment; rate
    # limits count in one round trip through a cache of their own on the same Redis (osms/core/cache.py).
    # Both are fail-safe: an unreachable Redis is a cache miss, never an error page (ADR 0013); the
    # timeouts bound what one attempt costs when Redis hangs rather than refuses.
    REDIS_CACHE_OPTIONS = {
        "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
        "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=1.0),
    }
    CACHES = {
        "default": {"BACKEND": "osms.core.cache.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_CACHE_OPTIONS},
        "ratelimit": {
            "BACKEND": "osms.core.cache.RateLimitRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        },
        "shell": SHELL_CACHE,
    }
    RATELIMIT_USE_CACHE = "ratelimit"
else:
    # A database cache is shared by every process of `make run`, which rate limits need.
    # Rate limits count there too, each increment under the row's lock (osms/core/cache.py).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
        "ratelimit": {"BACKEND": "osms.core.cache.RateLimitDatabaseCache", "LOCATION": "portal_cache"},
        "shell": SHELL_CACHE,
    }
    RATELIMIT_USE_CACHE = "ratelimit"

# --- Accounts --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:cabinet"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions end after 30 idle minutes (IdleSessionTimeoutMiddleware) and when the browser closes.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failed sign-ins (django-axes): per IIN and address together.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "osms.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "osms.core.client_address.axes_ip"
AXES_VERBOSE = False
# Masked in the failure records: the IIN (axes' default), and an EDS sign-in's signature and challenge.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "eds_cms", "eds_token"]

# The client's address (osms/core/client_address.py, ADR 0011): the socket's address unless reverse
# proxies are declared; then the entry the outermost one appended to X-Forwarded-For.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])  # networks, e.g. 10.0.0.0/8

# One-time codes (SMS)
OTP_CODE_TTL_SECONDS = env.int("OTP_CODE_TTL_SECONDS", default=300)
OTP_CODE_MAX_ATTEMPTS = 5
OTP_TOTP_ISSUER = "OSMS portal"

# Rate limits (django-ratelimit), "count/period"
RATELIMIT_VIEW = "osms.core.views.ratelimited"
RATELIMITS = {
    "login": env("RATELIMIT_LOGIN", default="20/m"),
    "code_request": env("RATELIMIT_CODE_REQUEST", default="5/h"),
    "public_lookup": env("RATELIMIT_PUBLIC_LOOKUP", default="30/m"),
    "api_key": env("RATELIMIT_API_KEY", default="600/m"),  # per partner API key (osms/coverage/api.py)
    "public_appeal_check": env("RATELIMIT_PUBLIC_APPEAL_CHECK", default="10/m"),
    "appeal_file": env("RATELIMIT_APPEAL_FILE", default="20/h"),  # per citizen
    "appeal_upload": env("RATELIMIT_APPEAL_UPLOAD", default="60/h"),  # per citizen
}
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_IP_META_KEY = "osms.core.client_address.ratelimit_ip"

# --- Internationalisation ----------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kazakh formats: the project supplies day.month.year dates and spaced thousands.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Citizens' uploads live outside any public URL and are served by access-checked views only.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))

# Every upload is scanned by ClamAV's clamd (osms/core/uploads.py, ADR 0012): a unix socket path
# (unix:///run/clamav/clamd.ctl) or tcp://host:port. Unset: uploads are refused, never passed unscanned,
# except where CLAMAV_REQUIRED is off (development without clamd, never production).
CLAMAV_URL = env("CLAMAV_URL", default="")
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=15.0)
CLAMAV_REQUIRED = env.bool("CLAMAV_REQUIRED", default=True)

# --- Forms ---------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Security headers ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: the GOV.UK Frontend script is a static file and inline
# <script> blocks, if ever needed, carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    # NCALayer, the EDS client on the citizen's computer, listens on this local WebSocket.
    "connect-src": [CSP.SELF, "wss://127.0.0.1:13579"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Celery --------------------------------------------------------------------------------------------------
# Redis in production and CI; without REDIS_URL a SQLite file is the broker (docs/adr/0002).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged when done, so a killed worker's task runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redelivery of an unacknowledged message after 5 minutes: well under the 15-minute deadline of
# the statement service, and far longer than any task of the portal runs.
# (The SQLite-file broker of `make run` has no such option: it hands its options to SQLAlchemy.)
# A broker that does not answer fails the publish within about a second (the connect timeout and
# one quick retry): the on-commit enqueue logs it and the row waits for its sweep (osms/core/outbox.py).
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
        "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
    }
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Outbox timings (osms/core/notifications.py): a pending SMS or email untouched for LOST_AFTER seconds
# is queued again; a claim not finished within CLAIM_LEASE seconds (more than the send task's 28 s
# time limit) belonged to a worker that died; the notifications sweep runs every OUTBOX_SWEEP_SECONDS.
NOTIFICATION_LOST_AFTER = env.float("NOTIFICATION_LOST_AFTER", default=45.0)
NOTIFICATION_CLAIM_LEASE = env.float("NOTIFICATION_CLAIM_LEASE", default=30.0)
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=15.0)
# The first retry of a send the gateway failed; later ones double, up to four times this.
NOTIFICATION_RETRY_SECONDS = env.float("NOTIFICATION_RETRY_SECONDS", default=30.0)
# One sweep per area: finds what is due or overdue in the database and acts through services.
# The outbox sweeps run often (each is one indexed query): a message the broker lost or never took
# is queued again within about a minute of its row's lease or lost-message time (ADR 0013).
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "osms.core.tasks.notifications_sweep", "schedule": OUTBOX_SWEEP_SECONDS},
    "coverage-import-requeue": {"task": "osms.coverage.tasks.import_jobs_requeue", "schedule": 30.0},
    "statements-sweep": {"task": "osms.statements.tasks.statements_sweep", "schedule": 15.0},
    "clinics-sweep": {"task": "osms.clinics.tasks.attachments_sweep", "schedule": 300.0},
    "temporary-status-sweep": {"task": "osms.temporary_status.tasks.temporary_status_sweep", "schedule": 900.0},
    "appeals-sweep": {"task": "osms.appeals.tasks.appeals_sweep", "schedule": 900.0},
    "representation-sweep": {"task": "osms.representation.tasks.requests_sweep", "schedule": 900.0},
}


# --- Notifications -----------------------------------------------------------------------------------------------
# Email (Django's MAILERS): SMTP in production, the console in development, memory in tests.
def mailers(backend: str) -> dict:
    options = {}
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options = {
            "host": env("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env("EMAIL_HOST_USER", default=""),
            "password": env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            # A hung SMTP server must not hold a delivery's claim past its lease (notifications.py).
            "timeout": env.float("EMAIL_TIMEOUT", default=10.0),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers(env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@osms.example.kz")
SMS_BACKEND = env("SMS_BACKEND", default="osms.core.sms.ConsoleSmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_SENDER = env("SMS_GATEWAY_SENDER", default="OSMS")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)

# --- Signatures of requests: the SMS one-time code by default; NCANode (EDS made with NCALayer) when set
NCANODE_URL = env("NCANODE_URL", default="")
NCANODE_TIMEOUT = env.float("NCANODE_TIMEOUT", default=10.0)
NCANODE_REVOCATION_CHECK = env.list("NCANODE_REVOCATION_CHECK", default=["OCSP"])
EDS_CHALLENGE_TTL_SECONDS = env.int("EDS_CHALLENGE_TTL_SECONDS", default=300)

# --- Logging: one JSON object per line, with the request id ------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "osms.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "osms.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Audit -----------------------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- The portal ---------------------------------------------------------------------------------------------------
PORTAL_CONTACTS = {
    "call_centre": "1414",
    "fund_contact_centre": "1406",  # the Fund's own free contact centre (seed 003, Приложение 1)
    "state_services_centre": "8-800-080-7777",  # the single contact centre for state services, beside 1414
    "qoldau": "Qoldau 24/7",
    "telegram": "@SaqtandyryBot",
    "telegram_url": "https://t.me/SaqtandyryBot",
    "fund_site": "https://msqory.kz",  # the Fund's official site (seed 001)
}
CSRF_FAILURE_VIEW = "osms.core.views.csrf_failure"

# The recipient written on every OSMS contribution (КНП 122) in "How to pay": all OSMS payments go
# through the State Corporation to the Fund's account (seed 001). Set the Fund's current details here.
PAYMENT_RECIPIENT_NAME = env(
    "PAYMENT_RECIPIENT_NAME", default="НАО «Государственная корпорация «Правительство для граждан»»"
)
PAYMENT_RECIPIENT_BIN = env("PAYMENT_RECIPIENT_BIN", default="160440007161")

# The Prometheus scraper's bearer token for /metrics (ADR 0014); empty: staff sessions only.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
