"""The object store behind documents: S3 (through django-storages' client) or the local disk.

Both offer the same small interface, so services never ask which one they have. On S3 the browser
talks to the bucket directly with presigned URLs; on disk our own endpoints stand in for them.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from documents import conf, tokens
from documents.conf import CHUNK_SIZE
from grants_office.core.errors import StorageUnavailable

logger = logging.getLogger(__name__)

# Characters that survive in the ASCII fallback of Content-Disposition, and the dotless ı that NFKD
# leaves alone.
_ASCII_FALLBACK = str.maketrans({"ı": "i", '"': "_", "\\": "_", "/": "_", ";": "_"})


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", filename.translate(_ASCII_FALLBACK))
    fallback = "".join(c for c in fallback if 32 <= ord(c) < 127) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def unavailable() -> StorageUnavailable:
    return StorageUnavailable(
        _("The document storage cannot be reached right now. Please try again in a few minutes."),
        retry_after=conf.storage_retry_after(),
    )


def _is_outage(error: Exception) -> bool:
    """No answer (refused, reset, timed out) or a server error: worth a retry later. Client errors (a
    wrong key, a missing bucket, 501 NotImplemented) are our configuration's fault and stay loud."""
    if isinstance(error, BotoConnectionError | HTTPClientError):
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 and status != 501
    return False


@contextlib.contextmanager
def _s3_outage():
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        if not _is_outage(error):
            raise
        logger.warning("Object storage unavailable: %s: %s", type(error).__name__, error)
        raise unavailable() from error


@contextlib.contextmanager
def _disk_outage():
    """A disk that refuses (permissions, full, read-only, a file where a directory should be)."""
    try:
        yield
    except OSError as error:
        logger.warning("Document storage on disk unavailable: %s: %s", type(error).__name__, error)
        raise unavailable() from error


@dataclass(frozen=True)
class StoredObject:
    size: int
    # the SHA-256 the server computed and checked on write (hex); None when it kept none
    sha256: str | None
    # the exact object version on a versioned bucket; None on disk or an unversioned bucket
    version_id: str | None = None


