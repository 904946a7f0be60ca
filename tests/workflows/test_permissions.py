"""The bulk visibility check agrees with the per-person one, in a fixed number of queries."""

import pytest
from guardian.shortcuts import assign_perm

from tests import factories
from workflows.permissions import can_view, viewers_among

pytestmark = pytest.mark.django_db


def test_viewers_among_agrees_with_can_view(people, make_proposal, django_assert_num_queries):
    proposal = make_proposal()
    granted = factories.UserFactory(username="granted_directly")
    assign_perm("workflows.view_proposal", granted, proposal)
    superuser = factories.UserFactory(username="root", is_superuser=True)
    inactive = factories.office_staff(username="inactive_office")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    everyone = [u for u in people.values() if u is not None] + [granted, superuser, inactive]

    expected = {u.pk for u in everyone if can_view(u, proposal)}
    # office, lead and member (their team group), partner (its organisation's group), the two above
    assert len(expected) == 6
    with django_assert_num_queries(3):
        assert viewers_among(proposal, everyone) == expected


def test_viewers_among_costs_the_same_for_many_people(people, make_proposal, django_assert_num_queries):
    proposal = make_proposal()
    lead_team = [factories.TeamMembershipFactory(municipality=proposal.lead).user for _ in range(20)]
    strangers = [factories.TeamMembershipFactory().user for _ in range(20)]
    with django_assert_num_queries(3):
        assert viewers_among(proposal, lead_team + strangers) == {u.pk for u in lead_team}
