"""The bulk visibility check agrees with the per-person one, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grants_office.members.models import TeamMembership
from tests.factories import ExpertProfileFactory, TeamMembershipFactory, UserFactory, office_staff
from workflows.access import can_view, viewers_among
from workflows.review import services as review_services

pytestmark = pytest.mark.django_db


def _round_with(proposal, office, *reviewers):
    from grants_office.calls.models import Criterion, Rubric

    rubric = Rubric.objects.create(name="Office default", is_office_default=True)
    Criterion.objects.create(rubric=rubric, code="quality", title="Quality")
    review_round = review_services.open_round(proposal, office)
    return [review_services.assign_reviewer(review_round, office, reviewer=r) for r in reviewers]


def test_viewers_among_agrees_with_can_view(people, make_proposal, django_assert_num_queries):
    proposal = make_proposal(state="drafting")
    accepted = ExpertProfileFactory().user
    invited = ExpertProfileFactory().user
    first, _ = _round_with(proposal, people["office"], accepted, invited)
    review_services.transition_assignment(first, "accept", accepted, declaration="None.", no_conflict=True)
    superuser = UserFactory(username="root", is_superuser=True)
    inactive = office_staff(username="inactive_office")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    everyone = [u for u in people.values() if u is not None] + [accepted, invited, superuser, inactive]

    expected = {u.pk for u in everyone if can_view(u, proposal)}
    # office, lead and member (lead team), partner (its organisation's team), the accepted reviewer, root
    assert expected == {
        people["office"].pk,
        people["lead"].pk,
        people["member"].pk,
        people["partner"].pk,
        accepted.pk,
        superuser.pk,
    }
    with django_assert_num_queries(4):
        assert viewers_among(proposal, everyone) == expected


def test_viewers_among_costs_the_same_for_many_people(people, make_proposal, django_assert_num_queries):
    proposal = make_proposal()
    lead_team = [TeamMembershipFactory(municipality=proposal.lead).user for _ in range(20)]
    strangers = [TeamMembershipFactory().user for _ in range(20)]
    with django_assert_num_queries(4):
        assert viewers_among(proposal, lead_team + strangers) == {u.pk for u in lead_team}


def test_membership_dates_decide_visibility_today(people, make_proposal):
    proposal = make_proposal()
    today = timezone.localdate()
    future = TeamMembershipFactory(municipality=proposal.lead, starts_on=today + timedelta(days=1))
    ends_today = TeamMembershipFactory(
        municipality=proposal.lead, starts_on=today - timedelta(days=9), ends_on=today
    )
    ends_tomorrow = TeamMembershipFactory(
        municipality=proposal.lead, starts_on=today - timedelta(days=9), ends_on=today + timedelta(days=1)
    )
    assert not can_view(future.user, proposal)
    assert not can_view(ends_today.user, proposal)
    assert can_view(ends_tomorrow.user, proposal)
    # a bulk update, as an import or a shell would do it: no signal runs, the next request sees it
    TeamMembership.objects.filter(pk=ends_tomorrow.pk).update(ends_on=today)
    next_request = type(ends_tomorrow.user).objects.get(pk=ends_tomorrow.user.pk)
    assert not can_view(next_request, proposal)
