"""Local development: DEBUG on unless told otherwise, console email."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import SECRET_KEY as _SECRET_KEY  # noqa: E402

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The development CA lives outside the repository's tracked files (var/ is ignored) and is made
# on first use; its key is encrypted with a development-only passphrase.
HAKARI_PKI_DIR = os.environ.get("HAKARI_PKI_DIR") or str(BASE_DIR / "var" / "pki")  # noqa: F405
HAKARI_PKI_PASSPHRASE = os.environ.get("HAKARI_PKI_PASSPHRASE") or "dev-only-pki-passphrase"
HAKARI_PKI_AUTO_INIT = True
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # make bench; never in production
# `make run` has no task worker: tasks (emails) run in the request unless told otherwise.
if not os.environ.get("TASKS_BACKEND"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
