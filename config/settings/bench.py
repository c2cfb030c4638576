"""`make bench`: the production settings' middleware, sessions and database, served by
gunicorn over plain HTTP on 127.0.0.1, with the `bench` app (its floor view) installed."""

import atexit
import os
import shutil
import tempfile

os.environ["DEBUG"] = "false"
# A throwaway signing CA for the run (the demo-like records are signed): made on first use in
# a directory named in the environment, so the gunicorn workers bench_report starts share it.
if "HAKARI_PKI_DIR" not in os.environ:
    os.environ["HAKARI_PKI_DIR"] = tempfile.mkdtemp(prefix="hakari-bench-pki-")
    atexit.register(shutil.rmtree, os.environ["HAKARI_PKI_DIR"], True)
os.environ.setdefault("HAKARI_PKI_PASSPHRASE", "bench-only-pki-passphrase")
os.environ.setdefault("HAKARI_PKI_AUTO_INIT", "true")
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