class S3Store:
    is_s3 = True

    def __init__(self, storage):
        self.storage = storage
        self.client = self._client(storage)
        self.bucket = storage.bucket_name

    @staticmethod
    def _client(storage):
        """A SigV4 client: only SigV4 signs the content length and checksum into a presigned URL (boto
        falls back to SigV2 for presigning when no signature version is set). Short timeouts and few
        attempts, so an endpoint that does not answer costs a request seconds, not minutes. Kept on the
        storage instance, which Django caches, so it is built once."""
        connect_timeout, read_timeout, attempts = conf.s3_timeouts()
        cached = storage.__dict__.get("_documents_client")
        if cached is not None and cached[0] == (connect_timeout, read_timeout, attempts):
            return cached[1]
        client = storage._create_session().client(
            "s3",
            region_name=storage.region_name,
            use_ssl=storage.use_ssl,
            endpoint_url=storage.endpoint_url,
            config=storage.client_config.merge(
                Config(
                    signature_version="s3v4",
                    connect_timeout=connect_timeout,
                    read_timeout=read_timeout,
                    retries={"total_max_attempts": attempts, "mode": "standard"},
                )
            ),
            verify=storage.verify,
        )
        storage.__dict__["_documents_client"] = ((connect_timeout, read_timeout, attempts), client)
        return client

    def key(self, name: str) -> str:
        return self.storage._normalize_name(clean_name(name))

    def _object_parameters(self) -> dict:
        return dict(getattr(self.storage, "object_parameters", None) or {})

    def presign_upload(self, pending, expires_at: datetime, ttl: int) -> tuple[str, dict]:
        checksum = base64.b64encode(bytes.fromhex(pending.sha256)).decode()
        params = {
            "Bucket": self.bucket,
            "Key": self.key(pending.storage_key),
            "ContentLength": pending.size,
            "ContentType": pending.content_type,
            "ChecksumSHA256": checksum,
        }
        headers = {"Content-Type": pending.content_type, "x-amz-checksum-sha256": checksum}
        encryption = self._object_parameters().get("ServerSideEncryption")
        if encryption:
            params["ServerSideEncryption"] = encryption
            headers["x-amz-server-side-encryption"] = encryption
        with _s3_outage():
            url = self.client.generate_presigned_url("put_object", Params=params, ExpiresIn=ttl)
        return url, headers

    def check_available(self) -> None:
        """One HEAD of the bucket: StorageUnavailable before anything is written or signed, rather than
        a signed URL the browser then cannot reach."""
        with _s3_outage():
            self.client.head_bucket(Bucket=self.bucket)

    def head(self, name: str) -> StoredObject | None:
        """Size, the SHA-256 the server computed and checked when the object was written (hex) and the
        version, in one HEAD; None when there is no object, a None checksum when the server kept none
        (an object written without one, a server without checksum support)."""
        try:
            with _s3_outage():
                head = self.client.head_object(Bucket=self.bucket, Key=self.key(name), ChecksumMode="ENABLED")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        version_id = head.get("VersionId")
        version_id = None if version_id in (None, "", "null") else version_id
        checksum = head.get("ChecksumSHA256")
        sha256 = None
        if checksum and "-" not in checksum:  # "-N": a checksum of part checksums, not of the object
            with contextlib.suppress(ValueError):
                sha256 = base64.b64decode(checksum).hex()
        return StoredObject(head["ContentLength"], sha256, version_id)

    def size(self, name: str) -> int | None:
        found = self.head(name)
        return found.size if found else None

    def stored_sha256(self, name: str) -> str | None:
        found = self.head(name)
        return found.sha256 if found else None

    def read_range(self, name: str, start: int, end: int) -> bytes:
        """Bytes start..end (inclusive) of the object: the magic bytes without reading the whole file."""
        with _s3_outage():
            body = self.client.get_object(
                Bucket=self.bucket, Key=self.key(name), Range=f"bytes={start}-{end}"
            )["Body"]
            try:
                return body.read()
            finally:
                body.close()

    def chunks(self, name: str) -> Iterator[bytes]:
        with _s3_outage():
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"]
            try:
                yield from body.iter_chunks(CHUNK_SIZE)
            finally:
                body.close()

    def purge(self, name: str) -> int:
        """Delete every version of exactly this key, delete markers included, and return how many.

        On a versioned bucket a plain DELETE only adds a delete marker and keeps the bytes, so each
        version is deleted by its VersionId (on an unversioned bucket the one version is "null"). Keys
        are unique per upload, so every version under one was made by that upload; keys that merely
        start with it are left alone. Callers make sure the key is no stored document version's.
        """
        key = self.key(name)
        with _s3_outage():
            try:
                found = []
                for page in self.client.get_paginator("list_object_versions").paginate(
                    Bucket=self.bucket, Prefix=key
                ):
                    for entry in (*page.get("Versions", ()), *page.get("DeleteMarkers", ())):
                        if entry["Key"] == key:
                            found.append(entry["VersionId"])
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "NotImplemented":
                    raise
                # a server without versions: a plain DELETE removes the bytes
                self.client.delete_object(Bucket=self.bucket, Key=key)
                return 1
            # listed first, deleted after: deleting while paging would move the page markers
            for version_id in found:
                self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version_id)
        return len(found)

    def retain(self, name: str, version_id: str | None, until: datetime) -> None:
        """S3 Object Lock: keep this exact version, in GOVERNANCE mode, until `until`."""
        params = {"Bucket": self.bucket, "Key": self.key(name)}
        if version_id:
            params["VersionId"] = version_id
        with _s3_outage():
            self.client.put_object_retention(
                **params, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until}
            )

    def ensure_present(self, name: str) -> None:
        """One HEAD before a download URL is signed: the link we hand out leads to the bytes."""
        if self.head(name) is None:
            logger.error("The stored object %s of a document version is missing", self.key(name))
            raise unavailable()

    def presign_download(self, version, expires_at: datetime, ttl: int) -> str:
        with _s3_outage():
            return self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self.key(version.storage_key),
                    "ResponseContentDisposition": content_disposition(version.original_filename),
                    "ResponseContentType": version.content_type,
                },
                ExpiresIn=ttl,
            )


