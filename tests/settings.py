"""Test settings: the project's settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from grants_office.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True  # tests that need a real worker start one (tests/celery fixtures)
SECURE_SSL_REDIRECT = False  # the test client speaks plain http; tests of the redirect turn it on
# One process, emptied before each test (tests/conftest.py): a throttle or limit counted in one test never
# reaches the next, and a cached answer costs no query. Tests of the shared cache point CACHES at Redis or
# the database themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
# django-zeal patches the ORM once the app is ready; it only watches inside `zeal_context`, which
# tests/nplusone.py opens around the pages tests/web renders.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
