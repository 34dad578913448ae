"""Settings for Statement Tracker, all driven by the environment.

One file for every place the app runs (HackSoft's styleguide): development,
tests, CI and production differ only in environment variables.

- ``DATABASE_URL``: ``postgres://user:pass@host:port/name`` selects PostgreSQL;
  unset means an SQLite file under ``var/``.
- ``SECRET_KEY``: required when ``DEBUG`` is off.
- ``DEBUG``: ``1``/``true`` to turn on (default on, for ``make run``).
- ``ALLOWED_HOSTS``: comma-separated host names.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn a ``postgres://`` or ``sqlite:///`` URL into a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        # An unreachable server must fail fast: /healthz answers 503 within 2 s, and a
        # page answers 503 instead of holding a worker until the client gives up.
        options.setdefault("connect_timeout", os.environ.get("DB_CONNECT_TIMEOUT", "2"))
        # No JIT compilation: it pays off for analytic queries that run for seconds, and
        # here it only adds its compile time to every whole-table count and chart a
        # summary recomputes after a write (docs/benchmark.md). ``?options=`` overrides.
        options.setdefault("options", "-c jit=off")
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
        if env_bool("DB_POOL", False):
            # psycopg's connection pool (make serve): one pool per process; Django requires
            # CONN_MAX_AGE = 0 with it.
            config["CONN_MAX_AGE"] = 0
            options["pool"] = {
                "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DB_POOL_MAX", "8")),
                # Seconds a request waits for a pooled connection before it answers 503.
                "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "3")),
            }
        return config
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path: drop the separator slash.
        path = unquote(parts.path)
        path = path[1:] if path.startswith("/") else path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or ":memory:"}
    raise ImproperlyConfigured(f"DATABASE_URL has an unsupported scheme: {scheme!r}")


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "taggit",
    "simple_history",
    "actors",
    "statements",
    "loadtest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer on its own (the page cache, CommonMiddleware):
    # CORS headers on /api/ only (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.replicas.ReplicaReadsMiddleware",
    "tracker.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
    # Streaming replicas of the primary: anonymous page views read from them
    # (tracker/replicas.py). Tests mirror them onto the primary.
    REPLICA_DATABASES = []
    for number, url in enumerate(env_list("DATABASE_REPLICA_URLS")):
        alias = f"replica{number}"
        DATABASES[alias] = {**database_from_url(url), "TEST": {"MIRROR": "default"}}
        REPLICA_DATABASES.append(alias)
    if REPLICA_DATABASES:
        DATABASE_ROUTERS = ["tracker.replicas.ReplicaRouter"]
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "tracker.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }

# The statement list's indexes carry non-key columns (INCLUDE) so PostgreSQL answers a
# public page's count from the index alone. SQLite has no such columns: it keeps the
# key columns and drops the rest, which is all the embedded database needs, so its
# warning (models.W040, printed by every migrate) says nothing to act on.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process caches. Entries are keyed by the data version (tracker/data_version.py), so
# any number of processes and servers stay consistent without a shared cache; a shared
# one (Redis, memcached) only saves each process its first computation.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tracker-default",
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
    "pages": {  # whole pages for anonymous readers, ~100 KB each (tracker/page_cache.py)
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tracker-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# How long a kept page may occupy memory (0: no page cache). Off under DEBUG, so a
# template edit shows at once while developing.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "600"))
# PostgreSQL: after a slug rename commits, re-render the CSV rows it queued in a
# background thread of the writing process (statements/csv_refresh.py). The tests turn it
# off and drain the queue themselves.
CSV_REFRESH_IN_BACKGROUND = env_bool("CSV_REFRESH_IN_BACKGROUND", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
# Hashed, compressed static files once collectstatic has run (make serve); tests and
# make run use the plain storage so they need no collectstatic.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if not STATIC_MANIFEST:
    # Without collectstatic, whitenoise serves from the finders; an empty root keeps it
    # from warning on every request.
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

LOGIN_URL = "admin:login"

TAGGIT_CASE_INSENSITIVE = True

# Django 6 behaviour now: a URL typed without a scheme means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# Public site: how many rows a list page shows.
PAGE_SIZE = 50

# The JSON API (/api/, statements/api/). Read-only; anonymous callers get published data
# at API_ANON_RATE, token holders (tokens are made in the admin) at API_TOKEN_RATE.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "statements.api.throttles.AnonymousThrottle",
        "statements.api.throttles.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "60/min"),
        "user": os.environ.get("API_TOKEN_RATE", "1200/min"),
    },
    # The client address for the anonymous limit: as many proxies as the login throttle
    # trusts (0: REMOTE_ADDR; a forged X-Forwarded-For changes nothing).
    "NUM_PROXIES": int(os.environ.get("TRUSTED_PROXY_COUNT", "0")),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Statement Tracker API",
    "DESCRIPTION": (
        "Read-only access to who said what, when, in which source, about which claims "
        "and events. Lists take the filters of the matching HTML list (a bad or unknown "
        'parameter answers 400 with {"field": ["message"]}) and page with opaque '
        "cursors: follow `next` until it is null. Anonymous callers see published data "
        "only and are rate-limited (429 with Retry-After); staff with a token "
        "(`Authorization: Token <key>`) also see drafts, with their `status`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Served from the sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge (an image from validator.swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "statements.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "statements.models.choices.DatePrecision",
        "PublicationStatusEnum": "statements.models.choices.Status",
        "ActorKindEnum": "actors.models.ActorKind",
        "EventKindEnum": "statements.models.choices.EventKind",
    },
}
# Cross-origin reads of the API from any origin; nothing else of the site is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# =====================================================================================
# Security. Everything below is on in production (DEBUG=0) and can be tuned
# by environment variables; `manage.py check --deploy --fail-level WARNING` passes with
# DEBUG=0 SECRET_KEY=<50+ random chars> ALLOWED_HOSTS=<host>.
#
# - SECURE_SSL_REDIRECT (default: on unless DEBUG): redirect plain HTTP to HTTPS.
# - SECURE_HSTS_SECONDS (default: one year unless DEBUG), SECURE_HSTS_INCLUDE_SUBDOMAINS
#   (default on), SECURE_HSTS_PRELOAD (default on unless DEBUG; the header only *allows*
#   a submission to the browsers' preload list, it does not make one).
# - SECURE_PROXY_SSL_HEADER=1: trust X-Forwarded-Proto: https from the reverse proxy.
#   Only set it when the proxy always sets (overwrites) that header.
# - TRUSTED_PROXY_COUNT (default 0): how many reverse proxies append to X-Forwarded-For
#   in front of the app; login throttling then takes the client address they saw.
#   0 means REMOTE_ADDR, so a forged X-Forwarded-For changes nothing.
# - LOGIN_FAILURE_LIMIT (default 5) failures for one username or one client address
#   within LOGIN_LOCKOUT_SECONDS (default 900) lock that username/address out.
# =====================================================================================

INSTALLED_APPS += ["tracker"]  # noqa: F405 - login failure records, tag-link history

# Outermost, so every response gets the headers: CSV, 400, 404, redirects, static.
MIDDLEWARE.insert(0, "tracker.middleware.SecurityHeadersMiddleware")

AUTHENTICATION_BACKENDS = ["tracker.auth.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True  # nothing here reads the token from JavaScript
CSRF_COOKIE_SAMESITE = "Lax"

# A pasted source text may be up to 300,000 characters (statements.services
# MAX_INGEST_CHARS): up to 1.2 MB of UTF-8 in the request body, outside the file field,
# more when form-encoded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
