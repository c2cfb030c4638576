"""The test suite: fast hashing, in-memory email, plain static storage, a throwaway CA."""

import atexit
import os
import shutil
import tempfile

os.environ["DEBUG"] = "false"

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # make bench; never in production
# Tasks run at once, inside the test (no worker); the database backend is tested on its own.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The throttling tests count failures from one client address; keep the limit they expect.
AXES_FAILURE_LIMIT = 5
# SQLite tests run on a file, as `make run` does (WAL, busy timeout, BEGIN IMMEDIATE): the
# concurrency tests need real parallel connections, which a shared in-memory database lacks.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

# A throwaway CA for this run of the suite, made on first use in a directory of its own and
# removed when the run ends: CI's fresh machine needs no `pki init`.
HAKARI_PKI_DIR = tempfile.mkdtemp(prefix="hakari-test-pki-")
atexit.register(shutil.rmtree, HAKARI_PKI_DIR, True)
HAKARI_PKI_PASSPHRASE = "test-only-pki-passphrase"
HAKARI_PKI_AUTO_INIT = True
