"""Settings for the test suite: same code paths, quicker hashing, local mail outbox."""

import os

os.environ.setdefault("PRAJA_VAR_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "praja-test-var"))

from praja.config.settings import *  # noqa: E402,F403
from praja.config.settings import INSTALLED_APPS, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; argon2 is tested apart
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": os.environ.get("PRAJA_TEST_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}
INSTALLED_APPS = [*INSTALLED_APPS, "tests.caseapp"]
REST_FRAMEWORK_TEST = True
