"""Access follows memberships and assignments at the moment of the request, wherever they change.

Every check goes through the public API, the pages or the admin, with sessions (a fresh user per
request, as in production).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grants_office.members.models import TeamMembership
from notifications.models import Notification
from tests.clients import page_client, second_factor_given
from tests.factories import (
    CallFactory,
    ExpertProfileFactory,
    RubricFactory,
    TeamMembershipFactory,
    UserFactory,
    accepted,
    office_admin,
    proposal_set_with_version,
)
from workflows import services
from workflows.discussion import services as discussion_services
from workflows.review import services as review_services
from workflows.states import State

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # a session, as the pages' own calls have
    second_factor_given(client)
    return client


@pytest.fixture
def world(people, make_proposal, disk_storage):
    """A drafting proposal with a document version (its bytes on disk), a consultation and a shared
    comment."""
    proposal = make_proposal(state=State.DRAFTING, call=CallFactory(rubric=RubricFactory()))
    version = proposal_set_with_version(proposal, uploaded_by=people["lead"])
    stored = disk_storage / version.storage_key
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF-1.7\n" + b"x" * (version.size - 9))
    services.schedule_consultation(
        proposal, people["office"], held_at=timezone.now() + timedelta(days=2), notes="Budget first."
    )
    comment = discussion_services.post_comment(proposal, people["lead"], body="Draft is up.")
    return {"proposal": proposal, "version": version, "comment": comment}


def what_they_get(user, world) -> dict[str, int]:
    """The status of every way into the proposal, for one person."""
    proposal, version, comment = world["proposal"], world["version"], world["comment"]
    p = f"/api/v1/proposals/{proposal.pk}/"
    client = api(user)
    web = page_client(user)
    return {
        "detail": client.get(p).status_code,
        "history": client.get(p + "history/").status_code,
        "consultations": client.get(p + "consultations/").status_code,
        "documents": client.get(p + "documents/").status_code,
        "download": client.get(f"/api/v1/document-versions/{version.pk}/download/").status_code,
        "comments": client.get(p + "comments/").status_code,
        "comment": client.get(f"/api/v1/comments/{comment.pk}/").status_code,
        "post_comment": client.post(p + "comments/", {"body": "Still here?"}, format="json").status_code,
        "page": web.get(f"/proposals/{proposal.pk}/").status_code,
        "documents_page": web.get(f"/proposals/{proposal.pk}/documents/", HTTP_HX_REQUEST="true").status_code,
        "comments_page": web.get(f"/proposals/{proposal.pk}/comments/", HTTP_HX_REQUEST="true").status_code,
        "review_page": web.get(f"/proposals/{proposal.pk}/review/", HTTP_HX_REQUEST="true").status_code,
    }


def all_404(statuses: dict) -> bool:
    return set(statuses.values()) == {404}


def test_someone_added_in_the_admin_sees_the_team_s_proposals_at_once(world, people):
    newcomer = UserFactory(username="newcomer")
    assert all_404(what_they_get(newcomer, world))
    admin = office_admin()
    response = page_client(admin).post(
        "/admin/members/teammembership/add/",
        {
            "user": newcomer.pk,
            "municipality": world["proposal"].lead_id,
            "role": TeamMembership.Role.MEMBER,
            "starts_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302, response.content
    statuses = what_they_get(newcomer, world)
    assert statuses.pop("download") == 302
    assert statuses.pop("post_comment") == 201
    assert set(statuses.values()) == {200}, {k: v for k, v in statuses.items() if v != 200}


def test_a_membership_ended_in_the_admin_closes_every_door(world, people):
    member = people["member"]
    assert what_they_get(member, world)["detail"] == 200
    membership = TeamMembership.objects.get(user=member)
    response = page_client(office_admin()).post(
        f"/admin/members/teammembership/{membership.pk}/change/",
        {
            "user": member.pk,
            "municipality": membership.municipality_id,
            "role": membership.role,
            "starts_on": membership.starts_on.isoformat(),
            "ends_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302, response.content
    comments_before = world["proposal"].comments.count()
    assert all_404(what_they_get(member, world))
    assert world["proposal"].comments.count() == comments_before  # the refused posts wrote nothing


def test_a_membership_deleted_in_the_admin_closes_every_door(world, people):
    membership = TeamMembership.objects.get(user=people["partner"])
    assert what_they_get(people["partner"], world)["detail"] == 200
    response = page_client(office_admin()).post(
        f"/admin/members/teammembership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert all_404(what_they_get(people["partner"], world))


def test_an_end_date_takes_effect_when_it_passes_without_any_command(world, people):
    membership = TeamMembership.objects.get(user=people["member"])
    # set ahead, as the office would on the day someone hands in their notice
    TeamMembership.objects.filter(pk=membership.pk).update(ends_on=TODAY() + timedelta(days=1))
    assert what_they_get(people["member"], world)["detail"] == 200
    # the calendar moves on: the same row, read the next day (as if today were the end date)
    TeamMembership.objects.filter(pk=membership.pk).update(
        starts_on=TODAY() - timedelta(days=40), ends_on=TODAY()
    )
    assert all_404(what_they_get(people["member"], world))


def test_a_membership_that_starts_tomorrow_opens_nothing_today(world):
    future = TeamMembershipFactory(municipality=world["proposal"].lead, starts_on=TODAY() + timedelta(days=1))
    assert all_404(what_they_get(future.user, world))


def test_a_deactivated_account_sees_nothing(api_client, world, people):
    member = people["member"]
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert api_client(member).get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code in (401, 403, 404)


def test_someone_who_left_hears_nothing_new_and_old_links_are_404(
    world, people, django_capture_on_commit_callbacks
):
    proposal = world["proposal"]
    member = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        discussion_services.post_comment(
            proposal, people["office"], body="First round of notes", visibility="shared"
        )
    old = Notification.objects.filter(recipient=member).latest("id")
    TeamMembership.objects.filter(user=member).update(ends_on=TODAY())
    with django_capture_on_commit_callbacks(execute=True):
        discussion_services.post_comment(proposal, people["office"], body="Second round", visibility="shared")
        services.perform_transition(proposal, "mark_ready", people["office"])
    assert Notification.objects.filter(recipient=member).latest("id") == old
    assert Notification.objects.filter(recipient=people["lead"], pk__gt=old.pk).exists()
    # the inbox still holds what was delivered, like a sent e-mail; it opens nothing
    response = page_client(member).get(f"/inbox/{old.pk}/open/")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert page_client(member).get(response["Location"]).status_code == 404


def test_a_team_s_own_new_idea_answers_201_with_a_body_they_read(people, lead_municipality):
    newcomer = TeamMembershipFactory(municipality=lead_municipality).user
    client = api(newcomer)
    response = client.post(
        "/api/v1/proposals/", {"lead": lead_municipality.pk, "title": "Akıllı sulama"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Akıllı sulama" and body["state"] == State.IDEA
    assert client.get(f"/api/v1/proposals/{body['id']}/").status_code == 200


def test_a_partner_removed_from_the_proposal_loses_it_at_once(world, people):
    proposal = world["proposal"]
    assert what_they_get(people["partner"], world)["detail"] == 200
    services.update_proposal(proposal, people["office"], partners=[])  # drafting: partners may change
    assert all_404(what_they_get(people["partner"], world))


# --- the conflict-of-interest gate --------------------------------------------------------------------
@pytest.fixture
def invited(world, people):
    expert = ExpertProfileFactory(user__username="hakem.polat").user
    review_round = review_services.open_round(world["proposal"], people["office"])
    assignment = review_services.assign_reviewer(review_round, people["office"], reviewer=expert)
    return assignment


def test_an_invited_expert_sees_only_the_conflict_check_brief(world, invited):
    expert = invited.reviewer
    statuses = what_they_get(expert, world)
    assert all_404(statuses), statuses
    client = api(expert)
    assert client.get(f"/api/v1/review-rounds/{invited.round_id}/").status_code == 404
    assert client.get(f"/api/v1/review-rounds/{invited.round_id}/reviews/").status_code == 404
    brief = client.get(f"/api/v1/review-assignments/{invited.pk}/").json()["proposal"]
    proposal = world["proposal"]
    assert brief == {
        "id": proposal.pk,
        "title": proposal.title,
        "acronym": proposal.acronym,
        "summary": proposal.summary,
        "call": {"id": proposal.call_id, "reference": proposal.call.reference, "title": proposal.call.title},
        "lead": {"id": proposal.lead_id, "name": proposal.lead.name},
        "partners": [{"name": "Haskovo Municipality (BG)", "role": "partner"}],
    }
    page = page_client(expert).get(f"/reviews/{invited.pk}/").content.decode()
    assert proposal.summary in page and "Haskovo Municipality" in page
    assert world["version"].original_filename not in page  # no document before the declaration
    assert f'href="/proposals/{proposal.pk}/"' not in page


def test_accepting_with_the_declaration_opens_the_proposal(world, invited):
    expert = invited.reviewer
    response = api(expert).post(
        f"/api/v1/review-assignments/{invited.pk}/transitions/accept/",
        {"declaration": "No link with Süleymanpaşa or Haskovo.", "no_conflict": True},
        format="json",
    )
    assert response.status_code == 200
    statuses = what_they_get(expert, world)
    assert statuses["detail"] == statuses["documents"] == statuses["history"] == 200
    assert statuses["download"] == 302
    page = page_client(expert).get(f"/reviews/{invited.pk}/").content.decode()
    assert world["version"].original_filename in page


@pytest.mark.parametrize("ending", ["decline", "withdraw"])
def test_declining_or_being_withdrawn_removes_even_the_brief(world, invited, people, ending):
    expert = invited.reviewer
    if ending == "decline":
        review_services.transition_assignment(invited, "decline", expert)
    else:
        review_services.transition_assignment(accepted(invited), "withdraw", people["office"])
    assert all_404(what_they_get(expert, world))
    assert api(expert).get(f"/api/v1/review-assignments/{invited.pk}/").json()["proposal"] is None
    page = page_client(expert).get(f"/reviews/{invited.pk}/").content.decode()
    assert world["proposal"].title not in page and world["proposal"].summary not in page
    listing = page_client(expert).get("/reviews/").content.decode()
    assert world["proposal"].title not in listing


def test_the_invited_expert_is_told_of_the_invitation_with_a_link_they_can_open(
    world, people, django_capture_on_commit_callbacks
):
    expert = ExpertProfileFactory(user__username="hakem.erdem").user
    review_round = review_services.open_round(world["proposal"], people["office"])
    with django_capture_on_commit_callbacks(execute=True):
        assignment = review_services.assign_reviewer(review_round, people["office"], reviewer=expert)
    told = Notification.objects.get(recipient=expert)
    assert told.link == f"/reviews/{assignment.pk}/"
    assert page_client(expert).get(told.link).status_code == 200


# --- whom a team may be shown -------------------------------------------------------------------------
@pytest.fixture
def reviewers(world, people):
    """Two reviewers past the gate; their usernames are what a curious team would try."""
    review_round = review_services.open_round(world["proposal"], people["office"])
    made = []
    for username in ("hakem.polat", "hakem.erdem"):
        expert = ExpertProfileFactory(user__username=username, user__first_name=username).user
        accepted(review_services.assign_reviewer(review_round, people["office"], reviewer=expert))
        made.append(expert)
    ExpertProfileFactory(user__username="hakem.kaya")  # in the pool, not on this proposal
    return made


def test_mentioning_reviewers_tells_a_team_nothing(world, people, reviewers):
    client = api(people["lead"])
    url = f"/api/v1/proposals/{world['proposal'].pk}/comments/"
    answers = {}
    for name in ("hakem.polat", "hakem.erdem", "hakem.kaya", "nobody.at.all"):
        body = client.post(url, {"body": f"@{name} what do you think?"}, format="json").json()
        answers[name] = (body["mentions"], body["body_html"].count('class="mention"'))
    # a reviewer, an expert who is not one, and a name nobody has: the same answer
    assert all(answer == ([], 0) for answer in answers.values()), answers
    # the team's own people and the office are mentioned as usual
    body = client.post(
        url, {"body": f"@{people['member'].username} @{people['office'].username}"}, format="json"
    ).json()
    assert {m["username"] for m in body["mentions"]} == {people["member"].username, people["office"].username}


def test_an_office_comment_naming_a_reviewer_shows_the_name_to_the_office_only(world, people, reviewers):
    comment = discussion_services.post_comment(
        world["proposal"],
        people["office"],
        body=f"@{reviewers[0].username} and the team: see p.4",
        visibility="shared",
    )
    office = api(people["office"]).get(f"/api/v1/comments/{comment.pk}/").json()
    team = api(people["lead"]).get(f"/api/v1/comments/{comment.pk}/").json()
    assert [m["username"] for m in office["mentions"]] == [reviewers[0].username]
    assert team["mentions"] == [] and 'class="mention"' not in team["body_html"]
    threads = api(people["lead"]).get(f"/api/v1/proposals/{world['proposal'].pk}/comments/").json()["results"]
    assert all(t["mentions"] == [] for t in threads if t["id"] == comment.pk)
    page = page_client(people["lead"]).get(f"/proposals/{world['proposal'].pk}/").content.decode()
    assert f'data-user-id="{reviewers[0].pk}"' not in page


def test_reviewers_past_the_gate_may_name_each_other_in_the_internal_discussion(world, people, reviewers):
    first, second = reviewers
    body = (
        api(first)
        .post(
            f"/api/v1/proposals/{world['proposal'].pk}/comments/",
            {"body": f"@{second.username} agreed?"},
            format="json",
        )
        .json()
    )
    assert [m["username"] for m in body["mentions"]] == [second.username]
