"""Settings load in both modes and refuse an unsafe production start."""

from tests.settings_probe import load_settings, start_settings


def test_embedded_default_uses_sqlite_local_files_eager_tasks_console_mail(tmp_path):
    loaded = load_settings(tmp_path, DEBUG="true")
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["eager"] is True
    assert loaded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["storage"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["tz"] == "Europe/Istanbul"
    assert loaded["languages"] == ["tr", "en"]


def test_production_mode_reads_database_broker_s3_and_smtp(tmp_path):
    loaded = load_settings(
        tmp_path,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="grants.example.org",
        DATABASE_URL="postgres://u:p@db.example.org:5432/grants",
        REDIS_URL="redis://cache.example.org:6379/0",
        S3_BUCKET="grants",
        S3_ENDPOINT_URL="https://s3.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["eager"] is False
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["storage"] == "storages.backends.s3.S3Storage"
    assert loaded["debug"] is False


def test_production_mode_refuses_to_start_without_secret_key(tmp_path):
    result = start_settings(tmp_path, DATABASE_URL="postgres://u:p@db.example.org:5432/grants")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_setting_is_refused_clearly(tmp_path):
    result = start_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
