"""Assignments: conflicts of interest, one place per reviewer, who answers, access, signals, suggestions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants_office.core.errors import Conflict, Invalid, NotFound
from grants_office.members.models import TeamMembership
from tests import factories
from tests.factories import review as review_factories
from workflows import access, signals
from workflows.review import interests, services
from workflows.review.models import ReviewAssignment
from workflows.states import AssignmentState


def codes(error):
    return [r.code for r in error.reasons]


@pytest.fixture
def received():
    """The review signals sent, in order, as (name, kwargs)."""
    names = [
        "reviewer_assigned",
        "assignment_transitioned",
        "review_submitted",
        "all_reviews_in",
        "review_round_closed",
    ]
    log = []
    receivers = {}
    for name in names:
        receivers[name] = lambda sender, signal, _name=name, **kwargs: log.append((_name, kwargs))
        getattr(signals, name).connect(receivers[name], dispatch_uid=f"test-{name}")
    yield log
    for name in names:
        getattr(signals, name).disconnect(dispatch_uid=f"test-{name}")


# --- conflicts ------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    "how, expected",
    [
        ("lead_team", "On the team of Süleymanpaşa Belediyesi, the lead municipality."),
        ("partner_team", "On the team of Haskovo Municipality, a partner."),
        ("lead_affiliation", "Affiliated with Süleymanpaşa Belediyesi, the lead municipality."),
        ("partner_affiliation", "Affiliated with Haskovo Municipality, a partner."),
    ],
)
def test_a_conflicted_expert_cannot_be_assigned(
    api_client, open_round, people, lead_municipality, partner_organisation, how, expected
):
    profile = factories.ExpertProfileFactory()
    if how == "lead_team":
        factories.TeamMembershipFactory(user=profile.user, municipality=lead_municipality)
    elif how == "partner_team":
        factories.TeamMembershipFactory(
            user=profile.user, municipality=None, organisation=partner_organisation
        )
    elif how == "lead_affiliation":
        profile.affiliation_municipality = lead_municipality
        profile.save()
    else:
        profile.affiliation_organisation = partner_organisation
        profile.save()
    response = api_client(people["office"]).post(
        f"/api/v1/review-rounds/{open_round.pk}/assignments/", {"reviewer": profile.user_id}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict_of_interest"
    assert body["reasons"] == [{"code": "conflict_of_interest", "message": expected}]
    assert expected in body["detail"]
    assert not ReviewAssignment.objects.exists()


@pytest.mark.django_db
def test_a_partner_municipality_and_an_ended_membership(make_proposal, eu_call, lead_municipality):
    partner = factories.MunicipalityFactory(name="Edirne Belediyesi")
    proposal = make_proposal(call=eu_call)
    proposal.partners.create(municipality=partner)
    expert = factories.ExpertProfileFactory(affiliation_municipality=partner).user
    assert interests.conflicts_of(expert, proposal) == ["Affiliated with Edirne Belediyesi, a partner."]
    former = factories.ExpertProfileFactory().user
    factories.TeamMembershipFactory(
        user=former,
        municipality=lead_municipality,
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=10),
    )
    assert interests.conflicts_of(former, proposal) == []


@pytest.mark.django_db
def test_the_same_reviewer_twice_is_409_but_may_be_invited_again_after_declining(open_round, assign, experts):
    first = assign(experts["ayse"])
    with pytest.raises(Conflict) as error:
        assign(experts["ayse"])
    assert codes(error.value) == ["already_assigned"]
    services.transition_assignment(first, "decline", experts["ayse"])
    again = assign(experts["ayse"])
    assert again.state == AssignmentState.INVITED


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_assignment(open_round, assign, experts, people):
    assign(experts["ayse"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAssignment.objects.create(
            round=open_round, reviewer=experts["ayse"], due_at=open_round.due_at, invited_by=people["office"]
        )


@pytest.mark.django_db
def test_only_active_experts_can_be_assigned(api_client, open_round, people, experts):
    url = f"/api/v1/review-rounds/{open_round.pk}/assignments/"
    office = api_client(people["office"])
    response = office.post(url, {"reviewer": people["other_team"].pk}, format="json")
    assert response.status_code == 400
    assert "reviewer" in response.json()["fields"]
    experts["elena"].expert_profile.is_active = False
    experts["elena"].expert_profile.save()
    assert office.post(url, {"reviewer": experts["elena"].pk}, format="json").status_code == 400
    assert office.post(url, {"reviewer": 999999}, format="json").status_code == 400
    assert not ReviewAssignment.objects.exists()


@pytest.mark.django_db
def test_only_the_office_assigns(api_client, open_round, people, experts):
    url = f"/api/v1/review-rounds/{open_round.pk}/assignments/"
    response = api_client(people["lead"]).post(url, {"reviewer": experts["ayse"].pk}, format="json")
    assert response.status_code == 409
    assert api_client(people["other_team"]).post(url, {"reviewer": experts["ayse"].pk}).status_code == 404


@pytest.mark.django_db
def test_the_due_date_defaults_to_the_round_and_may_be_set(open_round, people, experts):
    assert (
        services.assign_reviewer(open_round, people["office"], reviewer=experts["ayse"]).due_at
        == open_round.due_at
    )
    due = timezone.now() + timedelta(days=3)
    assert (
        services.assign_reviewer(open_round, people["office"], reviewer=experts["mehmet"], due_at=due).due_at
        == due
    )
    with pytest.raises(Invalid):
        services.assign_reviewer(
            open_round,
            people["office"],
            reviewer=experts["elena"],
            due_at=timezone.now() - timedelta(hours=1),
        )


# --- who answers --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_only_the_invited_reviewer_accepts_or_declines(api_client, assign, experts, people):
    assignment = assign(experts["ayse"])
    other = assign(experts["mehmet"])
    url = f"/api/v1/review-assignments/{assignment.pk}/transitions/"
    data = {"declaration": "None.", "no_conflict": True}
    assert api_client(experts["mehmet"]).post(url + "accept/", data, format="json").status_code == 404
    assert api_client(people["lead"]).post(url + "accept/", data, format="json").status_code == 404
    response = api_client(people["office"]).post(url + "accept/", data, format="json")
    assert response.status_code == 409
    assert response.json()["reasons"][0]["code"] == "not_permitted"
    response = api_client(people["office"]).post(url + "decline/", {}, format="json")
    assert response.status_code == 409
    assignment.refresh_from_db()
    other.refresh_from_db()
    assert assignment.state == other.state == AssignmentState.INVITED


@pytest.mark.django_db
@pytest.mark.parametrize("no_conflict", [None, False, "false", "no"])
def test_accepting_without_a_ticked_declaration_is_400(assign, experts, no_conflict):
    assignment = assign(experts["ayse"])
    with pytest.raises(Invalid) as error:
        services.transition_assignment(
            assignment, "accept", experts["ayse"], declaration="No conflict.", no_conflict=no_conflict
        )
    assert "no_conflict" in error.value.fields
    with pytest.raises(Invalid) as error:
        services.transition_assignment(
            assignment, "accept", experts["ayse"], declaration=" ", no_conflict=True
        )
    assert "declaration" in error.value.fields
    assignment.refresh_from_db()
    assert (assignment.state, assignment.declared_at) == (AssignmentState.INVITED, None)


@pytest.mark.django_db
def test_the_declaration_is_stored_with_its_time(assign, experts):
    before = timezone.now()
    assignment = review_factories.accepted(assign(experts["ayse"]))
    assignment.refresh_from_db()
    assert assignment.declared_no_conflict is True
    assert assignment.declaration.startswith("I have no link")
    assert assignment.declared_at >= before


@pytest.mark.django_db
def test_withdrawal_is_for_the_office_and_only_before_submission(assign, experts, people):
    assignment = assign(experts["ayse"])
    with pytest.raises(Conflict) as error:
        services.transition_assignment(assignment, "withdraw", experts["ayse"])
    assert codes(error.value) == ["not_permitted"]
    review_factories.accepted(assignment)
    assert (
        services.transition_assignment(assignment, "withdraw", people["office"]).state
        == AssignmentState.WITHDRAWN
    )
    done = review_factories.submitted(
        assign(experts["mehmet"]), {"excellence": 3, "impact": 3, "implementation": 3}
    )
    with pytest.raises(Conflict) as error:
        services.transition_assignment(done.assignment, "withdraw", people["office"])
    assert codes(error.value) == ["wrong_state"]


@pytest.mark.django_db
def test_submitted_is_reached_only_by_submitting_the_review_and_unknown_steps_are_404(assign, experts):
    assignment = review_factories.accepted(assign(experts["ayse"]))
    with pytest.raises(Conflict) as error:
        services.transition_assignment(assignment, "submit", experts["ayse"])
    assert codes(error.value) == ["system_only"]
    with pytest.raises(NotFound):
        services.transition_assignment(assignment, "teleport", experts["ayse"])


# --- access -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_access_opens_on_acceptance_and_ends_on_decline_and_withdrawal(assign, experts, people, drafting):
    def sees(user):
        return access.can_view(type(user).objects.get(pk=user.pk), drafting)

    declined = assign(experts["ayse"])
    withdrawn = assign(experts["mehmet"])
    assert not sees(experts["ayse"]) and not sees(experts["mehmet"])  # invited: the brief only
    review_factories.accepted(withdrawn)
    assert sees(experts["mehmet"])
    services.transition_assignment(declined, "decline", experts["ayse"])
    services.transition_assignment(withdrawn, "withdraw", people["office"])
    assert not sees(experts["ayse"]) and not sees(experts["mehmet"])


@pytest.mark.django_db
def test_access_stays_while_another_assignment_on_the_proposal_is_live(
    assign, experts, people, open_round, drafting
):
    from workflows.models import Proposal

    review_factories.submitted(assign(experts["ayse"]), {"excellence": 3, "impact": 3, "implementation": 3})
    services.close_round(open_round, people["office"], feedback="Again.")
    second = services.open_round(Proposal.objects.get(pk=drafting.pk), people["office"])
    services.transition_assignment(assign(experts["ayse"], second), "decline", experts["ayse"])
    assert access.can_view(type(experts["ayse"]).objects.get(pk=experts["ayse"].pk), drafting)


# --- signals ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_review_signals_are_sent_on_commit_and_all_reviews_in_once(
    assign, experts, people, open_round, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ayse = assign(experts["ayse"])
        mehmet = assign(experts["mehmet"])
        review_factories.submitted(ayse, {"excellence": 4, "impact": 4, "implementation": 4})
    assert [name for name, _ in received] == [
        "reviewer_assigned",
        "reviewer_assigned",
        "assignment_transitioned",  # accept
        "review_submitted",
        "assignment_transitioned",  # submit
    ]
    assert received[0][1] == {"assignment": ayse, "by": people["office"]}
    assert {k: received[2][1][k] for k in ("transition", "source", "target")} == {
        "transition": "accept",
        "source": "invited",
        "target": "accepted",
    }
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_assignment(mehmet, "decline", experts["mehmet"])
    assert [name for name, _ in received] == ["all_reviews_in", "assignment_transitioned"]
    assert received[0][1] == {"review_round": open_round}
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_round(open_round, people["office"], feedback="Thanks.")
    assert [name for name, kwargs in received] == ["review_round_closed"]
    assert received[0][1]["by"] == people["office"]


@pytest.mark.django_db
def test_nothing_is_sent_when_every_assignment_is_declined(
    assign, experts, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_assignment(assign(experts["ayse"]), "decline", experts["ayse"])
    assert "all_reviews_in" not in [name for name, _ in received]


# --- lists and suggestions ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_reviewer_lists_their_own_assignments_and_the_office_filters_all(
    api_client, assign, experts, people
):
    mine = assign(experts["ayse"])
    other = assign(experts["mehmet"])
    services.transition_assignment(other, "decline", experts["mehmet"])

    def ids(user, query=""):
        return [
            a["id"] for a in api_client(user).get("/api/v1/review-assignments/" + query).json()["results"]
        ]

    assert ids(experts["ayse"]) == [mine.pk]
    assert ids(people["lead"]) == []
    assert ids(people["office"]) == [mine.pk, other.pk]
    assert ids(people["office"], "?state=declined") == [other.pk]
    assert ids(people["office"], f"?round={mine.round_id}&state=invited") == [mine.pk]
    assert api_client(people["office"]).get("/api/v1/review-assignments/?state=bogus").status_code == 400


@pytest.mark.django_db
def test_suggestions_rank_by_themes_then_load_and_flag_the_already_assigned(
    api_client, open_round, assign, experts, themes, eu_call, people, lead_municipality
):
    # Mehmet and a new expert both match one theme; Mehmet is busy elsewhere, so the other comes first.
    busy_round_proposal = factories.ProposalFactory(state="drafting", call=eu_call)
    busy_round = services.open_round(busy_round_proposal, people["office"])
    services.assign_reviewer(busy_round, people["office"], reviewer=experts["mehmet"])
    free = review_factories.expert([themes["water"]], user__username="zeynep", user__last_name="Zorlu")
    assign(experts["ayse"])
    lead_expert = review_factories.expert([themes["water"]], user__username="insider")
    TeamMembership.objects.create(user=lead_expert, municipality=lead_municipality)
    response = api_client(people["office"]).get(f"/api/v1/review-rounds/{open_round.pk}/suggestions/")
    body = response.json()
    suggested = [
        (s["user"]["username"], len(s["matching_themes"]), s["open_assignments"], s["already_assigned"])
        for s in body["suggested"]
    ]
    assert suggested[:3] == [("ayse", 2, 1, True), ("zeynep", 1, 0, False), ("mehmet", 1, 1, False)]
    assert [(s["user"]["username"], s["conflicts"]) for s in body["conflicted"]] == [
        ("insider", ["On the team of Süleymanpaşa Belediyesi, the lead municipality."])
    ]
    assert free.pk in [s["user"]["id"] for s in body["suggested"]]
    assert (
        api_client(people["lead"]).get(f"/api/v1/review-rounds/{open_round.pk}/suggestions/").status_code
        == 409
    )
    assert (
        api_client(people["other_team"])
        .get(f"/api/v1/review-rounds/{open_round.pk}/suggestions/")
        .status_code
        == 404
    )
