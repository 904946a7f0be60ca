"""The privacy settings, read when used (tests change them)."""

from django.conf import settings


def export_days() -> int:
    """How long a ready export can be downloaded before its file is deleted."""
    return settings.PRIVACY_EXPORT_DAYS


def inline_bytes() -> int:
    """Up to this many bytes of uploaded files, `GET /api/v1/me/data-export/` answers the ZIP at once."""
    return settings.PRIVACY_EXPORT_INLINE_BYTES


def funded_retention_years() -> int:
    """How long after an award the people who worked on the proposal stay on record (a legal hold)."""
    return settings.PRIVACY_FUNDED_RETENTION_YEARS


def retention_months(kind: str) -> int:
    """How many months records of `kind` are kept (privacy/retention.py names the kinds)."""
    return settings.PRIVACY_RETENTION_MONTHS[kind]
