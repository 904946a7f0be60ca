"""Settings load in both modes and refuse an unsafe production start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'email': s.EMAIL_BACKEND, 'storage': s.STORAGES['default']['BACKEND'], 'tz': s.TIME_ZONE,"
    " 'languages': [code for code, _ in s.LANGUAGES], 'debug': s.DEBUG}))"
)


def load(tmp_path, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "S3_BUCKET",
            "EMAIL_HOST",
            "SECRET_KEY",
            "DEBUG",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "grants_office.settings", "VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_embedded_default_uses_sqlite_local_files_eager_tasks_console_mail(tmp_path):
    result = load(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["eager"] is True
    assert loaded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["storage"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["tz"] == "Europe/Istanbul"
    assert loaded["languages"] == ["tr", "en"]


def test_production_mode_reads_database_broker_s3_and_smtp(tmp_path):
    result = load(
        tmp_path,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="grants.example.org",
        DATABASE_URL="postgres://u:p@db.example.org:5432/grants",
        REDIS_URL="redis://cache.example.org:6379/0",
        S3_BUCKET="grants",
        S3_ENDPOINT_URL="https://s3.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["eager"] is False
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["storage"] == "storages.backends.s3.S3Storage"
    assert loaded["debug"] is False


def test_production_mode_refuses_to_start_without_secret_key(tmp_path):
    result = load(tmp_path, DATABASE_URL="postgres://u:p@db.example.org:5432/grants")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_setting_is_refused_clearly(tmp_path):
    result = load(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
