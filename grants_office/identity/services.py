"""Every change of a person's second factor: an authenticator app (TOTP, django-otp) set up and confirmed
by a code, recovery codes (each works once), turned off where the office does not require it, and reset by
an office admin for someone who lost both. Each change is in the audit trail; no key or code ever is."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from grants_office.core import audit
from grants_office.core.errors import Invalid, not_permitted, refused
from grants_office.core.sessions import end_sessions_of
from grants_office.identity import selectors
from grants_office.identity.permissions import may_reset_second_factor, may_turn_off_second_factor

APP_NAME = gettext_lazy("Authenticator app")
RECOVERY_NAME = gettext_lazy("Recovery codes")
# What the trail says the second factor was (the audit entry's old and new values).
OFF, ON, NEW_APP, NEW_CODES = "off", "authenticator app", "new authenticator app", "new recovery codes"


def _normalised(code: str) -> str:
    """People type codes with spaces, and recovery codes as we show them, with a dash."""
    return "".join((code or "").split()).replace("-", "").lower()


def _is_app_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def _wait_message(details: dict) -> str:
    locked_until = details.get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    message = ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    )
    return message % {"seconds": seconds}


def _try(devices, code: str):
    """The first device that accepts the code; a device's failures count (its throttle) and are kept, so
    the refusal is raised by the caller, after this has committed."""
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return None, _wait_message(details or {})
            if device.verify_token(code):
                return device, None
    return None, _("This code is not right, or it has expired. Enter the current one.")


def _given(code: str) -> str:
    """The code as typed, normalised; Invalid (the field `code`) when there is none."""
    code = _normalised(code)
    if not code:
        raise Invalid(_("Enter the code."), fields={"code": [_("Enter the code.")]})
    return code


def _refused(problem: str) -> Invalid:
    return Invalid(problem, fields={"code": [problem]})


def verify_code(user, code: str, *, recovery: bool = True):
    """The device that accepts `code`: the person's authenticator app (six digits) or, when `recovery`, one
    of their recovery codes, which is then used up. Invalid (the field `code`) when none does."""
    code = _given(code)
    if _is_app_code(code):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif recovery:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = TOTPDevice.objects.none()
    device, problem = _try(devices, code)
    if device is None:
        raise _refused(problem)
    return device


def start_authenticator(user) -> TOTPDevice:
    """The key the person's app is to learn (shown as a QR code and as text): the one being set up, or a
    new one. Confirming it replaces the app in use, if any (a new phone)."""
    pending = selectors.pending_authenticator(user)
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=str(APP_NAME), confirmed=False)


def _new_recovery_codes(user) -> list[str]:
    device = selectors.recovery_device_of(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=str(RECOVERY_NAME), confirmed=True)
    device.token_set.all().delete()
    codes = set()
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in sorted(codes)])
    return [f"{code[:4]}-{code[4:]}" for code in sorted(codes)]


def confirm_authenticator(user, code: str) -> list[str]:
    """The app's first code proves it learned the key: two-factor sign-in is on (or moved to this app).
    Answers the new recovery codes, shown once."""
    device = selectors.pending_authenticator(user)
    if device is None:
        raise refused("not_started", _("Start setting up the app first: the key has not been shown yet."))
    accepted, problem = _try(TOTPDevice.objects.filter(pk=device.pk), _given(code))
    if accepted is None:
        raise _refused(problem)
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()[0]
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = _new_recovery_codes(user)
        audit.record_change(
            user, {"second_factor": (ON if replaced else OFF, NEW_APP if replaced else ON)}, user
        )
    return codes


def renew_recovery_codes(user, code: str) -> list[str]:
    """New recovery codes for old ones (used up, or seen by someone): the app's code confirms it, never a
    recovery code."""
    if not selectors.has_second_factor(user):
        raise refused("not_on", _("Two-factor sign-in is not on."))
    verify_code(user, code, recovery=False)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record_change(user, {"second_factor": (ON, NEW_CODES)}, user)
    return codes


def forget_second_factor(user) -> int:
    """Every device of the person, confirmed or not (their account is being erased, or reset); how many."""
    apps = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    return apps + StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)


def turn_off(user, code: str) -> None:
    """Back to the password alone, for people the office does not require it of; a current code (or a
    recovery code) confirms it is them."""
    if not may_turn_off_second_factor(user):
        raise refused(
            "required_for_office",
            _("Office accounts must sign in with a second factor: move it to a new app instead."),
        )
    if not selectors.has_second_factor(user):
        raise refused("not_on", _("Two-factor sign-in is not on."))
    verify_code(user, code)
    with transaction.atomic():
        forget_second_factor(user)
        audit.record_change(user, {"second_factor": (ON, OFF)}, user)


@transaction.atomic
def reset_second_factor(actor, person, reason: str = "") -> dict[str, int]:
    """For a person who lost their phone and their recovery codes: their second factor is removed, and
    they are signed out of every browser and script (whoever has the phone may be signed in too). Office
    staff set up a new app at their next sign-in. `actor` None: the operator, from the command line."""
    if actor is not None and not may_reset_second_factor(actor, person):
        raise not_permitted(_("Only an office admin may reset another person's two-factor sign-in."))
    if not selectors.has_second_factor(person) and not selectors.pending_authenticator(person):
        raise refused("not_on", _("This person has no second factor to reset."))
    if not (reason or "").strip():
        raise Invalid(_("Say why."), fields={"reason": [_("Say why the second factor is reset.")]})
    counts = {
        "devices": forget_second_factor(person),
        "sessions": end_sessions_of(person),
        "api_tokens": AuthToken.objects.filter(user=person).delete()[0],
    }
    with audit.acting(actor):
        entry = audit.record_change(person, {"second_factor": (ON, OFF)}, actor)
    entry.additional_data = {**(entry.additional_data or {}), "reason": reason.strip()}
    entry.save(update_fields=["additional_data"])
    return counts
