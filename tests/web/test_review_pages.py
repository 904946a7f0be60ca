"""The expert review pages: the office runs rounds from the proposal page, reviewers answer and score on
theirs, the team reads the feedback without names; nothing of it for anyone else."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.factories import review as review_factories
from tests.querycount import assert_same_query_count, measure
from tests.web.conftest import HTMX
from workflows.models import Proposal
from workflows.review import services
from workflows.review.models import Review, ReviewAssignment, ReviewRound
from workflows.states import AssignmentState, State

pytestmark = pytest.mark.django_db

DECLARATION = "I have no link with the applicants or their partners."


@pytest.fixture
def themes(db):
    return {code: factories.ThemeFactory(code=code) for code in ("water", "tourism")}


@pytest.fixture
def drafting(make_proposal, people, themes):
    """A drafting proposal on an EU call (0–5 in half points, thresholds 3 and 10) with one document."""
    call = factories.CallFactory(rubric=factories.RubricFactory(), themes=[themes["water"]])
    proposal = make_proposal(state=State.DRAFTING, call=call, acronym="MERIC")
    review_factories.proposal_set_with_version(proposal, uploaded_by=people["lead"], number=2)
    return proposal


@pytest.fixture
def experts(db, themes, lead_municipality):
    make = review_factories.expert
    return {
        "elif": make(
            [themes["water"]], user__username="elif", user__first_name="Elif", user__last_name="Kaya"
        ),
        "jan": make(
            [themes["tourism"]], user__username="jan", user__first_name="Jan", user__last_name="Novak"
        ),
        "local": make(
            [themes["water"]],
            user__username="local",
            user__first_name="Kemal",
            user__last_name="Yerel",
            affiliation_municipality=lead_municipality,
        ),
    }


@pytest.fixture
def review_round(drafting, people):
    return services.open_round(drafting, people["office"])


@pytest.fixture
def invited(review_round, people, experts):
    return services.assign_reviewer(review_round, people["office"], reviewer=experts["elif"])


def _accepted(assignment):
    return review_factories.accepted(assignment)


def _scores(excellence="4", impact="3.5", implementation="3"):
    return {"excellence": excellence, "impact": impact, "implementation": implementation}


def _review_post(scores=None, action="save", recommendation="revise", comment="Solid."):
    data = {"action": action, "recommendation": recommendation, "comment": comment}
    for code, score in (scores or _scores()).items():
        data[f"score-{code}"] = score
        data[f"comment-{code}"] = f"On {code}."
    return data


def text(response) -> str:
    return response.content.decode()


# --- who sees what ------------------------------------------------------------------------------------


def test_review_pages_are_404_for_people_who_do_not_see_the_proposal(client_for, people, invited):
    review_round = invited.round
    for who in ("other_team", "nobody"):
        client = client_for(people[who])
        assert client.get(f"/proposals/{review_round.proposal_id}/review/").status_code == 404
        assert client.get(f"/review-rounds/{review_round.pk}/").status_code == 404
        assert client.get(f"/reviews/{invited.pk}/").status_code == 404
        assert client.post(f"/reviews/{invited.pk}/accept/", {"no_conflict": "on"}).status_code == 404
        assert client.post(f"/review-rounds/{review_round.pk}/close/", {"feedback": "x"}).status_code == 404
    # the team sees the proposal but not who reviews it
    lead = client_for(people["lead"])
    assert lead.get(f"/reviews/{invited.pk}/").status_code == 404
    assert lead.post(f"/reviews/{invited.pk}/review/", _review_post()).status_code == 404
    assert "Elif" not in text(lead.get(f"/proposals/{review_round.proposal_id}/review/"))
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.INVITED


def test_anonymous_visitors_are_sent_to_sign_in(client_for, invited):
    for url in ("/reviews/", f"/reviews/{invited.pk}/", f"/proposals/{invited.round.proposal_id}/review/"):
        assert client_for(None).get(url)["Location"].startswith("/accounts/login/")


def test_the_proposal_page_loads_the_review_section(client_for, people, drafting):
    page = text(client_for(people["lead"]).get(f"/proposals/{drafting.pk}/"))
    assert f'hx-get="/proposals/{drafting.pk}/review/"' in page
    assert 'id="review-section"' in page and 'aria-live="polite"' in page


def test_my_reviews_link_is_shown_to_experts_only(client_for, people, experts):
    assert 'href="/reviews/"' in text(client_for(experts["jan"]).get("/proposals/"))
    assert 'href="/reviews/"' not in text(client_for(people["lead"]).get("/proposals/"))


# --- the office: rounds, suggestions, assignments ------------------------------------------------------


def test_office_opens_a_round_with_a_due_date(client_for, people, drafting):
    due = timezone.localtime() + timedelta(days=10)
    response = client_for(people["office"]).post(
        f"/proposals/{drafting.pk}/review/open/", {"due_at": due.strftime("%Y-%m-%dT%H:%M")}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/proposals/{drafting.pk}/"
    review_round = ReviewRound.objects.get(proposal=drafting)
    assert abs(review_round.due_at - due) < timedelta(minutes=1)
    assert Proposal.objects.get(pk=drafting.pk).state == State.IN_REVIEW


@pytest.mark.parametrize("due", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_due_date_out_of_range_is_shown_next_to_the_field(client_for, people, drafting, due):
    response = client_for(people["office"]).post(
        f"/proposals/{drafting.pk}/review/open/", {"due_at": due}, **HTMX
    )
    assert response.status_code == 400
    assert 'id="id_open_due_at_error"' in text(response)
    assert "Give a moment between the years 1980 and 9999." in text(response)
    assert not ReviewRound.objects.filter(proposal=drafting).exists()


def test_a_due_date_in_the_past_is_shown_next_to_the_field(client_for, people, drafting):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(people["office"]).post(
        f"/proposals/{drafting.pk}/review/open/", {"due_at": past}, **HTMX
    )
    assert response.status_code == 400
    assert 'id="id_open_due_at_error"' in text(response)
    assert "The due date must be in the future." in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert not ReviewRound.objects.exists()


def test_opening_a_second_round_is_409_with_the_reason(client_for, people, review_round):
    response = client_for(people["office"]).post(
        f"/proposals/{review_round.proposal_id}/review/open/", **HTMX
    )
    assert response.status_code == 409
    assert 'role="alert"' in text(response) and "data-reason=" in text(response)
    assert ReviewRound.objects.count() == 1


def test_the_team_may_not_open_a_round(client_for, people, drafting):
    response = client_for(people["lead"]).post(f"/proposals/{drafting.pk}/review/open/", **HTMX)
    assert response.status_code == 409
    assert "Only the office opens review rounds." in text(response)
    assert not ReviewRound.objects.exists()


def test_office_sees_ranked_suggestions_and_the_conflicted_apart(client_for, people, review_round, experts):
    page = text(client_for(people["office"]).get(f"/proposals/{review_round.proposal_id}/review/", **HTMX))
    suggested, conflicted = page.split("Experts with a conflict of interest")
    assert suggested.index('data-expert="elif"') < suggested.index('data-expert="jan"')  # themes first
    assert 'data-expert="local"' not in suggested
    assert (
        "Kemal Yerel</strong>: Affiliated with Süleymanpaşa Belediyesi, the lead municipality." in conflicted
    )
    assert f'value="{experts["local"].pk}"' not in page  # no button to assign them


def test_office_assigns_a_suggested_expert(client_for, people, review_round, experts):
    response = client_for(people["office"]).post(
        f"/review-rounds/{review_round.pk}/assign/", {"reviewer": experts["jan"].pk}, **HTMX
    )
    assert response.status_code == 200
    assignment = ReviewAssignment.objects.get(round=review_round)
    assert (assignment.reviewer, assignment.state) == (experts["jan"], AssignmentState.INVITED)
    assert f'data-assignment="{assignment.pk}"' in text(response)
    assert "Jan Novak is invited to review." in text(response)  # the status region, out of band
    assert 'hx-swap-oob="true"' in text(response)


def test_assigning_a_conflicted_expert_is_409_with_the_reason(client_for, people, review_round, experts):
    response = client_for(people["office"]).post(
        f"/review-rounds/{review_round.pk}/assign/", {"reviewer": experts["local"].pk}, **HTMX
    )
    assert response.status_code == 409
    assert 'data-reason="conflict_of_interest"' in text(response)
    assert not ReviewAssignment.objects.exists()


def test_assigning_someone_who_is_not_an_expert_is_400(client_for, people, review_round):
    response = client_for(people["office"]).post(
        f"/review-rounds/{review_round.pk}/assign/", {"reviewer": people["nobody"].pk}, **HTMX
    )
    assert response.status_code == 400
    assert "Only an active expert with an expert profile can review." in text(response)


def test_office_withdraws_an_assignment(client_for, people, invited):
    response = client_for(people["office"]).post(f"/reviews/{invited.pk}/withdraw/", **HTMX)
    assert response.status_code == 200
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.WITHDRAWN
    assert 'data-state="withdrawn"' in text(response)


def test_a_nul_character_in_the_withdraw_note_is_a_form_error(client_for, people, invited):
    response = client_for(people["office"]).post(
        f"/reviews/{invited.pk}/withdraw/", {"comment": "no\x00te"}, **HTMX
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in text(response)
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.INVITED


def test_a_reviewer_may_not_withdraw(client_for, invited):
    response = client_for(invited.reviewer).post(f"/reviews/{invited.pk}/withdraw/", **HTMX)
    assert response.status_code == 409
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.INVITED


def test_closing_needs_feedback_and_every_assignment_ended(client_for, people, invited):
    client = client_for(people["office"])
    url = f"/review-rounds/{invited.round_id}/close/"
    empty = client.post(url, {"feedback": " "}, **HTMX)
    assert empty.status_code == 400
    assert "Write the feedback for the team." in text(empty)
    waiting = client.post(url, {"feedback": "Thanks."}, **HTMX)
    assert waiting.status_code == 409
    assert "Elif Kaya: Invited." in text(waiting)
    assert ReviewRound.objects.get(pk=invited.round_id).is_open


def test_office_sees_the_aggregate_once_all_reviews_are_in_and_closes(client_for, people, invited, experts):
    second = services.assign_reviewer(invited.round, people["office"], reviewer=experts["jan"])
    review_factories.submitted(invited, {"excellence": "4", "impact": "3", "implementation": "2.5"})
    client = client_for(people["office"])
    section_url = f"/proposals/{invited.round.proposal_id}/review/"
    assert "Aggregate of" not in text(client.get(section_url, **HTMX))  # one still waited for
    review_factories.submitted(second, {"excellence": "2", "impact": "3", "implementation": "3.5"})
    page = text(client.get(section_url, **HTMX))
    assert "Aggregate of 2 submitted reviews" in page
    assert '<tr data-criterion="excellence">' in page
    assert "reviewers disagree" in page  # 4 and 2 on a 0–5 scale
    assert 'data-disagreement-rule="per_criterion"' in page
    assert "A third assessor is needed." in page and "data-third-assessor-hint" in page
    assert "the scores 2 and 4 are 2 points apart (limit 2)." in page
    assert 'data-passed="no"' in page  # excellence mean 3, implementation 3, impact 3: total 9 < 10
    response = client.post(
        f"/review-rounds/{invited.round_id}/close/", {"feedback": "Strengthen the budget."}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/proposals/{invited.round.proposal_id}/"
    assert not ReviewRound.objects.get(pk=invited.round_id).is_open
    assert Proposal.objects.get(pk=invited.round.proposal_id).state == State.DRAFTING


def test_the_team_reads_the_feedback_without_names_after_the_round_closes(client_for, people, invited):
    review_factories.submitted(invited, _scores(), comment="Clear objectives.")
    client = client_for(people["lead"])
    url = f"/proposals/{invited.round.proposal_id}/review/"
    during = text(client.get(url, **HTMX))
    assert "Clear objectives." not in during and "The reviewers are at work." in during
    services.close_round(invited.round, people["office"], feedback="Strengthen the budget.")
    after = text(client.get(url, **HTMX))
    assert "Strengthen the budget." in after and "Clear objectives." in after
    assert "Reviewer 1" in after
    assert "Elif" not in after and "Kaya" not in after
    assert "Aggregate of 1 submitted review" in after


# --- the reviewer ---------------------------------------------------------------------------------------


def test_my_reviews_lists_the_assignments_with_due_dates(client_for, invited):
    page = text(client_for(invited.reviewer).get("/reviews/"))
    assert f'href="/reviews/{invited.pk}/"' in page
    assert 'data-state="invited"' in page and "accept or decline" in page
    assert timezone.localtime(invited.due_at).strftime("%Y-%m-%d %H:%M") in page
    assert 'aria-current="page">My reviews' in page


def test_accepting_needs_the_declaration(client_for, invited):
    client = client_for(invited.reviewer)
    refused = client.post(f"/reviews/{invited.pk}/accept/", {"declaration": ""})
    assert refused.status_code == 400
    page = text(refused)
    assert 'id="id_accept_declaration_error"' in page and 'id="id_accept_no_conflict_error"' in page
    assert "Confirm that you have no conflict of interest." in page
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.INVITED
    response = client.post(
        f"/reviews/{invited.pk}/accept/", {"declaration": DECLARATION, "no_conflict": "on"}
    )
    assert response["Location"] == f"/reviews/{invited.pk}/"
    accepted = ReviewAssignment.objects.get(pk=invited.pk)
    assert (accepted.state, accepted.declaration) == (AssignmentState.ACCEPTED, DECLARATION)
    page = text(client.get(f"/reviews/{invited.pk}/"))
    assert "<legend>Excellence</legend>" in page
    assert 'min="0" max="5" step="0.5"' in page
    assert "/api/v1/document-versions/" in page  # the versions under review, to download


def test_declining_needs_a_reason_and_ends_access(client_for, invited):
    client = client_for(invited.reviewer)
    assert client.post(f"/reviews/{invited.pk}/decline/", {"reason": ""}).status_code == 400
    response = client.post(f"/reviews/{invited.pk}/decline/", {"reason": "Travelling all month."})
    assert response["Location"] == "/reviews/"
    assert ReviewAssignment.objects.get(pk=invited.pk).state == AssignmentState.DECLINED
    page = client.get(f"/reviews/{invited.pk}/")
    assert page.status_code == 200 and "You declined this review." in text(page)
    assert client.get(f"/proposals/{invited.round.proposal_id}/").status_code == 404


def test_a_score_off_the_step_is_shown_next_to_its_field_and_nothing_is_saved(client_for, invited):
    assignment = _accepted(invited)
    client = client_for(assignment.reviewer)
    response = client.post(f"/reviews/{assignment.pk}/review/", _review_post(_scores(impact="3.3")), **HTMX)
    assert response.status_code == 400
    page = text(response)
    assert page.lstrip().startswith("<form") and 'hx-target="#review-form-region"' in page
    assert '<ul class="errors" id="id_review_score-impact_error"><li>Score must be in steps of 0.5.' in page
    assert 'value="3.3"' in page  # what was typed stays
    assert not Review.objects.exists()


def test_a_draft_is_saved_and_then_submitted(client_for, invited):
    assignment = _accepted(invited)
    client = client_for(assignment.reviewer)
    url = f"/reviews/{assignment.pk}/review/"
    saved = client.post(url, _review_post(_scores(implementation="")), **HTMX)
    assert saved.status_code == 200 and "Your draft is saved." in text(saved)
    review = Review.objects.get(assignment=assignment)
    assert review.scores.get(criterion__code="impact").score == Decimal("3.5")
    incomplete = client.post(url, _review_post(_scores(implementation=""), action="submit"), **HTMX)
    assert incomplete.status_code == 400 and "A score is needed to submit." in text(incomplete)
    done = client.post(url, _review_post(action="submit"), **HTMX)
    assert done["HX-Redirect"] == f"/reviews/{assignment.pk}/"
    assert ReviewAssignment.objects.get(pk=assignment.pk).state == AssignmentState.SUBMITTED
    again = client.post(url, _review_post(), **HTMX)
    assert again.status_code == 409 and "can no longer change" in text(again)


def test_scoring_before_accepting_is_409(client_for, invited):
    response = client_for(invited.reviewer).post(f"/reviews/{invited.pk}/review/", _review_post())
    assert response.status_code == 409
    assert "Accept the assignment before writing the review." in text(response)


def test_others_reviews_show_only_after_submitting_ones_own(client_for, people, invited, experts):
    other = services.assign_reviewer(invited.round, people["office"], reviewer=experts["jan"])
    review_factories.submitted(other, _scores(), comment="A second view.")
    mine = _accepted(invited)
    client = client_for(mine.reviewer)
    before = text(client.get(f"/reviews/{mine.pk}/"))
    assert "A second view." not in before
    services.save_review(mine, mine.reviewer, scores=_scores(), recommendation="revise", submit=True)
    after = text(client.get(f"/reviews/{mine.pk}/"))
    assert "A second view." in after and "Reviewer 2" in after and "Jan Novak" not in after


# --- query counts: the same for one row as for five -----------------------------------------------------


class Htmx:
    """A client whose GETs are htmx requests (the review section answers htmx with the section alone)."""

    def __init__(self, client):
        self.client = client

    def get(self, url):
        return self.client.get(url, **HTMX)


def rows(marker: str):
    """Count the rows of a page by a marker in its HTML (assert_same_query_count gets the page's text)."""
    return lambda html: html.count(marker)


def _closed_rounds(proposal, office, n):
    for _ in range(n):
        review_round = services.open_round(Proposal.objects.get(pk=proposal.pk), office)
        services.close_round(review_round, office, feedback="Noted.")


@pytest.mark.parametrize("who", ["office", "lead"])
def test_section_query_count_does_not_grow_with_rounds(
    client_for, people, drafting, who, django_assert_num_queries
):
    measured = assert_same_query_count(
        Htmx(client_for(people[who])),
        f"/proposals/{drafting.pk}/review/",
        lambda n: _closed_rounds(drafting, people["office"], n),
        django_assert_num_queries,
        rows_in=rows('class="review-round"'),
    )
    print(f"QUERIES review_section_{who}={measured}")


def test_section_query_count_does_not_grow_with_reviewers_and_experts(
    client_for, people, review_round, themes, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            reviewer = review_factories.expert([themes["water"]])
            assignment = services.assign_reviewer(review_round, people["office"], reviewer=reviewer)
            review_factories.submitted(assignment, _scores())

    measured = assert_same_query_count(
        Htmx(client_for(people["office"])),
        f"/proposals/{review_round.proposal_id}/review/",
        add,
        django_assert_num_queries,
        rows_in=rows('class="assignment"'),
    )
    print(f"QUERIES review_section_open_round={measured}")


def test_round_page_query_count(client_for, people, review_round, themes, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            reviewer = review_factories.expert([themes["water"]])
            review_factories.submitted(
                services.assign_reviewer(review_round, people["office"], reviewer=reviewer), _scores()
            )

    measured = assert_same_query_count(
        client_for(people["office"]),
        f"/review-rounds/{review_round.pk}/",
        add,
        django_assert_num_queries,
        rows_in=rows('class="review-card"'),
    )
    print(f"QUERIES review_round={measured}")


def test_my_reviews_query_count(client_for, people, make_proposal, themes, django_assert_num_queries):
    reviewer = review_factories.expert([themes["water"]])

    def add(n):
        for _ in range(n):
            call = factories.CallFactory(rubric=factories.RubricFactory())
            proposal = make_proposal(state=State.DRAFTING, call=call)
            review_round = services.open_round(proposal, people["office"])
            services.assign_reviewer(review_round, people["office"], reviewer=reviewer)

    measured = assert_same_query_count(
        client_for(reviewer),
        "/reviews/",
        add,
        django_assert_num_queries,
        rows_in=rows('<tr id="assignment-'),
    )
    print(f"QUERIES my_reviews={measured}")


def test_assignment_page_query_count(client_for, people, invited, themes, django_assert_num_queries):
    mine = _accepted(invited)
    services.save_review(mine, mine.reviewer, scores=_scores(), recommendation="revise", submit=True)

    def add(n):
        for _ in range(n):
            reviewer = review_factories.expert([themes["water"]])
            review_factories.submitted(
                services.assign_reviewer(invited.round, people["office"], reviewer=reviewer), _scores()
            )

    measured = assert_same_query_count(
        client_for(mine.reviewer),
        f"/reviews/{mine.pk}/",
        add,
        django_assert_num_queries,
        rows_in=lambda html: html.count('class="review-card"') - 1,  # one's own review is shown too
    )
    print(f"QUERIES review_assignment={measured}")


def test_scoring_form_query_count(client_for, people, invited, django_assert_num_queries):
    """The form grows by a criterion per row: one query for all of them."""
    mine = _accepted(invited)
    review_round = invited.round

    def add(n):
        start = review_round.criteria.count()
        for i in range(start, start + n):
            review_round.criteria.create(
                code=f"extra{i}",
                title=f"Extra {i}",
                position=10 + i,
                scale_min=0,
                scale_max=5,
                step=1,
                weight=1,
            )

    # the three criteria of the rubric are there already: count the added ones
    measured = assert_same_query_count(
        client_for(mine.reviewer),
        f"/reviews/{mine.pk}/",
        add,
        django_assert_num_queries,
        rows_in=rows("<legend>Extra"),
    )
    print(f"QUERIES review_form={measured}")


@pytest.mark.parametrize(
    ("action", "expected"),
    # before the service took the assignment as the view found it (issue 19): 14, 15, 32, 30, 27;
    # the office's withdraw shows the suggestions again, ranked as light rows first (issue 18): one more;
    # the audit trail (issue 17): each followed row saved reads its old values, and an entry is written
    # when a followed field changed (13, 14, 31, 29, 27 before)
    [("accept", 15), ("decline", 15), ("save", 32), ("submit", 35), ("withdraw", 28)],
)
def test_an_assignment_action_asks_who_may_see_it_once(people, invited, action, expected):
    """The view finds the assignment through the visible ones; the service takes it from there."""
    if action in ("save", "submit"):
        _accepted(invited)
    user = people["office"] if action == "withdraw" else invited.reviewer
    url, data = {
        "accept": (f"/reviews/{invited.pk}/accept/", {"declaration": DECLARATION, "no_conflict": "on"}),
        "decline": (f"/reviews/{invited.pk}/decline/", {"reason": "No time."}),
        "save": (f"/reviews/{invited.pk}/review/", _review_post()),
        "submit": (f"/reviews/{invited.pk}/review/", _review_post(action="submit")),
        "withdraw": (f"/reviews/{invited.pk}/withdraw/", {"comment": "Another expert."}),
    }[action]
    queries, _sql, status, _body = measure(user, url, method="post", data=data, warm_url="/reviews/", **HTMX)
    assert status == 200
    print(f"QUERIES review {action}={queries}")
    assert queries == expected
