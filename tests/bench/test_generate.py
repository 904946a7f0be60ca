"""The bench generator at the tiny scale: every section holds what the scale says, and the rows are shaped
as the services leave them (a generated team member and reviewer see their proposals through the real
selectors). PostgreSQL only: runs when DATABASE_URL is set (as in CI)."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from bench.generate import generate
from bench.scales import SCALES
from cooperation.models import PartnerProfile
from documents.models import DocumentVersion
from events.models import Attendance, Certificate, Event, Registration
from events.states import EventState, RegistrationState
from grants_office.calls.models import Call
from grants_office.members.models import Municipality, Organisation, TeamMembership
from notifications.models import Notification
from workflows.access import can_view
from workflows.models import Proposal, ProposalPartner
from workflows.review.models import ReviewAssignment
from workflows.selectors import proposals_visible_to
from workflows.states import AssignmentState

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="the generator runs on PostgreSQL"),
    pytest.mark.django_db,
]

SCALE = SCALES["tiny"]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One generation for the module, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        generator = generate("tiny", out=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh tables without statistics get poor plans
        yield generator
        transaction.set_rollback(True)


def test_every_section_holds_what_the_scale_says(generated):
    assert Municipality.objects.count() == SCALE.municipalities
    assert Organisation.objects.count() == SCALE.organisations
    assert get_user_model().objects.count() == SCALE.users
    assert Call.objects.count() == SCALE.calls
    assert Proposal.objects.count() == SCALE.proposals
    assert DocumentVersion.objects.count() == SCALE.versions
    assert ReviewAssignment.objects.count() == SCALE.assignments
    assert Notification.objects.count() == SCALE.notifications
    assert Event.objects.count() == SCALE.events
    assert not Proposal.objects.filter(document_set__isnull=True).exists()
    assert (
        PartnerProfile.objects.exclude(search_document="").count()
        == SCALE.municipalities + SCALE.organisations
    )
    unread = Notification.objects.filter(read_at__isnull=True).count() / SCALE.notifications
    assert 0.02 < unread < 0.3
    assert [name for name, _seconds, _rows in generated.timings] == [
        "members",
        "people",
        "calls",
        "proposals",
        "documents",
        "review",
        "notifications",
        "events",
        "partner profiles",
    ]


def test_a_team_member_sees_their_proposals_through_the_selectors(generated):
    membership = (
        TeamMembership.objects.filter(municipality__isnull=False, role=TeamMembership.Role.LEAD)
        .select_related("user", "municipality")
        .order_by("pk")
        .first()
    )
    user, municipality = membership.user, membership.municipality
    as_partner = ProposalPartner.objects.filter(municipality=municipality).values("proposal")
    theirs = set(Proposal.objects.filter(lead=municipality).values_list("pk", flat=True)) | set(
        Proposal.objects.filter(pk__in=as_partner).values_list("pk", flat=True)
    )
    visible = set(proposals_visible_to(user).values_list("pk", flat=True))
    assert theirs and visible == theirs
    assert can_view(user, Proposal.objects.get(pk=min(theirs)))
    someone_elses = Proposal.objects.exclude(pk__in=theirs).order_by("pk").first()
    assert not can_view(user, someone_elses)


def test_a_reviewer_sees_the_proposals_they_accepted_to_review(generated):
    assignment = ReviewAssignment.objects.filter(state__in=AssignmentState.FULL_ACCESS).order_by("pk").first()
    reviewer = assignment.reviewer
    live = set(
        ReviewAssignment.objects.filter(reviewer=reviewer, state__in=AssignmentState.FULL_ACCESS).values_list(
            "round__proposal", flat=True
        )
    )
    assert set(proposals_visible_to(reviewer).values_list("pk", flat=True)) == live
    assert can_view(reviewer, assignment.round.proposal)


def test_proposals_carry_the_moments_results_count_by(generated):
    """As the transitions leave them: the submission that counts, the decision's day, and a start that
    comes before the submission."""
    submitted = Proposal.objects.filter(submissions__isnull=False).distinct()
    assert submitted.exists()
    for proposal in submitted:
        assert proposal.submitted_at == proposal.latest_submission.submitted_at
        assert proposal.created_at <= proposal.submitted_at
    decided = Proposal.objects.filter(state__in=["awarded", "rejected", "reserve", "ineligible"])
    assert decided.exists()
    assert not decided.filter(decided_on__isnull=True).exists()
    assert not Proposal.objects.filter(submitted_at__isnull=True, decided_on__isnull=False).exists()


def test_events_are_shaped_as_the_events_services_leave_them(generated):
    held = (EventState.HELD, EventState.ARCHIVED)
    assert Registration.objects.exists() and Certificate.objects.exists()
    assert not Registration.objects.filter(event__state=EventState.DRAFT).exists()
    # a certificate only for a confirmed seat of a held event, with the sessions attended counted
    for certificate in Certificate.objects.select_related("registration__event")[:50]:
        registration = certificate.registration
        assert registration.state == RegistrationState.CONFIRMED and registration.event.state in held
        marks = Attendance.objects.filter(registration=registration)
        assert marks.count() == certificate.sessions_total == registration.event.sessions.count()
        assert marks.filter(present=True).count() == certificate.sessions_attended
    # nobody waits for a place at an event that is over, and every live seat is a team's member
    assert not Registration.objects.filter(event__state__in=held, state=RegistrationState.WAITLISTED).exists()
    for registration in Registration.objects.filter(state__in=RegistrationState.LIVE)[:50]:
        assert TeamMembership.objects.filter(
            user=registration.person, municipality=registration.municipality
        ).exists()
