"""Rows the project itself keeps, for no app in particular: the answers to idempotent API requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to an unsafe API request sent with an `Idempotency-Key`, kept for a day
    (`IDEMPOTENCY_KEY_TTL`) so that a retry gets it again instead of writing twice.

    Written in the same transaction as the request's own writes (grants_office/core/idempotency.py):
    if the write committed, so did its record.
    """

    # The scope of a key: the person the request authenticated as (whatever the credential).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    # SHA-256 of the method, the path with its query and the body: the same key for another request
    # is a client bug (422), never a replay.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    # Empty only inside the request's own transaction, before its answer is known: never committed so.
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)
    headers = models.JSONField(_("headers"), default=list)
    body = models.BinaryField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
