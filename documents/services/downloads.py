"""Downloads: a short-lived signed URL to the exact version, logged (KVKK)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from documents import conf, owners, tokens
from documents.models import DocumentVersion, DownloadLog
from documents.storage import object_store
from documents.tokens import SignatureRefused


def download_url(version: DocumentVersion, user) -> str:
    """Sign a short-lived URL that serves the exact version, and log the download (KVKK).

    The log row is written only once the URL exists: a refused request or a storage outage (503)
    logs nothing, and every row stands for a link that was handed out.
    """
    version = DocumentVersion.objects.select_related("document__set").get(pk=version.pk)
    owners.ensure_visible(user, version.document.set)
    store = object_store()
    store.ensure_present(version.storage_key)
    ttl = conf.download_url_ttl()
    url = store.presign_download(version, timezone.now() + timedelta(seconds=ttl), ttl)
    DownloadLog.objects.create(version=version, user=user)
    return url


def open_version_content(version_id, token: str):
    """Embedded mode's stand-in for a presigned GET: the version and an open file, if the token holds."""
    now = timezone.now()
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if (
        version is None
        or not token
        or not tokens.check_download_token(token, version.pk, conf.download_url_ttl(), now)
    ):
        raise SignatureRefused(_("The download link is invalid or has expired."))
    return version, object_store().open(version.storage_key)
