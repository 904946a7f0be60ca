"""Why a person cannot be erased now: legal holds (records a funder or the union still needs under the
person's name) and steps that must come first. Each is a reason with a stable code."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from grants_office.core.errors import Reason
from grants_office.members.models import TeamMembership
from privacy import conf
from privacy.retention import months_before
from workflows.models import Proposal, ReviewAssignment
from workflows.states import AssignmentState, State


def _years_after(day: date, years: int) -> date:
    return months_before(day, -12 * years)  # 29 February: the 28th


def _titles(proposals) -> str:
    return ", ".join(sorted(proposal.title for proposal in proposals[:5]))


def _open_proposals(person):
    """Open proposals the person coordinates, or leads as their municipality's team lead."""
    lead_of = TeamMembership.objects.active().filter(
        user=person, role=TeamMembership.Role.LEAD, municipality__isnull=False
    )
    return (
        Proposal.objects.alive()
        .filter(state__in=State.OPEN)
        .filter(Q(coordinator=person) | Q(lead__in=lead_of.values("municipality")))
        .order_by("title")
    )


def _retention_until(person, today: date) -> tuple[date, list[Proposal]] | None:
    """The last day records of an awarded proposal the person worked on (registered, coordinated,
    uploaded to) must stay; None when none is still kept."""
    years = conf.funded_retention_years()
    worked_on = (
        Q(created_by=person)
        | Q(coordinator=person)
        | Q(document_set__documents__versions__uploaded_by=person)
    )
    awarded = Proposal.objects.filter(state=State.AWARDED, decided_on__isnull=False).filter(worked_on)
    kept = [p for p in awarded.distinct() if _years_after(p.decided_on, years) >= today]
    if not kept:
        return None
    return max(_years_after(p.decided_on, years) for p in kept), kept


def holds(person, actor=None, today: date | None = None) -> list[Reason]:
    """Every reason the person cannot be erased now; empty when they can."""
    today = today or timezone.localdate()
    if hasattr(person, "erasure"):
        return [Reason("already_erased", _("This person is erased already."))]
    reasons = []
    if actor is not None and actor.pk == person.pk:
        reasons.append(Reason("own_account", _("Nobody erases their own account: another admin does.")))
    if person.is_superuser or person.is_staff or person.groups.exists():
        reasons.append(
            Reason(
                "office_role",
                _(
                    "The person still has a role in the office. "
                    "Take their groups and admin rights away first."
                ),
            )
        )
    open_proposals = list(_open_proposals(person))
    if open_proposals:
        reasons.append(
            Reason(
                "leads_open_proposal",
                _("The person leads or coordinates open proposals: %(titles)s. Hand them over first.")
                % {"titles": _titles(open_proposals)},
            )
        )
    kept = _retention_until(person, today)
    if kept:
        until, proposals = kept
        reasons.append(
            Reason(
                "retention_period",
                _(
                    "The records of awarded proposals the person worked on are kept until "
                    "%(until)s: %(titles)s."
                )
                % {"until": formats.date_format(until, "SHORT_DATE_FORMAT"), "titles": _titles(proposals)},
            )
        )
    reviewing = ReviewAssignment.objects.filter(
        reviewer=person,
        state__in=(AssignmentState.INVITED, AssignmentState.ACCEPTED),
        round__closed_at__isnull=True,
    )
    if reviewing.exists():
        reasons.append(
            Reason(
                "review_in_progress",
                _("The person has reviews to write in open rounds. Withdraw the invitations first."),
            )
        )
    return reasons
