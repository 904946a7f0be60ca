"""The office signs in with a second factor: the admin and the coordinator set up their authenticator
apps as anyone does (the key shown, the app's first code), with the demo's shared key so a newcomer can
add it to an app (the logins print it) or use one of their recovery codes."""

from __future__ import annotations

from binascii import unhexlify

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import data
from demo.loader.shared import Demo
from grants_office.identity import services


def second_factors(demo: Demo) -> None:
    for spec in data.USERS:
        user = demo.users.get(spec["username"])
        if user is None or not spec.get("office"):
            continue
        device = services.start_authenticator(user)
        TOTPDevice.objects.filter(pk=device.pk).update(key=data.SECOND_FACTOR_KEY)
        services.confirm_authenticator(user, f"{totp(unhexlify(data.SECOND_FACTOR_KEY)):06d}")
