"""Certificates: issued by the office once an event is held, to each confirmed participant who attended
the event's share of sessions; revoked with a reason (the row stays: the code then verifies as
revoked)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions as can
from events import signals
from events.models import Certificate, Event
from events.selectors.attendance import attendance_sheet
from events.services.registrations import refuse
from events.states import EventState
from grants_office.core.errors import Conflict, Invalid, Reason, not_permitted
from grants_office.core.people import display_name


def _ensure_office(user) -> None:
    if not can.manages_events(user):
        raise not_permitted(_("Only the office issues certificates."))


def _chosen(lines, registrations, event: Event) -> list:
    wanted = {int(pk) for pk in registrations if str(pk).isdigit() and not isinstance(pk, bool)}
    bad = [str(pk) for pk in registrations if not str(pk).isdigit() or isinstance(pk, bool)]
    known = {line.registration.pk: line for line in lines}
    strangers = sorted(wanted - set(known))
    if bad or strangers:
        names = ", ".join([*bad, *map(str, strangers)])
        raise Invalid(
            _("Invalid input."),
            fields={"registrations": [_("Not confirmed for this event: %(ids)s.") % {"ids": names}]},
        )
    chosen = [known[pk] for pk in sorted(wanted)]
    below = [line for line in chosen if not line.qualifies]
    if below:
        reasons = [
            Reason(
                "below_attendance_threshold",
                _("%(person)s attended %(attended)s of %(total)s sessions; a certificate needs %(share)s %%.")
                % {
                    "person": display_name(line.registration.person),
                    "attended": line.attended,
                    "total": line.total,
                    "share": event.min_attendance_percent,
                },
            )
            for line in below
        ]
        raise Conflict(_("Not everyone attended enough."), reasons=reasons, code="below_attendance_threshold")
    return chosen


def issue_certificates(user, event: Event, *, registrations=None) -> list[Certificate]:
    """Issue the certificates not issued yet: to everyone who qualifies, or to the chosen registrations
    (each must qualify, else nothing is issued)."""
    _ensure_office(user)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.state not in (EventState.HELD, EventState.ARCHIVED):
            raise refuse("event_not_held", _("Certificates are issued once the event is held."))
        lines = attendance_sheet(locked)
        chosen = (
            [line for line in lines if line.qualifies]
            if registrations is None
            else _chosen(lines, registrations, locked)
        )
        issued = []
        for line in chosen:
            if line.certificate is not None:
                continue
            certificate = _issue(user, line)
            signals.certificate_issued.send(sender=Certificate, certificate=certificate, by=user)
            issued.append(certificate)
    return issued


def _issue(user, line) -> Certificate:
    person = line.registration.person
    for _attempt in range(3):  # a code already taken (about one in 10^17): draw again
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    registration=line.registration,
                    holder_name=(person.get_full_name() or person.get_username())[:300],
                    sessions_attended=line.attended,
                    sessions_total=line.total,
                    hours=line.hours,
                    issued_by=user,
                )
        except IntegrityError:
            if Certificate.objects.filter(registration=line.registration).exists():
                return Certificate.objects.get(registration=line.registration)
    raise RuntimeError("no free certificate code")


def revoke_certificate(user, certificate: Certificate, *, reason: str) -> Certificate:
    _ensure_office(user)
    reason = str(reason or "").strip()[:2000]
    if not reason:
        raise Invalid(
            _("Say why the certificate is revoked."), fields={"reason": [_("A reason is required.")]}
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise refuse("already_revoked", _("The certificate is revoked already."))
        locked.revoked_at, locked.revoked_by, locked.revocation_reason = timezone.now(), user, reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked
