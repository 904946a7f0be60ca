"""The deploy-time check of the document storage (`manage.py check_storage`).

A round trip through the configured store (write, stat, read back, delete) and, on S3, the bucket's
versioning and Object Lock, so a misconfigured endpoint, key or bucket is found at deploy time rather
than at the first upload. Each step reports `(label, ok, detail)` for people.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable

from botocore.exceptions import ClientError

from documents import conf
from documents.storage import object_store

Result = tuple[str, bool, str]


def check_round_trip() -> list[Result]:
    """Write, stat, read back, sign a download, delete: each step with ok and a detail for people."""
    try:
        store = object_store()
    except Exception as error:
        return [("configuration", False, str(error))]
    return RoundTrip(store).run()


class RoundTrip:
    """One probe object under `documents/_check/`, written, checked and purged again step by step."""

    def __init__(self, store):
        self.store = store
        self.results: list[Result] = []
        self.name = ""
        self.payload = b""

    def run(self) -> list[Result]:
        self.results.append(("configuration", True, self.configuration()))
        self.name = f"documents/_check/{uuid.uuid4().hex}"
        self.payload = b"grants office storage check " + uuid.uuid4().hex.encode()
        if self.step("write", self.write):
            self.step("stat", self.stat)
            self.step("read back", self.read_back)
            self.step("delete", self.delete)
        if self.store.is_s3:
            self.step("bucket versioning", self.versioning)
            if conf.object_lock_retention_days():
                self.step("object lock", self.object_lock)
        return self.results

    def step(self, label: str, action: Callable[[], str | None]) -> bool:
        """Run one step and record its result: its detail, or the error (and its cause) it raised."""
        try:
            detail = action()
        except Exception as error:
            cause = f" ({type(error.__cause__).__name__}: {error.__cause__})" if error.__cause__ else ""
            self.results.append((label, False, f"{type(error).__name__}: {error}{cause}"))
            return False
        self.results.append((label, True, detail or ""))
        return True

    # --- the steps ---------------------------------------------------------------------------------
    def configuration(self) -> str:
        store = self.store
        if store.is_s3:
            return f"S3: {store.storage.endpoint_url or 'AWS'} bucket {store.bucket}"
        return f"local disk: {store.path('')}"

    def write(self) -> str:
        store = self.store
        if store.is_s3:
            store.client.put_object(Bucket=store.bucket, Key=store.key(self.name), Body=self.payload)
        else:
            store.write(self.name, io.BytesIO(self.payload).read, limit=len(self.payload))
        return f"{len(self.payload)} bytes"

    def stat(self) -> str:
        size = self.store.size(self.name)
        if size != len(self.payload):
            raise ValueError(f"size {size}, expected {len(self.payload)}")
        return f"{size} bytes"

    def read_back(self) -> str:
        digest = hashlib.sha256(b"".join(self.store.chunks(self.name))).hexdigest()
        if digest != hashlib.sha256(self.payload).hexdigest():
            raise ValueError("the bytes read back differ")
        return "SHA-256 matches"

    def delete(self) -> str:
        removed = self.store.purge(self.name)
        if self.store.size(self.name) is not None:
            raise ValueError("the object is still there")
        if self.store.is_s3:
            left = self._versions_left()
            if left:
                raise ValueError(f"{left} version(s) of the object are still stored")
        return f"{removed} version(s) removed, none left"

    def _versions_left(self) -> int:
        """Versions and delete markers of exactly the probe's key (a plain DELETE would leave them)."""
        key = self.store.key(self.name)
        listing = self.store.client.list_object_versions(Bucket=self.store.bucket, Prefix=key)
        entries = (*listing.get("Versions", ()), *listing.get("DeleteMarkers", ()))
        return sum(1 for entry in entries if entry["Key"] == key)

    def versioning(self) -> str:
        status = self.store.client.get_bucket_versioning(Bucket=self.store.bucket).get("Status") or "Disabled"
        if status != "Enabled":
            raise ValueError(f"bucket versioning is {status}; turn it on so no object is ever lost")
        return status

    def object_lock(self) -> str:
        try:
            lock = self.store.client.get_object_lock_configuration(Bucket=self.store.bucket)
        except ClientError as error:
            raise ValueError(
                "S3_OBJECT_LOCK_RETENTION_DAYS is set but the bucket has no Object Lock"
            ) from error
        config = lock.get("ObjectLockConfiguration", {})
        if config.get("ObjectLockEnabled") != "Enabled":
            raise ValueError("S3_OBJECT_LOCK_RETENTION_DAYS is set but Object Lock is not enabled")
        if config.get("Rule", {}).get("DefaultRetention"):
            # a default retention locks refused uploads too, before they can be deleted
            raise ValueError("remove the bucket's default retention: versions are retained when accepted")
        return f"enabled; {conf.object_lock_retention_days()} days GOVERNANCE per accepted version"
