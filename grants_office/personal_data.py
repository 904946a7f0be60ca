"""The settings of personal data (privacy/, docs/privacy.md), read from the environment: how long an
export lasts, the legal hold of an award, and how long each kind of record is kept."""

from grants_office.env import env

# How many days a ready ZIP of a person's data can be downloaded, and up to how many bytes of uploaded
# files `GET /api/v1/me/data-export/` answers the ZIP itself (beyond: 202, built in the background).
EXPORT_DAYS = int(env("PRIVACY_EXPORT_DAYS", "7"))
EXPORT_INLINE_BYTES = int(env("PRIVACY_EXPORT_INLINE_BYTES", str(20 * 1024 * 1024)))
# Records of an awarded proposal are kept this long after the decision (the funder may audit them).
FUNDED_RETENTION_YEARS = int(env("PRIVACY_FUNDED_RETENTION_YEARS", "5"))

# Months each kind of record is kept before the retention job destroys or anonymises it; each is
# RETENTION_<KIND>_MONTHS in the environment (RETENTION_NOTIFICATIONS_MONTHS=6).
RETENTION_DEFAULTS = {
    "notifications": 12,
    "sign_ins": 24,
    "downloads": 24,
    "trail_addresses": 24,
    "data_exports": 24,
    "closed_discussions": 60,
}
RETENTION_MONTHS = {
    kind: int(env(f"RETENTION_{kind.upper()}_MONTHS", str(months)))
    for kind, months in RETENTION_DEFAULTS.items()
}
