"""Settings for the test suite: same code paths, quicker hashing, local mail outbox."""

import os
import tempfile

# Each test process (and each xdist worker) gets its own var/ for documents, keys and mail.
os.environ.setdefault("PRAJA_VAR_DIR", tempfile.mkdtemp(prefix="praja-test-var-"))

from praja.config.settings import *  # noqa: E402,F403
from praja.config.settings import INSTALLED_APPS, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; argon2 is tested apart
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "PRAJA_TEST_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
INSTALLED_APPS = [*INSTALLED_APPS, "tests.caseapp"]
REST_FRAMEWORK_TEST = True
# The licensing payment simulator (a stand-in bank) is on in tests; off in production by default.
PRAJA_PAYMENT_SIMULATOR = True

# Transactional tests write from several connections at once (the workflow concurrency test, the
# live server). A shared-cache in-memory SQLite database answers a second writer with "table is
# locked" at once instead of waiting for the lock, so the SQLite test database is a file in this
# process's own var/ (pytest-django adds the xdist worker suffix).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test.sqlite3")  # noqa: F405
