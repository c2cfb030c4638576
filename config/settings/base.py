"""Settings shared by every environment, driven by the environment variables.

DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL; SQLite when unset),
CSRF_TRUSTED_ORIGINS, EMAIL_URL-like settings are read here; dev.py, test.py and prod.py only
change defaults.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: only true/false/1/0/yes/no/on/off (any case) are accepted."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address, for links in emails and decision records made outside a request
# (seed_demo, commands); requests use their own host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "config.apps.ProjectConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "patterns",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.errors.ApiJsonErrorsMiddleware",  # error responses under /api/ as JSON
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # refuses oversized bodies (before reading them) and invalid characters (NUL, ...)
    "config.input.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "reviews.http.HtmxLoginRedirectMiddleware",  # htmx: HX-Redirect to the login page
    "config.middleware.BidiIsolationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.sessions.IdleTimeoutMiddleware",
    "config.throttling.CurrentRequestMiddleware",
    # last: turns a lockout (login, HTTP Basic, sign-off password) into its 429 answer
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # branded page; JSON under /api/
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers on one file: write-ahead log (readers never wait for a writer), every
    # transaction takes the write lock when it starts (BEGIN IMMEDIATE: no deadlock between two
    # readers that both want to write), and a writer waits up to 20 s for the lock instead of
    # failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# "fragments": rendered HTML that depends only on what its key names (a published catalog's
# version, the language, an answer set): each process keeps its own, bounded, and losing it
# costs only a re-render, so app servers stay stateless. "default" is Django's usual local cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hakari-fragments",
        "TIMEOUT": int(os.environ.get("FRAGMENT_CACHE_SECONDS", "3600")),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "1000"))},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username + address is refused before any password hash
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # dates as 2026/12/01 in Japanese (config/formats/ja)
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hakari@localhost")

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after SESSION_IDLE_TIMEOUT seconds without a request (default a
# working day); config.sessions.IdleTimeoutMiddleware slides it forward, at most one session
# write every SESSION_REFRESH_SECONDS. Changing a password ends every other session of that
# user (Django's session auth hash).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(8 * 3600)))
SESSION_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10 or 1)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_MINUTES (every further try restarts
# the wait); the login form, HTTP Basic on the API and the sign-off password all count.
# Lockouts are listed (and can be lifted) in the admin under "Axes".
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.throttling.lockout_response"
# The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address the
# outermost of them saw (X-Forwarded-For, counted from the right).
AXES_CLIENT_IP_CALLABLE = "config.throttling.client_ip"
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_VERBOSE = False

# Request size limits, enforced before the body is read (config.input): a form post, a JSON
# body, an upload (a decision record PDF is well under 1 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_REQUEST_BODY = {"default": 2 * 1024 * 1024, "/verify/": 20 * 1024 * 1024}

# Background work (django-tasks, the database backend: any number of `manage.py db_worker`
# processes on any machine share the queue in the database). TASKS_BACKEND=immediate runs
# tasks in the request instead (no worker needed).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", "database")]
    }
}
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy sent on every response (config.middleware): no inline script, no
# third-party origin. htmx is told not to inject its indicator style (see base.html).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# The installation's signing keys (reviews.signing): the directory holding the CA and the
# time-stamping key (created by `manage.py pki init`, encrypted with the passphrase), never
# inside the repository and never in the database. Development and the tests make a CA of their
# own when it is missing (HAKARI_PKI_AUTO_INIT); production needs `pki init` run once.
HAKARI_PKI_DIR = os.environ.get("HAKARI_PKI_DIR", "")
HAKARI_PKI_PASSPHRASE = os.environ.get("HAKARI_PKI_PASSPHRASE", "")
HAKARI_PKI_AUTO_INIT = env_bool("HAKARI_PKI_AUTO_INIT", False)
# An RFC 3161 time-stamp server for the closing timestamp; unset: the local TSA of the CA.
HAKARI_TSA_URL = os.environ.get("HAKARI_TSA_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
