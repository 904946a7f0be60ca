"""The worker settles once the app is loaded (issue 18): what startup made is frozen out of the
collector's walks and the young generation is collected less often; and choice labels are translated
once per language."""

import os
import subprocess
import sys
from pathlib import Path

from django.utils import translation

from grants_office.core.labels import label
from grants_office.core.runtime import THRESHOLDS
from workflows.states import State

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_application_settles_the_process():
    probe = "import gc, grants_office.wsgi; print(gc.get_threshold(), gc.get_freeze_count() > 10_000)"
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "grants_office.settings"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[0] == f"{THRESHOLDS} True"


def test_a_label_follows_the_active_language():
    with translation.override("tr"):
        assert label(State, "drafting") == str(State.DRAFTING.label) == "Hazırlanıyor"
    with translation.override("en"):
        assert label(State, "drafting") == "Drafting"
    assert label(State, "no-such-state") == "no-such-state"
