"""The Turkish catalogue is complete: makemessages over the sources leaves nothing untranslated."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]
# every product package (as pyproject lists them), the catalogue and manage.py
SOURCES = [*PRODUCT_PACKAGES, "locale", "manage.py"]


def test_makemessages_leaves_nothing_untranslated_or_fuzzy(tmp_path, new_message=None):
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("makemessages needs GNU gettext (apt-get install -y gettext)")
        pytest.skip("GNU gettext is not installed")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    if new_message:
        (tmp_path / "grants_office" / "new_message.py").write_text(
            f"from django.utils.translation import gettext as _\n\n_({new_message!r})\n"
        )
    # the project's own settings (not the tests'), run from the copy
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="true", VAR_DIR=str(tmp_path / "var"), PYTHONPATH=str(tmp_path))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "tr", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    with open(tmp_path / "locale/tr/LC_MESSAGES/django.po", "rb") as handle:
        catalogue = read_po(handle)
    assert len(catalogue) > 500  # the sources were really read
    open_entries = [
        str(message.id)
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert open_entries == [], f"{len(open_entries)} Turkish entries to translate: {open_entries[:10]}"


def test_a_new_message_without_translation_is_caught(tmp_path):
    with pytest.raises(AssertionError, match="1 Turkish entries to translate"):
        test_makemessages_leaves_nothing_untranslated_or_fuzzy(tmp_path, new_message="A brand new message")
