"""Reads of a person's second factor: whether they have one, and what their settings page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grants_office.core.errors import NotFound
from grants_office.identity.permissions import may_turn_off_second_factor, must_use_second_factor


@dataclass(frozen=True)
class SecondFactor:
    on: bool
    since: datetime | None
    last_used: datetime | None
    recovery_codes_left: int
    required: bool
    may_turn_off: bool


def authenticator_of(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app (one per person)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_authenticator(user) -> TOTPDevice | None:
    """The key shown while the person sets up their app, not yet confirmed by a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device_of(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_of(user) -> SecondFactor:
    device = authenticator_of(user)
    left = recovery_codes_left(user) if device else 0
    return SecondFactor(
        on=device is not None,
        since=device.created_at if device else None,
        last_used=device.last_used_at if device else None,
        recovery_codes_left=left,
        required=must_use_second_factor(user),
        may_turn_off=may_turn_off_second_factor(user),
    )


def account(pk: int):
    """A person by id, for the office admin's reset."""
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such person."))
    return found
