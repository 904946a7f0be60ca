"""Settings from environment variables (parsed by grants_office.env), each setting named here.

With no configuration at all this is the embedded default: SQLite and files under var/, eager Celery,
e-mail to the console. Production sets DATABASE_URL, a broker, S3 and SMTP (see README.md).
"""

import json
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from grants_office import api_schema, csp, personal_data, schedule, single_sign_on
from grants_office.env import cache_settings, env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (production) or DEBUG=true (local development only)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm_log",
    "django_htmx",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "grants_office.core",
    "grants_office.calls",
    "grants_office.members",
    "grants_office.identity",
    "documents",
    "events",
    "workflows",
    "cooperation",
    "notifications",
    "reports",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the audit trail's entries carry the signed-in person and the client address (API tokens: in the view)
    "grants_office.core.middleware.AuditMiddleware",
    # Idempotency-Key: the rest of an API write runs in the transaction that keeps its answer
    "grants_office.core.idempotency.IdempotencyMiddleware",
    "grants_office.members.middleware.UserPreferencesMiddleware",
    "grants_office.identity.middleware.SecondFactorMiddleware",  # the office: a second factor first
    "privacy.middleware.NoticeMiddleware",  # the privacy notice, until accepted
    "grants_office.core.middleware.StorageUnavailableMiddleware",
    "grants_office.core.middleware.DomainErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grants_office.core.middleware.ContentSecurityPolicyMiddleware",
    # last, as django-axes asks: it turns a sign-in refused for a lockout into our lockout answer
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grants_office.urls"
WSGI_APPLICATION = "grants_office.wsgi.application"
ASGI_APPLICATION = "grants_office.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grants_office" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grants_office.members.context_processors.office",
                "notifications.context_processors.inbox",
                "grants_office.identity.oidc.sign_in_choices",
            ],
        },
    },
]

# Database: DATABASE_URL in production and CI (PostgreSQL), SQLite under var/ otherwise.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache (issue 12: tokens and sign-in): throttles, reset-mail limits and short-lived answers must be
# counted once for all web processes, so never the per-process memory cache. Redis when CACHE_URL or
# REDIS_URL is set; the database otherwise (the embedded default: `manage.py createcachetable`).
CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
CACHES = {"default": cache_settings(CACHE_URL)}

# Signing in: backends, lockout, reset limits, the second factor (grants_office/sign_in.py) and single
# sign-on, off unless configured (its OIDC_* settings: grants_office/single_sign_on.py).
from grants_office.sign_in import *  # noqa: E402, F403

globals().update(single_sign_on.SETTINGS)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time
LANGUAGE_CODE = env("LANGUAGE_CODE", "tr")
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True
# The funder's time zone when a call does not name one: EU deadlines are Brussels time.
DEFAULT_FUNDER_TIME_ZONE = "Europe/Brussels"
ZoneInfo(DEFAULT_FUNDER_TIME_ZONE)
# The union the office serves: on its reports, PDFs and calendar feeds.
UNION_NAME = env("UNION_NAME", "Trakya Belediyeler Birliği")
# The public certificate check (/verify/<code>/): lookups per client address in a window of seconds, so
# codes cannot be guessed by trying (12 characters of 31 make that hopeless anyway; this keeps it quiet).
VERIFY_RATE_LIMIT = int(env("VERIFY_RATE_LIMIT", "30"))
VERIFY_RATE_WINDOW = int(env("VERIFY_RATE_WINDOW", "600"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG

# Object storage: S3 when S3_BUCKET is set, local files under MEDIA_ROOT otherwise.
S3_BUCKET = env("S3_BUCKET")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL") or None
S3_REGION = env("S3_REGION", "us-east-1")
S3_ACCESS_KEY_ID = env("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env("S3_SECRET_ACCESS_KEY")
S3_ADDRESSING_STYLE = env("S3_ADDRESSING_STYLE", "path")
S3_SERVER_SIDE_ENCRYPTION = env("S3_SERVER_SIDE_ENCRYPTION")  # e.g. AES256; empty for none
if S3_BUCKET:
    _s3_options = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": S3_ENDPOINT_URL,
        "region_name": S3_REGION,
        "access_key": S3_ACCESS_KEY_ID,
        "secret_key": S3_SECRET_ACCESS_KEY,
        "addressing_style": S3_ADDRESSING_STYLE,
        "file_overwrite": False,
        "default_acl": None,
        "querystring_expire": 300,
    }
    if S3_SERVER_SIDE_ENCRYPTION:
        _s3_options["object_parameters"] = {"ServerSideEncryption": S3_SERVER_SIDE_ENCRYPTION}
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Storage timeouts and Object Lock (documents.storage, docs/documents.md): an S3 endpoint that does not
# answer fails within seconds as 503 `storage_unavailable` (with Retry-After) instead of holding a web
# worker; with S3_OBJECT_LOCK_RETENTION_DAYS set, each accepted version gets a GOVERNANCE retention.
S3_CONNECT_TIMEOUT = float(env("S3_CONNECT_TIMEOUT", "5"))
S3_READ_TIMEOUT = float(env("S3_READ_TIMEOUT", "5"))
S3_MAX_ATTEMPTS = int(env("S3_MAX_ATTEMPTS", "2"))  # the first try included
STORAGE_RETRY_AFTER = int(env("STORAGE_RETRY_AFTER", "30"))  # seconds, in the 503's Retry-After
S3_OBJECT_LOCK_RETENTION_DAYS = int(env("S3_OBJECT_LOCK_RETENTION_DAYS") or 0) or None  # empty: off

# Celery: a broker in production; tasks run eagerly in the embedded default.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers a message that was taken but never acknowledged (a worker died) after this long.
# A publish that cannot reach the broker gives up at once (the outbox and e-mail sweeps resend what
# was not sent): a write never waits on a broker that is down (grants_office.celery.publish).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "max_retries": 0,
    **json.loads(env("CELERY_BROKER_TRANSPORT_OPTIONS", "{}")),
}
# The queues (e-mail on its own), routes and the static beat schedule: grants_office/schedule.py.
CELERY_TASK_DEFAULT_QUEUE = schedule.DEFAULT_QUEUE
CELERY_TASK_QUEUES = schedule.QUEUES
CELERY_TASK_ROUTES = schedule.ROUTES
CELERY_BEAT_SCHEDULE = schedule.BEAT_SCHEDULE

# E-mail: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
    # RFC 5321 gives a server minutes to answer the final dot; a client that gives up sooner than the
    # server answers sends the mail again. The e-mail lease must outlast it (checked below).
    EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "60"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "EU Project Office <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers that are right in every mode; HTTPS ones only behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Production posture (issue 12): with DEBUG off, plain http is redirected to https and browsers are told
# to use https only (HSTS; subdomains and the preload list only when asked for). The health endpoints
# answer over http too, so a load balancer can probe the process directly.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# The OpenAPI schema and its UI: for signed-in people in production, public in DEBUG or when asked for.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", default=DEBUG)
# /readyz: each dependency must answer within this many seconds.
READINESS_TIMEOUT = float(env("READINESS_TIMEOUT", "2"))

# The audit trail (grants_office/core/audit.py, privacy/tracked.py): fixtures loaded raw are not changes.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "grants_office.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "grants_office.core.api.Pagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "grants_office.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # the token endpoint's throttle (grants_office.identity.api.LoginThrottle), per client address; the
    # exports of a person's data (privacy.api.exports.ExportThrottle), per person: each one packs files
    "DEFAULT_THROTTLE_RATES": {
        "login": env("LOGIN_THROTTLE_RATE", "20/min"),
        "data_export": env("DATA_EXPORT_THROTTLE_RATE", "10/hour"),
    },
    # No 500s (issue 12, scope 8): JSON bodies nest at most 64 levels and carry no NUL character
    # (grants_office/core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "grants_office.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(env("API_TOKEN_TTL_HOURS", "10"))),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}

# Sign-in limits (issue 12: tokens and sign-in). The client address of every counter is
# grants_office.core.security.client_ip: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front the
# address the outermost of them saw, never a header the client wrote.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# The OpenAPI schema and its UI, enum names and the hooks that document errors: grants_office/api_schema.py.
SPECTACULAR_SETTINGS = api_schema.SPECTACULAR_SETTINGS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes logs every successful sign-in at INFO; failures and lockouts are warnings
    "loggers": {"axes": {"level": env("AXES_LOG_LEVEL", "WARNING")}},
}

# Content-Security-Policy: grants_office/csp.py.
CONTENT_SECURITY_POLICY = csp.POLICY
CONTENT_SECURITY_POLICY_EXCEPTIONS = csp.EXCEPTIONS

# Documents (see documents/): upload limits and signed-URL lifetimes.
DOCUMENTS_MAX_UPLOAD_SIZE = int(env("DOCUMENTS_MAX_UPLOAD_SIZE", str(50 * 1024 * 1024)))
DOCUMENTS_UPLOAD_URL_TTL = 15 * 60
DOCUMENTS_DOWNLOAD_URL_TTL = 5 * 60

# Personal data (docs/privacy.md): exports, the hold of an award, retention (grants_office/personal_data.py).
PRIVACY_EXPORT_DAYS = personal_data.EXPORT_DAYS
PRIVACY_EXPORT_INLINE_BYTES = personal_data.EXPORT_INLINE_BYTES
PRIVACY_FUNDED_RETENTION_YEARS = personal_data.FUNDED_RETENTION_YEARS
PRIVACY_RETENTION_MONTHS = personal_data.RETENTION_MONTHS

# Notifications (see notifications/ and docs/notifications.md).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
NOTIFICATIONS_DEADLINE_OFFSETS = [
    int(days) for days in env_list("NOTIFICATIONS_DEADLINE_OFFSETS", "30,14,7,1")
]
# Days before a review is due on which the reviewer is reminded.
NOTIFICATIONS_REVIEW_OFFSETS = [int(days) for days in env_list("NOTIFICATIONS_REVIEW_OFFSETS", "3,1")]
# A review round's default due date falls this many working days (Mon-Fri) before the call deadline.
REVIEW_DUE_MARGIN_WORKING_DAYS = int(env("REVIEW_DUE_MARGIN_WORKING_DAYS", "3"))
NOTIFICATIONS_EMAIL_MAX_RETRIES = int(env("NOTIFICATIONS_EMAIL_MAX_RETRIES", "5"))
NOTIFICATIONS_EMAIL_RETRY_BASE = int(env("NOTIFICATIONS_EMAIL_RETRY_BASE", "60"))  # seconds, doubled each try
# A row being sent is claimed for this long; after it a redelivered task may send it again.
NOTIFICATIONS_EMAIL_LEASE = float(env("NOTIFICATIONS_EMAIL_LEASE", "300"))
# Pending e-mails older than this (past their next try) are queued again by the 15-minute scan.
NOTIFICATIONS_EMAIL_STALL_GRACE = int(env("NOTIFICATIONS_EMAIL_STALL_GRACE", "600"))
# An e-mail whose retries are spent waits for the sweep (hourly tries) until this long after it was written.
NOTIFICATIONS_EMAIL_GIVE_UP_HOURS = int(env("NOTIFICATIONS_EMAIL_GIVE_UP_HOURS", "72"))
if EMAIL_HOST and NOTIFICATIONS_EMAIL_LEASE <= 3 * EMAIL_TIMEOUT:
    # connect, DATA and the final answer may each take EMAIL_TIMEOUT: a shorter lease lets a second
    # worker send a mail the first is still sending.
    raise ImproperlyConfigured("NOTIFICATIONS_EMAIL_LEASE must be longer than 3 × EMAIL_TIMEOUT")

# Idempotency (grants_office/core/idempotency.py, concurrency.py; docs/architecture.md "Headers clients
# can send"): how long the answer to a request with an Idempotency-Key is kept for its retries, and how
# long a retry waits for the first request with its key to finish before answering 409.
IDEMPOTENCY_KEY_TTL = timedelta(hours=int(env("IDEMPOTENCY_KEY_TTL_HOURS", "24")))
IDEMPOTENCY_WAIT_SECONDS = float(env("IDEMPOTENCY_WAIT_SECONDS", "10"))
