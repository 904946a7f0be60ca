"""Uploads: two steps, straight to storage.

`request_upload` signs a PUT straight to storage (S3, or our own endpoint in embedded mode),
`complete_upload` verifies what arrived and only then creates the version. Anything that fails
verification is deleted, so no orphan object and no version are left behind; so are uploads that were
signed but never completed (`remove_abandoned_uploads`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import conf, owners, signals, sniff, tokens
from documents.models import Document, DocumentVersion, PendingUpload
from documents.storage import StoredObject, object_store
from documents.tokens import SignatureRefused
from grants_office.core.errors import Conflict, Invalid, NotFound, Reason, StorageUnavailable

logger = logging.getLogger(__name__)

SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


def _clean_filename(filename) -> str:
    name = unicodedata.normalize("NFC", str(filename or "")).strip()
    if not name:
        return ""
    if (
        "/" in name
        or "\\" in name
        or name in (".", "..")
        or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name)
    ):
        raise Invalid(
            _("Invalid input."),
            fields={"filename": [_("A file name must not contain paths or control characters.")]},
        )
    if len(name) > 255:
        raise Invalid(_("Invalid input."), fields={"filename": [_("The file name is too long.")]})
    return name


def _validate_upload(filename, size, content_type, sha256) -> tuple[str, int, str, str]:
    """Each field cleaned by its own check; every problem reported at once."""
    errors: dict[str, list[str]] = {}
    name = _upload_filename(filename, errors)
    size = _upload_size(size, errors)
    content_type = _upload_content_type(content_type, errors)
    sha256 = _upload_sha256(sha256, errors)
    if errors:
        raise Invalid(_("Invalid input."), fields=errors)
    return name, size, content_type, sha256


def _upload_filename(filename, errors: dict[str, list[str]]) -> str:
    try:
        name = _clean_filename(filename)
    except Invalid as error:
        errors.update(error.fields)
        return ""
    if not name:
        errors["filename"] = [_("A file name is required.")]
    return name


def _upload_size(size, errors: dict[str, list[str]]):
    try:
        size = int(size)
        if isinstance(size, bool):
            raise TypeError
    except (TypeError, ValueError):
        errors["size"] = [_("The size must be a whole number of bytes.")]
        return size
    if size <= 0:
        errors["size"] = [_("The file is empty.")]
    elif size > conf.max_upload_size():
        errors["size"] = [
            _("The file is larger than the limit of %(limit)d MB.")
            % {"limit": conf.max_upload_size() // (1024 * 1024)}
        ]
    return size


def _upload_content_type(content_type, errors: dict[str, list[str]]) -> str:
    content_type = str(content_type or "").split(";")[0].strip().lower()
    if content_type not in conf.allowed_content_types():
        errors["content_type"] = [_("This type of file is not accepted.")]
    return content_type


def _upload_sha256(sha256, errors: dict[str, list[str]]) -> str:
    sha256 = str(sha256 or "").strip()
    if not SHA256_HEX.fullmatch(sha256):
        errors["sha256"] = [_("Give the SHA-256 of the file as 64 hexadecimal characters.")]
    return sha256.lower()


def request_upload(
    document: Document, user, filename, size, content_type, sha256, note: str = ""
) -> tuple[PendingUpload, dict]:
    """Sign an upload straight to storage; the bytes never pass through this service on S3.

    The signature binds the size and the SHA-256, so storage itself refuses other bytes; the URL
    expires after DOCUMENTS_UPLOAD_URL_TTL.
    """
    owners.ensure_visible(user, document.set)
    owners.ensure_may_change(user, document.set, document.kind)
    filename, size, content_type, sha256 = _validate_upload(filename, size, content_type, sha256)
    ttl = conf.upload_url_ttl()
    expires_at = timezone.now() + timedelta(seconds=ttl)
    pending = PendingUpload(
        document=document,
        filename=filename,
        size=size,
        content_type=content_type,
        sha256=sha256,
        note=note or "",
        expires_at=expires_at,
        created_by=user,
    )
    # No user input in the key: the original name is kept on the version.
    pending.storage_key = f"documents/{document.set_id}/{document.pk}/{pending.pk.hex}"
    store = object_store()
    store.check_available()  # a storage outage is a 503 now, not a link the browser cannot reach
    with transaction.atomic():
        pending.save()
        url, headers = store.presign_upload(pending, expires_at, ttl)
    return pending, {
        "id": str(pending.pk),
        "method": "PUT",
        "url": url,
        "headers": headers,
        "expires_at": expires_at,
    }


def receive_upload_content(pending_id, token: str, content_length, read) -> None:
    """Embedded mode's stand-in for S3's PUT: check the token, stream the body to disk in chunks.

    Like S3 with a signed content length and checksum, a body of another size or another SHA-256 is
    refused and nothing is kept.
    """
    now = timezone.now()
    pending = PendingUpload.objects.filter(pk=pending_id).first()
    if (
        pending is None
        or not token
        or not tokens.check_upload_token(token, pending.pk, conf.upload_url_ttl(), now)
    ):
        raise SignatureRefused(_("The upload link is invalid or has expired."))
    if pending.status != PendingUpload.Status.PENDING:
        raise SignatureRefused(_("This upload is already finished."))
    store = object_store()
    try:
        length = int(content_length)
    except (TypeError, ValueError):
        length = -1
    if length != pending.size:
        raise Invalid(
            _("Invalid input."),
            fields={
                "size": [_("The body must be exactly the announced %(size)d bytes.") % {"size": pending.size}]
            },
        )
    digest = hashlib.sha256()

    def read_and_hash(n: int) -> bytes:
        chunk = read(n)
        digest.update(chunk)
        return chunk

    try:
        written = store.write(pending.storage_key, read_and_hash, limit=pending.size)
    except OverflowError:
        raise Invalid(
            _("Invalid input."), fields={"size": [_("The body is larger than the announced size.")]}
        ) from None
    if written != pending.size or digest.hexdigest() != pending.sha256:
        store.purge(pending.storage_key)
        raise Invalid(
            _("Invalid input."),
            fields={"sha256": [_("The body does not match the announced size and SHA-256.")]},
        )


def _discard_upload_bytes(store, pending: PendingUpload) -> int:
    """Every object version an upload that never became a version left in storage, and nothing else.

    The caller has claimed the upload row in its transaction (so no concurrent complete can make it a
    version); a key that a stored version uses is refused all the same.
    """
    if DocumentVersion.objects.filter(storage_key=pending.storage_key).exists():
        raise RuntimeError(f"{pending.storage_key} belongs to a stored version; not deleting it")
    return store.purge(pending.storage_key)


def _reject(pending: PendingUpload, store, field: str, message: str) -> Invalid:
    """Delete what arrived and mark the upload rejected: a bad file leaves nothing behind.

    The status is claimed first (never delete the object of an upload that a concurrent complete made
    a version) and rolled back if storage cannot delete, so the upload stays pending and a retry or
    the abandoned-upload sweep removes the bytes later.
    """
    with transaction.atomic():
        rejected = PendingUpload.objects.filter(pk=pending.pk, status=PendingUpload.Status.PENDING).update(
            status=PendingUpload.Status.REJECTED
        )
        if rejected:
            _discard_upload_bytes(store, pending)
    return Invalid(_("The uploaded file was refused."), fields={field: [message]})


def _verify_stored_object(pending: PendingUpload, store) -> StoredObject:
    """The stored object if it is exactly what was announced; else it is deleted and Invalid raised."""
    stored = store.head(pending.storage_key)
    if stored is None:
        raise Invalid(_("Invalid input."), fields={"file": [_("The file has not arrived in storage yet.")]})
    size, verified_sha256 = stored.size, stored.sha256
    if size != pending.size:
        raise _reject(
            pending,
            store,
            "size",
            _("The stored file has %(actual)d bytes, not the announced %(size)d.")
            % {"actual": size, "size": pending.size},
        )
    if verified_sha256 == pending.sha256:
        # The server checked the body against the signed checksum when it was written: only the magic
        # bytes at both ends are read, so no file passes through the web process.
        head = tail = b""
        if size:
            head = store.read_range(pending.storage_key, 0, min(size, sniff.HEAD_SIZE) - 1)
            # a small file is its own tail: one read
            if size > sniff.HEAD_SIZE:
                tail = store.read_range(pending.storage_key, max(size - sniff.TAIL_SIZE, 0), size - 1)
            else:
                tail = head
        kind = sniff.detect(head, tail)
    else:
        digest, sniffer = hashlib.sha256(), sniff.Sniffer()
        for chunk in store.chunks(pending.storage_key):
            digest.update(chunk)
            sniffer.feed(chunk)
        if sniffer.size != pending.size or digest.hexdigest() != pending.sha256:
            raise _reject(
                pending, store, "sha256", _("The stored file does not match the announced SHA-256.")
            )
        kind = sniffer.detect()
    if not sniff.matches(pending.content_type, kind):
        raise _reject(
            pending, store, "content_type", _("The file's content is not what its type says it is.")
        )
    return stored


def complete_upload(pending: PendingUpload, user) -> DocumentVersion:
    """Verify the stored object and make it the document's next version.

    On S3 the server verified the signed checksum on write, so only the ends of the object are read for
    the magic bytes; otherwise (local disk, an object stored without that checksum) it is read once,
    streamed (size, SHA-256, magic bytes). The number is taken under a row lock
    on the document, so two completes never share a number; the owner is locked first, so a submission
    and a new version never interleave.
    """
    pending = (
        PendingUpload.objects.select_related("document__set").filter(pk=pending.pk, created_by=user).first()
    )
    if pending is None:
        raise NotFound(_("Not found."))
    document_set = pending.document.set
    owners.ensure_visible(user, document_set)
    if pending.status != PendingUpload.Status.PENDING:
        raise _finished(pending.status)
    store = object_store()
    blocked = owners.change_blocked(user, document_set, pending.document.kind)
    stored = None
    if blocked is None:
        stored = _verify_stored_object(pending, store)
    with transaction.atomic():
        policy = owners.policy_for(document_set)
        policy.lock_owner(document_set)
        blocked = blocked or owners.change_blocked(user, document_set, pending.document.kind)
        locked = PendingUpload.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:  # the abandoned-upload sweep removed it meanwhile
            raise NotFound(_("Not found."))
        still_pending = locked.status == PendingUpload.Status.PENDING
        if blocked is None and still_pending:
            retention_days = conf.object_lock_retention_days()
            if retention_days:
                # Object Lock on exactly the verified version, before the version row commits: if
                # storage fails here nothing is accepted and the client completes again.
                until = timezone.now() + timedelta(days=retention_days)
                store.retain(pending.storage_key, stored.version_id, until)
            Document.objects.select_for_update().filter(pk=pending.document_id).first()
            last = pending.document.versions.aggregate(last=Max("number"))["last"] or 0
            version = DocumentVersion.objects.create(
                document=pending.document,
                number=last + 1,
                storage_key=pending.storage_key,
                original_filename=pending.filename,
                size=pending.size,
                content_type=pending.content_type,
                sha256=pending.sha256,
                uploaded_by=user,
                note=pending.note,
            )
            locked.status, locked.version = PendingUpload.Status.COMPLETED, version
            locked.save(update_fields=["status", "version"])
            # inside the transaction: a receiver's outbox row commits with the version
            signals.version_created.send(sender=DocumentVersion, version=version, by=user)
            return version
    if not still_pending:
        raise _finished(locked.status)
    _reject(pending, store, "document", str(blocked.message))
    raise Conflict(blocked.message, reasons=[blocked], code="documents_locked")


def _finished(status: str) -> Conflict:
    if status == PendingUpload.Status.COMPLETED:
        return Conflict(
            _("This upload is already complete."),
            reasons=[Reason("already_completed", _("This upload is already a version."))],
            code="already_completed",
        )
    return Conflict(
        _("This upload was refused; ask for a new one."),
        reasons=[Reason("upload_rejected", _("This upload was refused."))],
        code="upload_rejected",
    )


def remove_abandoned_uploads(now=None) -> int:
    """Delete uploads that were signed but never completed, with every object version that reached
    storage.

    Each row is claimed (deleted) and its bytes removed in one transaction: a complete racing the sweep
    either made it a version first (then nothing is deleted) or finds it gone; storage that fails rolls
    the row back, so the next run tries again.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf.abandoned_after())
    store = object_store()
    removed = 0
    abandoned = PendingUpload.objects.filter(status=PendingUpload.Status.PENDING, expires_at__lt=cutoff)
    for pending in list(abandoned.only("pk", "storage_key")):
        try:
            with transaction.atomic():
                claimed, _rows = PendingUpload.objects.filter(
                    pk=pending.pk, status=PendingUpload.Status.PENDING
                ).delete()
                if claimed:
                    _discard_upload_bytes(store, pending)
        except StorageUnavailable:  # storage is down: every other object would fail too
            logger.warning("Storage unavailable; abandoned uploads are removed on the next run")
            break
        except Exception:  # the next run tries again; one broken object must not stop the sweep
            logger.exception("Could not delete the abandoned upload %s", pending.storage_key)
            continue
        removed += bool(claimed)
    return removed