class DiskStore:
    """Embedded mode: files under the storage's location, signed URLs to our own endpoints."""

    is_s3 = False

    def __init__(self, storage: FileSystemStorage):
        self.storage = storage

    def path(self, name: str) -> str:
        return self.storage.path(name)

    def presign_upload(self, pending, expires_at: datetime, ttl: int) -> tuple[str, dict]:
        url = reverse("documents:upload-content", args=[pending.pk])
        url += "?" + urlencode({"token": tokens.upload_token(pending.pk, expires_at)})
        return url, {"Content-Type": pending.content_type}

    def check_available(self) -> None:
        """The files' directory exists (or can be made) and may be written to."""
        location = self.storage.location
        with _disk_outage():
            os.makedirs(location, exist_ok=True)
            if not os.access(location, os.W_OK | os.X_OK):
                raise PermissionError(f"{location} is not writable")

    def head(self, name: str) -> StoredObject | None:
        """Size, and no checksum: the disk keeps none (the object is read to verify it)."""
        size = self.size(name)
        return None if size is None else StoredObject(size, None)

    def size(self, name: str) -> int | None:
        with _disk_outage():
            try:
                return os.path.getsize(self.path(name))
            except FileNotFoundError:
                return None

    def chunks(self, name: str) -> Iterator[bytes]:
        with _disk_outage(), open(self.path(name), "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                yield chunk

    def purge(self, name: str) -> int:
        """Delete the file (and a half-written .part): the disk keeps no other versions."""
        removed = 0
        with _disk_outage():
            for path in (self.path(name), self.path(name) + ".part"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)
                    removed += 1
        return removed

    def retain(self, name: str, version_id: str | None, until: datetime) -> None:
        """Object Lock is an S3 feature; on disk nothing deletes stored versions anyway."""

    def ensure_present(self, name: str) -> None:
        if self.size(name) is None:
            logger.error("The stored file %s of a document version is missing", self.path(name))
            raise unavailable()

    def write(self, name: str, read, limit: int) -> int:
        """Stream `read(n)` to the file in chunks; refuse (and keep nothing) past `limit` bytes.

        Writes to a .part file renamed into place at the end, so a broken upload never looks whole.
        Only the disk's own failures become StorageUnavailable; the body's (a client gone) stay theirs.
        """
        path = self.path(name)
        partial, written = path + ".part", 0
        with _disk_outage():
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle = open(partial, "wb")  # noqa: SIM115 - closed below, errors mapped per step
        try:
            try:
                while chunk := read(CHUNK_SIZE):
                    written += len(chunk)
                    if written > limit:
                        raise OverflowError(written)
                    with _disk_outage():
                        handle.write(chunk)
                with _disk_outage():
                    handle.flush()
            finally:
                handle.close()
            with _disk_outage():
                os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise
        return written

    def presign_download(self, version, expires_at: datetime, ttl: int) -> str:
        url = reverse("documents:version-content", args=[version.pk])
        return url + "?" + urlencode({"token": tokens.download_token(version.pk, expires_at)})

    def open(self, name: str):
        path = self.path(name)
        with _disk_outage():
            try:
                return open(path, "rb")  # the response closes it
            except FileNotFoundError:
                logger.error("The stored file %s of a document version is missing", path)
                raise


def object_store():
    """The store for the configured default storage (tests swap it with override_settings)."""
    storage = storages["default"]
    if isinstance(storage, S3Storage):
        return S3Store(storage)
    if isinstance(storage, FileSystemStorage):
        return DiskStore(storage)
    raise TypeError(f"Unsupported storage for documents: {type(storage).__name__}")
