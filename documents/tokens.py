"""Signed, expiring tokens for embedded mode: our own endpoints stand in for S3's presigned URLs."""

from __future__ import annotations

from datetime import datetime

from django.core import signing

from grants_office.core.errors import DomainError

UPLOAD_SALT = "documents.upload"
DOWNLOAD_SALT = "documents.download"


class SignatureRefused(DomainError):
    """A signed URL that is expired, tampered with or used up (as S3 answers: 403)."""

    status = 403
    code = "signature_refused"


def _sign(salt: str, object_id, expires_at: datetime) -> str:
    return signing.TimestampSigner(salt=salt).sign(f"{object_id}:{int(expires_at.timestamp())}")


def _check(salt: str, token: str, object_id, max_age: int, now: datetime) -> bool:
    """True if the token was signed for this object, has not expired, and is not older than max_age."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except (signing.BadSignature, signing.SignatureExpired):
        return False
    signed_id, _, expiry = value.rpartition(":")
    try:
        expires = int(expiry)
    except ValueError:
        return False
    return signed_id == str(object_id) and now.timestamp() <= expires


def upload_token(pending_id, expires_at: datetime) -> str:
    return _sign(UPLOAD_SALT, pending_id, expires_at)


def check_upload_token(token: str, pending_id, ttl: int, now: datetime) -> bool:
    return _check(UPLOAD_SALT, token, pending_id, ttl, now)


def download_token(version_id, expires_at: datetime) -> str:
    return _sign(DOWNLOAD_SALT, version_id, expires_at)


def check_download_token(token: str, version_id, ttl: int, now: datetime) -> bool:
    return _check(DOWNLOAD_SALT, token, version_id, ttl, now)
