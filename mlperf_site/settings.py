"""Settings for the MLPerf Inference results site.

One module, driven by environment variables (see README.md, "Configuration").
A fresh clone runs on SQLite with no configuration; production refuses to
start without a real secret key.
"""

import datetime as dt
import os
from pathlib import Path

from django.core.checks.security.base import (
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from mlperf_site.env import database_from_url, env_bool, env_int, env_list, proxy_ssl_header

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Mode --------------------------------------------------------------------

DEBUG = env_bool(os.environ.get("DJANGO_DEBUG"), name="DJANGO_DEBUG")

# Set by the test configuration only ([tool.pytest.ini_options] env in
# pyproject.toml). It allows the placeholder key and plain static files storage
# while keeping DEBUG off, so tests run with production settings otherwise.
TESTING = env_bool(os.environ.get("DJANGO_TESTING"), name="DJANGO_TESTING")

# --- Secret key --------------------------------------------------------------

INSECURE_SECRET_KEY = "django-insecure-placeholder-for-development-and-tests-only"

MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set (or is the insecure placeholder) and DEBUG is off. "
    "Set DJANGO_SECRET_KEY to a long random value in production, "
    "or set DJANGO_DEBUG=1 for local development."
)

# A key matters where something is signed (sessions, CSRF, password resets).
# With DEBUG off and no real key it stays empty: Django refuses every use of it,
# and the site refuses to start (mlperf_site.wsgi, so gunicorn and runserver).
# Commands that sign nothing (migrate, makemigrations, collectstatic) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if SECRET_KEY in ("", INSECURE_SECRET_KEY):
    SECRET_KEY = INSECURE_SECRET_KEY if DEBUG or TESTING else ""
elif not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
):
    # Django's own deploy check (security.W009) only warns; a weak key is refused here.
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} characters, "
        f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

# --- Hosts -------------------------------------------------------------------

