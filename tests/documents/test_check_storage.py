"""`manage.py check_storage`: a round trip that reports clearly, on disk and on S3."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run() -> str:
    out = StringIO()
    call_command("check_storage", stdout=out)
    return out.getvalue()


def test_check_storage_on_disk(disk_storage):
    output = run()
    assert "local disk" in output and "Storage works." in output
    assert not any(path.is_file() for path in disk_storage.rglob("*"))


def test_check_storage_on_s3_reports_versioning(s3_storage):
    output = run()
    assert "S3:" in output and "bucket versioning" in output and "Enabled" in output


def test_check_storage_fails_clearly_with_wrong_keys(s3_storage, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "secret_key": "wrong"},
        },
    }
    with pytest.raises(CommandError, match="write"):
        run()
