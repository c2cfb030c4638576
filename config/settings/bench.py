"""`make bench`: the production settings' middleware, sessions and database, served by
gunicorn over plain HTTP on 127.0.0.1, with the `bench` app (its floor view) installed."""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("TASKS_BACKEND", "database")

from .base import *  # noqa: E402,F403

SECRET_KEY = "bench-only-key-" + "x" * 40  # noqa: S105 -- a throwaway database, loopback only
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
STATIC_ROOT = None  # type: ignore[assignment]  # whitenoise serves from the finders (no collectstatic for a bench run)
