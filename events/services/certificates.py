"""Certificates: issued by the office once an event is held, to each confirmed participant who attended
the event's share of sessions (`Event.min_attendance_percent`); revoked with a reason (the row stays:
its code then verifies as revoked). Issuing is idempotent: a registration has one certificate at most
(one-to-one), and issuing again issues only the missing ones."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions as can
from events import signals
from events.models import Certificate, Event
from events.selectors.attendance import Line, attendance_sheet
from events.states import EventState
from grants_office.core.errors import Conflict, Invalid, Reason, not_permitted, refused
from grants_office.core.people import display_name

# Certificates are issued for what took place: held, or held and put away.
ISSUED_FOR = (EventState.HELD, EventState.ARCHIVED)
MAX_ID = 2**63 - 1


def _ensure_office(user) -> None:
    if not can.manages_events(user):
        raise not_permitted(_("Only the office issues and revokes certificates."))


def _wanted(registrations) -> tuple[set[int], list[str]]:
    wanted, bad = set(), []
    for value in registrations:
        text = str(value)
        if isinstance(value, bool) or not text.isdecimal() or len(text) > 19 or int(text) > MAX_ID:
            bad.append(text[:40])
        else:
            wanted.add(int(text))
    return wanted, bad


def _below(event: Event, lines: list[Line]) -> Conflict:
    reasons = [
        Reason(
            "below_attendance_threshold",
            _("%(person)s attended %(attended)s of %(total)s sessions; a certificate needs %(share)s %%.")
            % {
                "person": display_name(line.person),
                "attended": line.attended,
                "total": line.total,
                "share": event.min_attendance_percent,
            },
        )
        for line in lines
    ]
    ids = ", ".join(str(line.registration.pk) for line in lines)
    return Conflict(
        _("Below the share of sessions a certificate needs: %(ids)s.") % {"ids": ids},
        reasons=reasons,
        code="below_attendance_threshold",
    )


def _chosen(event: Event, lines: list[Line], registrations) -> list[Line]:
    """The lines of the registrations named: each a confirmed registration of the event (else 400) that
    qualifies (else 409 naming those that do not)."""
    wanted, bad = _wanted(registrations)
    known = {line.registration.pk: line for line in lines}
    strangers = [*bad, *map(str, sorted(wanted - set(known)))]
    if strangers:
        message = _("Not confirmed for this event: %(ids)s.") % {"ids": ", ".join(strangers)}
        raise Invalid(_("Invalid input."), fields={"registrations": [message]})
    chosen = [known[pk] for pk in sorted(wanted)]
    below = [line for line in chosen if not line.qualifies]
    if below:
        raise _below(event, below)
    return chosen


def _issue(user, line: Line) -> Certificate:
    for _attempt in range(3):  # a code drawn twice (about one in 10^17): draw again
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    registration=line.registration,
                    holder_name=display_name(line.person)[:300],
                    sessions_attended=line.attended,
                    sessions_total=line.total,
                    hours=line.hours,
                    issued_by=user,
                )
        except IntegrityError:
            continue
    raise RuntimeError("no free certificate code")


def issue_certificates(user, event: Event, *, registrations=None) -> list[Certificate]:
    """Issue the certificates not issued yet: to every confirmed registration that qualifies, or to the
    registrations named by id (each must qualify, else nothing is issued). Answers the new ones."""
    _ensure_office(user)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state not in ISSUED_FOR:
            raise refused("event_not_held", _("Certificates are issued once the event is held."))
        lines = attendance_sheet(locked)  # read under the lock: a racing issue sees what we issue
        if registrations is None:
            chosen = [line for line in lines if line.qualifies]
        else:
            chosen = _chosen(locked, lines, registrations)
        issued = []
        for line in chosen:
            if line.has_certificate:
                continue
            certificate = _issue(user, line)
            signals.certificate_issued.send(sender=Certificate, certificate=certificate, by=user)
            issued.append(certificate)
    return issued


def revoke_certificate(user, certificate: Certificate, *, reason: str) -> Certificate:
    """Revoke it (the office), saying why; the code then verifies as revoked, the reason stays private."""
    _ensure_office(user)
    reason = str(reason or "").strip()[:2000]
    if not reason:
        raise Invalid(
            _("Say why the certificate is revoked."), fields={"reason": [_("A reason is required.")]}
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise refused("already_revoked", _("The certificate is revoked already."))
        locked.revoked_at, locked.revoked_by, locked.revocation_reason = timezone.now(), user, reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked
