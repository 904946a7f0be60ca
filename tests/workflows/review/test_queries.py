"""Every review list costs the same number of queries for one row as for five (no N+1)."""

import pytest
from django.utils import timezone

from tests.factories import review as review_factories
from tests.querycount import measure
from workflows.review import services
from workflows.review.models import ReviewRound, RoundCriterion

SCORES = {"excellence": 4, "impact": 3, "implementation": 3.5}


def counted(user, url, rows_of=lambda body: body["count"]):
    """(queries, rows) of one request by a freshly loaded user, as a real request would have."""
    measured = measure(user, url, api=True)
    return measured.queries, rows_of(measured.body)


def same_count(user, url, add_rows, rows_of=lambda body: body["count"]):
    add_rows(1)
    one, rows = counted(user, url, rows_of)
    assert rows == 1
    add_rows(4)
    five, rows = counted(user, url, rows_of)
    assert rows == 5
    assert one == five, f"{url}: {one} queries for 1 row, {five} for 5"
    return one


@pytest.mark.django_db
def test_the_rounds_of_a_proposal(drafting, people):
    def add(n):
        for _ in range(n):
            number = ReviewRound.objects.filter(proposal=drafting).count() + 1
            review_round = ReviewRound.objects.create(
                proposal=drafting,
                number=number,
                due_at=timezone.now(),
                rubric_name="EU",
                opened_by=people["office"],
                closed_at=timezone.now(),
                closed_by=people["office"],
                feedback="ok",
            )
            RoundCriterion.objects.create(
                round=review_round, code="impact", title="Impact", scale_min=0, scale_max=5, step=1, weight=1
            )
            review_round.versions.set(drafting.document_set.documents.first().versions.all())

    url = f"/api/v1/proposals/{drafting.pk}/review-rounds/"
    assert same_count(people["office"], url, add) == 6
    assert counted(people["lead"], url)[0] <= 9


@pytest.fixture
def many_experts(db, themes):
    made = []

    def make(n):
        for _ in range(n):
            made.append(review_factories.expert([themes["water"], themes["tourism"]]))
        return made[-n:]

    return make


@pytest.mark.django_db
def test_the_assignment_lists(open_round, people, many_experts):
    def add(n):
        for reviewer in many_experts(n):
            services.assign_reviewer(open_round, people["office"], reviewer=reviewer)

    # the assignments, their count, and the partners of the conflict-check brief
    assert same_count(people["office"], "/api/v1/review-assignments/", add) == 4
    round_url = f"/api/v1/review-rounds/{open_round.pk}/assignments/"
    assert counted(people["office"], round_url)[0] <= 8


@pytest.mark.django_db
def test_the_round_assignment_list(open_round, people, many_experts):
    def add(n):
        for reviewer in many_experts(n):
            services.assign_reviewer(open_round, people["office"], reviewer=reviewer)

    assert same_count(people["office"], f"/api/v1/review-rounds/{open_round.pk}/assignments/", add) == 7


@pytest.mark.django_db
def test_the_reviews_list_and_the_round_detail(open_round, people, many_experts):
    def add(n):
        for reviewer in many_experts(n):
            review_factories.submitted(
                services.assign_reviewer(open_round, people["office"], reviewer=reviewer), SCORES
            )

    assert same_count(people["office"], f"/api/v1/review-rounds/{open_round.pk}/reviews/", add) == 6
    # The detail nests the reviews and the aggregate: still fixed, whatever the number of reviews.
    detail = f"/api/v1/review-rounds/{open_round.pk}/"
    five = counted(people["office"], detail, lambda body: len(body["reviews"]))
    review_factories.submitted(
        services.assign_reviewer(open_round, people["office"], reviewer=many_experts(1)[0]), SCORES
    )
    six = counted(people["office"], detail, lambda body: len(body["reviews"]))
    assert (five[1], six[1]) == (5, 6) and five[0] == six[0]


@pytest.mark.django_db
def test_the_suggestions(open_round, people, many_experts, experts):
    # The fixture experts and people["reviewer"] are there already; count only the new ones.
    base = 4

    def rows(body):
        return len(body["suggested"]) + len(body["conflicted"]) - base

    url = f"/api/v1/review-rounds/{open_round.pk}/suggestions/"
    # 11 for the pool (the ranking as light rows, then the experts shown), 1 for the round's reviews
    # (whether a third assessor is needed)
    assert same_count(people["office"], url, many_experts, rows) == 12


@pytest.mark.django_db
def test_the_suggestions_judge_a_third_assessor_at_a_fixed_cost(open_round, people, many_experts):
    def add(n):
        for reviewer in many_experts(n):
            review_factories.submitted(
                services.assign_reviewer(open_round, people["office"], reviewer=reviewer), SCORES
            )

    def assigned(body):
        return sum(1 for s in body["suggested"] if s["already_assigned"])

    url = f"/api/v1/review-rounds/{open_round.pk}/suggestions/"
    assert same_count(people["office"], url, add, assigned) == 13  # + the reviews' scores


@pytest.mark.django_db
# before the service took the assignment as the view found it (issue 19): 13, 24, 14; the audit trail
# reads each followed row's old values before a save and logs what changed (issue 17): 12, 23, 13 before
@pytest.mark.parametrize(("action", "expected"), [("accept", 14), ("save", 24), ("withdraw", 14)])
def test_an_assignment_write_asks_who_may_see_it_once(assign, experts, people, action, expected):
    """The view finds the assignment among the visible ones; the service takes it from there."""
    assignment = assign(experts["ayse"])
    if action == "save":
        review_factories.accepted(assignment)
    user = people["office"] if action == "withdraw" else assignment.reviewer
    method, path, data = {
        "accept": (
            "post",
            f"/api/v1/review-assignments/{assignment.pk}/transitions/accept/",
            {"declaration": "No link with the applicants.", "no_conflict": True},
        ),
        "save": ("put", f"/api/v1/review-assignments/{assignment.pk}/review/", {"scores": SCORES}),
        "withdraw": ("post", f"/api/v1/review-assignments/{assignment.pk}/transitions/withdraw/", {}),
    }[action]
    queries, _sql, status, _body = measure(
        user, path, api=True, method=method, data=data, warm_url="/api/v1/review-assignments/"
    )
    assert status == 200
    print(f"QUERIES api review {action}={queries}")
    assert queries == expected
