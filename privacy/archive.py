"""The ZIP of a person's data: `data.json` (every section of `holdings`), `README.txt` in the person's
language, and each file they uploaded under `files/`. Written to a temporary file, never held in memory."""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.storage import object_store
from grants_office.core.people import display_name
from grants_office.members.profiles import language_of
from privacy import holdings
from privacy.holdings.section import value
from privacy.holdings.work import upload_path, uploads

FORMAT = 1


@dataclass
class Archive:
    file: object  # an open temporary file, at its start
    size: int
    files: int


def _readme(person, now) -> str:
    lines = [
        _("Personal data held by the grants office about %(person)s, as of %(when)s (UTC).")
        % {"person": display_name(person), "when": value(now)},
        "",
        _(
            "data.json holds every record, section by section; times are in UTC. files/ holds each "
            "file you uploaded, one folder per version."
        ),
        _("Texts of notifications and the values others changed are left out: they are about other people."),
        "",
        _("Sections:"),
    ]
    lines += [f"- {section.key}: {section.label}" for section in holdings.SECTIONS]
    return "\n".join(lines) + "\n"


def write(person) -> Archive:
    """The archive of everything held about `person`; the caller closes the file."""
    now = timezone.now()
    data = {"format": FORMAT, "generated": value(now), "person": person.pk, **holdings.collect(person)}
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    files = 0
    store = object_store()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        with translation.override(language_of(person) or settings.LANGUAGE_CODE):
            archive.writestr("README.txt", _readme(person, now))
        for version in uploads(person).iterator(chunk_size=500):
            info = zipfile.ZipInfo(
                upload_path(version), date_time=timezone.localtime(version.uploaded_at).timetuple()[:6]
            )
            info.compress_type = zipfile.ZIP_STORED  # documents are compressed already (PDF, DOCX, XLSX)
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in store.chunks(version.storage_key):
                    entry.write(chunk)
            files += 1
    size = handle.tell()
    handle.seek(0)
    return Archive(handle, size, files)
