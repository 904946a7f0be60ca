"""Settings as a new process loads them from its environment.

Django reads its settings once per process, so a test of what the environment does runs a new Python
with a clean environment: none of the variables below leaks in from the machine running the tests.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What the settings read from the environment; a probe sets only what its test names.
UNSET = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "S3_BUCKET",
    "EMAIL_HOST",
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "API_DOCS_PUBLIC",
    "TRUSTED_PROXY_COUNT",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
}

# Prints, as one line of JSON, the loaded settings the tests look at.
SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({name: getattr(s, name, None) for name in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
    " 'SECURE_REDIRECT_EXEMPT', 'API_DOCS_PUBLIC', 'TRUSTED_PROXY_COUNT', 'AXES_FAILURE_LIMIT')}"
    " | {'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'email': s.EMAIL_BACKEND, 'storage': s.STORAGES['default']['BACKEND'], 'tz': s.TIME_ZONE,"
    " 'languages': [code for code, _ in s.LANGUAGES], 'debug': s.DEBUG,"
    " 'cache': s.CACHES['default']['BACKEND'], 'cache_location': s.CACHES['default']['LOCATION'],"
    " 'cooloff': s.AXES_COOLOFF_TIME.total_seconds(), 'backends': s.AUTHENTICATION_BACKENDS,"
    " 'last_middleware': s.MIDDLEWARE[-1]}))"
)


def run_python(code: str, tmp_path, *, settings_module: str = "grants_office.settings", **env):
    """Run `code` in a new Python from the repository, with a clean environment plus `env`, its var/
    directory in tmp_path. Returns the finished process (returncode, stdout, stderr)."""
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update({"DJANGO_SETTINGS_MODULE": settings_module, "VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def start_settings(tmp_path, **env):
    """Load the project's settings with this environment: the finished process, which may have refused."""
    return run_python(SETTINGS, tmp_path, **env)


def last_json_line(result) -> dict:
    """What a probe printed last (Django may print before it), as JSON."""
    return json.loads(result.stdout.strip().splitlines()[-1])


def load_settings(tmp_path, **env) -> dict:
    """The settings the project loads with this environment; the start must succeed."""
    result = start_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return last_json_line(result)
