"""The person among members and partners: partner search, cooperations, trainings and certificates, and
the earlier exports of their data."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cooperation.models import Cooperation, PartnerProfile, PartnerRequest, PartnerResponse
from events.models import Attendance, Certificate, Registration
from privacy.holdings.section import Section, row
from privacy.models import DataExport


def _registration(registration: Registration, _person=None) -> dict:
    return row(
        event=registration.event.title,
        starts=registration.event.starts_at,
        for_municipality=str(registration.municipality) if registration.municipality_id else None,
        state=registration.get_state_display(),
        registered=registration.created_at,
        decided=registration.decided_at,
        refusal_reason=registration.refusal_reason,
        cancelled=registration.cancelled_at,
        attendance=[
            row(session=str(mark.session), starts=mark.session.starts_at, present=mark.present)
            for mark in registration.marks
        ],
    )


def _partner_contacts(user):
    """Partner profiles that name the person as their contact (by the e-mail address)."""
    if not user.email:
        return PartnerProfile.objects.none()
    return (
        PartnerProfile.objects.filter(contact_email__iexact=user.email)
        .select_related("municipality", "organisation")
        .order_by("id")
    )


def _partner_contact(profile: PartnerProfile, _person=None) -> dict:
    party = profile.municipality or profile.organisation
    return row(partner=str(party), contact_name=profile.contact_name, contact_email=profile.contact_email)


SECTIONS = [
    Section(
        "partner_requests",
        _("Partner requests written"),
        lambda user: PartnerRequest.objects.filter(created_by=user).order_by("created_at", "id"),
        lambda request, _person: row(
            title=request.title,
            description=request.description,
            role_wanted=request.role_wanted,
            answer_by=request.answer_by,
            state=request.get_state_display(),
            created=request.created_at,
        ),
    ),
    Section(
        "partner_answers",
        _("Answers to partner requests"),
        lambda user: (
            PartnerResponse.objects.filter(responder=user)
            .select_related("request")
            .order_by("created_at", "id")
        ),
        lambda response, _person: row(
            request=response.request.title,
            message=response.message,
            state=response.get_state_display(),
            written=response.created_at,
            decided=response.decided_at,
        ),
    ),
    Section(
        "cooperations",
        _("Cooperations recorded"),
        lambda user: Cooperation.objects.filter(created_by=user).order_by("created_at", "id"),
        lambda cooperation, _person: row(
            kind=cooperation.get_kind_display(),
            title=cooperation.title,
            signed_on=cooperation.signed_on,
            recorded=cooperation.created_at,
        ),
    ),
    Section(
        "partner_contact",
        _("Partner profiles naming the person as contact"),
        _partner_contacts,
        _partner_contact,
    ),
    Section(
        "event_registrations",
        _("Trainings and events"),
        lambda user: (
            Registration.objects.filter(person=user)
            .select_related("event", "municipality")
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("session").order_by("session__starts_at"),
                    to_attr="marks",
                )
            )
            .order_by("created_at", "id")
        ),
        _registration,
    ),
    Section(
        "certificates",
        _("Certificates"),
        lambda user: (
            Certificate.objects.filter(registration__person=user)
            .select_related("registration__event")
            .order_by("issued_at", "id")
        ),
        lambda certificate, _person: row(
            code=certificate.display_code,
            holder_name=certificate.holder_name,
            event=certificate.registration.event.title,
            hours=certificate.hours,
            sessions_attended=certificate.sessions_attended,
            sessions_total=certificate.sessions_total,
            issued=certificate.issued_at,
            revoked=certificate.revoked_at,
            revocation_reason=certificate.revocation_reason,
        ),
    ),
    Section(
        "data_exports",
        _("Exports of the person's data"),
        lambda user: DataExport.objects.filter(subject=user).order_by("requested_at", "id"),
        lambda export, person: row(
            requested=export.requested_at,
            by_you=export.requested_by_id == person.pk,
            state=export.get_state_display(),
            ready=export.ready_at,
        ),
    ),
]