ALLOWED_HOSTS = env_list(os.environ.get("DJANGO_ALLOWED_HOSTS"), ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS"))

# --- Applications ------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from static/ (no CDN)
    "results",
    "submissions",
    "charts",
    "search",
    "compare",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mlperf_site.middleware.SecurityHeaders",
    # Compresses public anonymous responses only (BREACH): see results.compression.
    "results.compression.PublicGZipMiddleware",
    "mlperf_site.middleware.RejectImpossibleInput",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mlperf_site.urls"
WSGI_APPLICATION = "mlperf_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int(os.environ.get("DB_CONN_MAX_AGE"), 0, name="DB_CONN_MAX_AGE"),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and wait for it up to the
    # timeout: a deferred transaction that upgrades to a write while another writes
    # fails at once with "database is locked" (concurrent uploads gave 500s).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds a rendered round page may be served from the cache (results/cache.py); 0 turns
# it off. Publishing, corrections and imports drop a round's pages, but only a shared
# cache (Redis) carries that to every web process: without one, keep it short.
RESULTS_CACHE_TIMEOUT = env_int(
    os.environ.get("RESULTS_CACHE_TIMEOUT"),
    86400 if REDIS_URL else 300,
    name="RESULTS_CACHE_TIMEOUT",
)
# A query parameter that makes a round page render afresh, never from the cache, for
# benchmarks ("nocache"); empty (the default): none, so no URL can skip the cache.
RESULTS_CACHE_BYPASS_PARAM = os.environ.get("RESULTS_CACHE_BYPASS_PARAM", "")
# With Redis, each process also keeps up to this many bytes of pages it served in memory
# and asks Redis only for the round's generation (a page's key never changes content).
RESULTS_CACHE_LOCAL_BYTES = (32 << 20) if REDIS_URL else 0

# --- Round pages -------------------------------------------------------------

# A round page shows every table whole up to this many rows in all (v0.7 has 321) ...
RESULTS_PAGE_MAX_ROWS = 400
# ... and past it, the first rows of each table, linking to the table's own pages.
RESULTS_TABLE_PREVIEW_ROWS = 25
RESULTS_TABLE_PAGE_ROWS = 100

# --- Passwords ---------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Throttling --------------------------------------------------------------

# Login and admin login (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account, or from one address, that account or address is refused (429) for the
# cool-off time, the right password included. Attempts are kept in the database, so
# every web process counts the same ones.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int(os.environ.get("AXES_FAILURE_LIMIT"), 5, name="AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures only: no row per successful login
AXES_CLIENT_IP_CALLABLE = "mlperf_site.accounts.client_ip"
# Behind a proxy, the request header that carries the visitor's address (HTTP_X_REAL_IP);
# empty: REMOTE_ADDR. Throttling by address needs it, or every visitor is the proxy.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
# Password-reset requests (mlperf_site.accounts, django-ratelimit in the cache).
PASSWORD_RESET_RATE_PER_ADDRESS = "5/h"
PASSWORD_RESET_RATE_PER_ACCOUNT = "3/h"

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# Production serves hashed, compressed files collected by `collectstatic`;
# development and tests use plain storage so they need no collectstatic.
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development and tests: WhiteNoise serves straight from static/ (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Accounts and email ------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "submissions:index"
LOGOUT_REDIRECT_URL = "/"

# Receipts and password resets. The console backend prints mail to the log
# unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int(os.environ.get("EMAIL_PORT"), 587, name="EMAIL_PORT")
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool(os.environ.get("EMAIL_USE_TLS"), True, name="EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool(os.environ.get("EMAIL_USE_SSL"), False, name="EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "MLPerf results <noreply@localhost>"
)
# The site's address for links in mail sent outside a request (the check worker).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# --- Submission uploads and checks -------------------------------------------

# Uploaded archives: private storage, never served (not under MEDIA_ROOT).
SUBMISSION_STORAGE_ROOT = os.environ.get("SUBMISSION_STORAGE_ROOT") or str(BASE_DIR / "uploads")
STORAGES["submissions"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": SUBMISSION_STORAGE_ROOT,
        "file_permissions_mode": 0o640,
        "directory_permissions_mode": 0o750,
    },
}
# Anything bigger than this goes to a temporary file while it is received.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
SUBMISSION_MAX_UPLOAD_BYTES = env_int(
    os.environ.get("SUBMISSION_MAX_UPLOAD_BYTES"), 4 << 30, name="SUBMISSION_MAX_UPLOAD_BYTES"
)
# Passed to mlperf.Limits: bounds on what one archive may unpack to.
SUBMISSION_LIMITS = {
    "max_files": env_int(
        os.environ.get("SUBMISSION_MAX_FILES"), 100_000, name="SUBMISSION_MAX_FILES"
    ),
    "max_total_bytes": env_int(
        os.environ.get("SUBMISSION_MAX_UNPACKED_BYTES"),
        16 << 30,
        name="SUBMISSION_MAX_UNPACKED_BYTES",
    ),
    "max_ratio": 200.0,
}

# A check (or an acceptance) whose worker has not written a heartbeat for this long is
# taken to be dead: the reaper (submissions.reaper, in `manage.py check_worker` and
# `manage.py reap_stalled_checks`) queues it again, up to SUBMISSION_CHECK_ATTEMPTS
# times, then marks it stalled with the reason.
SUBMISSION_CHECK_LEASE_SECONDS = env_int(
    os.environ.get("SUBMISSION_CHECK_LEASE_SECONDS"), 300, name="SUBMISSION_CHECK_LEASE_SECONDS"
)
SUBMISSION_CHECK_ATTEMPTS = 3

# Background checks (django-tasks). The database backend queues them for the
# worker (`python manage.py db_worker`); tests run them at once.
TASKS_IMMEDIATE = env_bool(
    os.environ.get("DJANGO_TASKS_IMMEDIATE"), TESTING, name="DJANGO_TASKS_IMMEDIATE"
)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Third-party apps --------------------------------------------------------

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# The public API (api/): anonymous and read-only, so no authentication is read at all.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MLPerf Inference Results API",
    "DESCRIPTION": (
        "Read-only and anonymous: the published rounds as the public pages show them, "
        "never a round before its embargo ends, whoever asks (no session is read). "
        "Lists are paginated (page, page_size up to 1000) in a fixed order; filters are "
        "the round page's; an unknown parameter or value is a 400 naming it. Results "
        "are the rows of the round's CSV/JSON downloads. See docs/API.md."
    ),
    "VERSION": "1",
    # 3.1: a nullable nested object (a system without an accelerator) is a plain oneOf.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Security (production) ---------------------------------------------------

# The site runs behind a reverse proxy that terminates TLS. Tell Django which
# header the proxy sets, e.g. DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"))

# Sent on every response (mlperf_site.middleware.SecurityHeaders): no inline script or
# style, nothing from elsewhere, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    # The proxy redirects to HTTPS; opt in here only if it does not.
    SECURE_SSL_REDIRECT = env_bool(
        os.environ.get("DJANGO_SECURE_SSL_REDIRECT"), name="DJANGO_SECURE_SSL_REDIRECT"
    )
    # HSTS is a commitment browsers remember: off unless the operator sets it.
    SECURE_HSTS_SECONDS = env_int(
        os.environ.get("DJANGO_SECURE_HSTS_SECONDS"), 0, name="DJANGO_SECURE_HSTS_SECONDS"
    )

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Replace Django's own handlers (console only when DEBUG, mail_admins)
        # so every record goes to the console exactly once.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
