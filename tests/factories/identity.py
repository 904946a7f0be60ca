"""A second factor set up as a person does it (the services, the app's code), and the codes the app
would show."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from grants_office.identity import selectors, services


def app_code(device: TOTPDevice) -> str:
    """The code an authenticator app with this key shows, for the first time step the device still
    accepts (it refuses a step it has seen: a replay; its tolerance takes the next step too)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    if (
        step > totp.t() + device.tolerance
    ):  # a third code within one step: wait for the next, as a person would
        time.sleep(device.t0 + (step - device.tolerance) * device.step - time.time() + 0.05)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():06d}"


def with_second_factor(user) -> tuple[TOTPDevice, list[str]]:
    """Two-factor sign-in on for `user`: their app's device and their recovery codes."""
    device = services.start_authenticator(user)
    codes = services.confirm_authenticator(user, app_code(device))
    return selectors.authenticator_of(user), codes
