"""The object store behind documents: S3 (through django-storages' client) or the local disk.

Both offer the same small interface, so services never ask which one they have. On S3 the browser
talks to the bucket directly with presigned URLs; on disk our own endpoints stand in for them.
"""

from __future__ import annotations

import base64
import contextlib
import os
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from django.utils.http import urlencode

from documents import tokens
from documents.conf import CHUNK_SIZE

# Characters that survive in the ASCII fallback of Content-Disposition, and the dotless ı that NFKD
# leaves alone.
_ASCII_FALLBACK = str.maketrans({"ı": "i", '"': "_", "\\": "_", "/": "_", ";": "_"})


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", filename.translate(_ASCII_FALLBACK))
    fallback = "".join(c for c in fallback if 32 <= ord(c) < 127) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class S3Store:
    is_s3 = True

    def __init__(self, storage):
        self.storage = storage
        self.client = self._client(storage)
        self.bucket = storage.bucket_name

    @staticmethod
    def _client(storage):
        """A SigV4 client: only SigV4 signs the content length and checksum into a presigned URL (boto
        falls back to SigV2 for presigning when no signature version is set). Kept on the storage
        instance, which Django caches, so it is built once."""
        client = storage.__dict__.get("_documents_client")
        if client is None:
            client = storage._create_session().client(
                "s3",
                region_name=storage.region_name,
                use_ssl=storage.use_ssl,
                endpoint_url=storage.endpoint_url,
                config=storage.client_config.merge(Config(signature_version="s3v4")),
                verify=storage.verify,
            )
            storage.__dict__["_documents_client"] = client
        return client

    def key(self, name: str) -> str:
        from storages.utils import clean_name

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
        url = self.client.generate_presigned_url("put_object", Params=params, ExpiresIn=ttl)
        return url, headers

    def stat(self, name: str) -> tuple[int | None, str | None]:
        """Size and the SHA-256 the server computed and checked when the object was written (hex), in
        one HEAD; (None, None) when there is no object, a None checksum when the server kept none (an
        object written without one, a server without checksum support)."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(name), ChecksumMode="ENABLED")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None, None
            raise
        checksum = head.get("ChecksumSHA256")
        if not checksum or "-" in checksum:  # "-N": a checksum of part checksums, not of the object
            return head["ContentLength"], None
        try:
            return head["ContentLength"], base64.b64decode(checksum).hex()
        except ValueError:
            return head["ContentLength"], None

    def size(self, name: str) -> int | None:
        return self.stat(name)[0]

    def stored_sha256(self, name: str) -> str | None:
        return self.stat(name)[1]

    def read_range(self, name: str, start: int, end: int) -> bytes:
        """Bytes start..end (inclusive) of the object: the magic bytes without reading the whole file."""
        body = self.client.get_object(Bucket=self.bucket, Key=self.key(name), Range=f"bytes={start}-{end}")[
            "Body"
        ]
        try:
            return body.read()
        finally:
            body.close()

    def chunks(self, name: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self.key(name))["Body"]
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    def presign_download(self, version, expires_at: datetime, ttl: int) -> str:
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

    def stat(self, name: str) -> tuple[int | None, str | None]:
        """Size, and no checksum: the disk keeps none (the object is read to verify it)."""
        return self.size(name), None

    def size(self, name: str) -> int | None:
        try:
            return os.path.getsize(self.path(name))
        except FileNotFoundError:
            return None

    def chunks(self, name: str) -> Iterator[bytes]:
        with open(self.path(name), "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                yield chunk

    def delete(self, name: str) -> None:
        for path in (self.path(name), self.path(name) + ".part"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)

    def write(self, name: str, read, limit: int) -> int:
        """Stream `read(n)` to the file in chunks; refuse (and keep nothing) past `limit` bytes.

        Writes to a .part file renamed into place at the end, so a broken upload never looks whole.
        """
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial, written = path + ".part", 0
        try:
            with open(partial, "wb") as handle:
                while chunk := read(CHUNK_SIZE):
                    written += len(chunk)
                    if written > limit:
                        raise OverflowError(written)
                    handle.write(chunk)
            os.replace(partial, path)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        return written

    def presign_download(self, version, expires_at: datetime, ttl: int) -> str:
        url = reverse("documents:version-content", args=[version.pk])
        return url + "?" + urlencode({"token": tokens.download_token(version.pk, expires_at)})

    def open(self, name: str):
        return open(self.path(name), "rb")


def object_store():
    """The store for the configured default storage (tests swap it with override_settings)."""
    storage = storages["default"]
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        S3Storage = ()
    if S3Storage and isinstance(storage, S3Storage):
        return S3Store(storage)
    if isinstance(storage, FileSystemStorage):
        return DiskStore(storage)
    raise TypeError(f"Unsupported storage for documents: {type(storage).__name__}")


def check_round_trip() -> list[tuple[str, bool, str]]:
    """Write, stat, read back, sign a download, delete: each step with ok and a detail for people.

    Used by `manage.py check_storage` so a misconfigured endpoint, key or bucket is found at deploy
    time rather than at the first upload.
    """
    import hashlib
    import io
    import uuid

    results: list[tuple[str, bool, str]] = []
    try:
        store = object_store()
    except Exception as error:
        return [("configuration", False, str(error))]
    kind = "S3" if store.is_s3 else "local disk"
    where = f"{store.storage.endpoint_url or 'AWS'} bucket {store.bucket}" if store.is_s3 else store.path("")
    results.append(("configuration", True, f"{kind}: {where}"))
    name = f"documents/_check/{uuid.uuid4().hex}"
    payload = b"grants office storage check " + uuid.uuid4().hex.encode()

    def step(label, action):
        try:
            detail = action()
        except Exception as error:
            results.append((label, False, f"{type(error).__name__}: {error}"))
            return False
        results.append((label, True, detail or ""))
        return True

    def write():
        if store.is_s3:
            store.client.put_object(Bucket=store.bucket, Key=store.key(name), Body=payload)
        else:
            store.write(name, io.BytesIO(payload).read, limit=len(payload))
        return f"{len(payload)} bytes"

    def stat():
        size = store.size(name)
        if size != len(payload):
            raise ValueError(f"size {size}, expected {len(payload)}")
        return f"{size} bytes"

    def read_back():
        digest = hashlib.sha256(b"".join(store.chunks(name))).hexdigest()
        if digest != hashlib.sha256(payload).hexdigest():
            raise ValueError("the bytes read back differ")
        return "SHA-256 matches"

    def delete():
        store.delete(name)
        if store.size(name) is not None:
            raise ValueError("the object is still there")
        return ""

    if step("write", write):
        step("stat", stat)
        step("read back", read_back)
        step("delete", delete)
    if store.is_s3:

        def versioning():
            status = store.client.get_bucket_versioning(Bucket=store.bucket).get("Status") or "Disabled"
            if status != "Enabled":
                raise ValueError(f"bucket versioning is {status}; turn it on so no object is ever lost")
            return status

        step("bucket versioning", versioning)
    return results
