"""The documents app's settings, with defaults for the ones the project settings do not set."""

from django.conf import settings

# Content types a client may announce; the stored bytes must then look like that type.
DEFAULT_ALLOWED_CONTENT_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/png",
    "image/jpeg",
    "application/zip",
    "text/plain",
    "text/csv",
)

CHUNK_SIZE = 64 * 1024


def max_upload_size() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_SIZE


def upload_url_ttl() -> int:
    return settings.DOCUMENTS_UPLOAD_URL_TTL


def download_url_ttl() -> int:
    return settings.DOCUMENTS_DOWNLOAD_URL_TTL


def allowed_content_types() -> tuple[str, ...]:
    return tuple(getattr(settings, "DOCUMENTS_ALLOWED_CONTENT_TYPES", DEFAULT_ALLOWED_CONTENT_TYPES))


def abandoned_after() -> int:
    """Seconds after a signed upload expires before it counts as abandoned.

    A large PUT started just before expiry may still be running, and its client completes afterwards.
    """
    return int(getattr(settings, "DOCUMENTS_ABANDONED_UPLOAD_GRACE", 3600))


# Storage outages (the "Storage timeouts and Object Lock" settings): fail fast, say when to retry.


def s3_timeouts() -> tuple[float, float, int]:
    """Connect and read timeouts in seconds and the attempts per S3 call (the first one included)."""
    return (
        float(getattr(settings, "S3_CONNECT_TIMEOUT", 5)),
        float(getattr(settings, "S3_READ_TIMEOUT", 5)),
        max(1, int(getattr(settings, "S3_MAX_ATTEMPTS", 2))),
    )


def storage_retry_after() -> int:
    return int(getattr(settings, "STORAGE_RETRY_AFTER", 30))


def object_lock_retention_days() -> int | None:
    """Days of GOVERNANCE retention put on each accepted version; None: no retention is set."""
    days = getattr(settings, "S3_OBJECT_LOCK_RETENTION_DAYS", None)
    return int(days) if days else None
