"""A round's consensus report as a PDF (`/review-rounds/<id>/report.pdf`), laid out as the EU's evaluation
summary report: per criterion the aggregated score, scale, threshold and verdict with the reviewers'
comments, the weighted total, the disagreement note. Reviewers appear as "Reviewer n" only, for everyone;
the office reads it at any time, the team once the round is closed, nobody else."""

import io

import pytest
from django.utils.translation import override
from pypdf import PdfReader

from tests.factories import review as review_factories
from tests.querycount import assert_same_query_count, measure
from workflows.review import services
from workflows.review.models import RoundCriterion

pytestmark = pytest.mark.django_db

NAMES = ["Ayşe", "Yılmaz", "Mehmet", "Demir", "ayse", "mehmet"]


def url(review_round) -> str:
    return f"/review-rounds/{review_round.pk}/report.pdf"


def pdf_text(data) -> str:
    """The text of a PDF (an answer, or its bytes), its line breaks and runs of spaces made single spaces."""
    if not isinstance(data, bytes):
        assert data["Content-Type"] == "application/pdf"
        data = data.content
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def submit(assignment, scores: dict, *, recommendation="revise", comment=""):
    """Accept, score with a comment per criterion that names its reviewer's scores, and submit."""
    assignment = review_factories.accepted(assignment)
    services.save_review(
        assignment,
        assignment.reviewer,
        scores={
            code: {"score": str(score), "comment": f"{code} at {score} by {assignment.pk}"}
            for code, score in scores.items()
        },
        recommendation=recommendation,
        comment=comment,
        submit=True,
    )
    return assignment


@pytest.fixture
def reviewed(open_round, assign, experts):
    """Ayşe and Mehmet have submitted; they are 2 points apart on excellence (the EU rule's limit)."""
    RoundCriterion.objects.filter(round=open_round, code="excellence").update(
        description="Clarity and pertinence of the objectives."
    )
    ayse = submit(
        assign(experts["ayse"]),
        {"excellence": 4, "impact": 3, "implementation": 3.5},
        recommendation="ready_to_submit",
        comment="A convincing cross-border case.",
    )
    mehmet = submit(assign(experts["mehmet"]), {"excellence": 2, "impact": 3, "implementation": 3})
    return {"round": open_round, "ayse": ayse, "mehmet": mehmet}


def test_the_report_in_the_layout_of_the_esr(client_for, people, reviewed):
    review_round = reviewed["round"]
    services.close_round(review_round, people["office"], feedback="Strengthen the excellence section.")
    response = client_for(people["lead"]).get(url(review_round))
    assert response.status_code == 200
    proposal = review_round.proposal
    assert response["Content-Disposition"] == f'inline; filename="{proposal.acronym}-review-round-1.pdf"'
    text = pdf_text(response)
    first, second = reviewed["ayse"].pk, reviewed["mehmet"].pk
    for expected in [
        "Evaluation summary report",
        proposal.title,
        str(proposal.call),
        "Interreg IPA BG–TR",  # the rubric
        "Criterion 1: Excellence",
        "Clarity and pertinence of the objectives.",
        # the mean, scale, threshold, weight and verdict
        "Clarity and pertinence of the objectives. Score Scale Threshold Weight Result "
        "3.00 0–5 3 1 pass · reviewers disagree",
        "Criterion 2: Impact",
        "Criterion 3: Implementation Score Scale Threshold Weight Result 3.25 0–5 3 1 pass",
        f"Reviewer 1: excellence at 4 by {first}",
        f"Reviewer 2: excellence at 2 by {second}",
        f"Reviewer 2: implementation at 3 by {second}",
        "Weighted total 9.25 10 fail",
        "At least one threshold is not met.",
        "Excellence: the scores 2 and 4 are 2 points apart (limit 2).",
        "Reviewer 1 Recommendation: Ready to submit A convincing cross-border case.",
        "Feedback from the office Strengthen the excellence section.",
        "Application form",  # the version under review
    ]:
        assert expected in text, expected
    assert not [name for name in NAMES if name in text]


def test_the_office_reads_it_at_any_time_without_names(client_for, people, reviewed, assign, experts):
    """Even while the round is open (a third reviewer still at work, whose draft is left out)."""
    third = review_factories.accepted(assign(experts["elena"]))
    services.save_review(
        third, experts["elena"], scores={"excellence": {"score": "0", "comment": "Draft view"}}
    )
    text = pdf_text(client_for(people["office"]).get(url(reviewed["round"])))
    assert "The round is still open" in text
    assert "Weighted total 9.25" in text and "Draft view" not in text
    assert not [name for name in [*NAMES, "Elena", "Petrova"] if name in text]


def test_who_gets_the_report(client_for, people, experts, reviewed):
    review_round = reviewed["round"]

    def status(user):
        return client_for(user).get(url(review_round)).status_code

    while_open = {
        role: status(people[role]) for role in ("office", "lead", "member", "partner", "other_team")
    }
    assert while_open == {"office": 200, "lead": 404, "member": 404, "partner": 404, "other_team": 404}
    assert status(experts["ayse"]) == 404  # reviewers read the reviews on the page, not the consensus
    assert status(experts["elena"]) == 404  # no assignment
    services.close_round(review_round, people["office"], feedback="Thank you.")
    closed = {role: status(people[role]) for role in ("office", "lead", "member", "partner", "other_team")}
    assert closed == {"office": 200, "lead": 200, "member": 200, "partner": 200, "other_team": 404}
    assert status(experts["ayse"]) == 404
    assert status(experts["mehmet"]) == 404
    assert status(people["reviewer"]) == 404
    assert client_for(None).get(url(review_round)).status_code == 302
    assert client_for(people["office"]).get("/review-rounds/999999/report.pdf").status_code == 404


def test_an_invited_reviewer_before_the_declaration_gets_nothing(
    client_for, people, open_round, assign, experts
):
    assign(experts["elena"])
    assert client_for(experts["elena"]).get(url(open_round)).status_code == 404


def test_the_report_in_turkish(client_for, people, reviewed):
    services.close_round(reviewed["round"], people["office"], feedback="Thank you.")
    text = pdf_text(client_for(people["lead"], language="tr").get(url(reviewed["round"])))
    with override("tr"):
        reviewer_one = "Değerlendirici 1"
    assert "9,25" in text and "3,25" in text
    assert reviewer_one in text and "Ağırlıklı toplam" in text


def test_the_round_page_links_to_the_report_for_those_who_may_read_it(client_for, people, experts, reviewed):
    review_round = reviewed["round"]
    report = f'href="/review-rounds/{review_round.pk}/report.pdf"'
    scores = f'href="/api/v1/review-rounds/{review_round.pk}/scores/export/?format=xlsx"'

    def page(user):
        return client_for(user).get(f"/review-rounds/{review_round.pk}/").content.decode()

    office = page(people["office"])
    assert report in office and scores in office
    assert report not in page(people["lead"])
    assert report not in page(experts["ayse"])
    services.close_round(review_round, people["office"], feedback="Thank you.")
    team = page(people["lead"])
    assert report in team and scores not in team
    section = (
        client_for(people["lead"]).get(f"/proposals/{review_round.proposal_id}/review/").content.decode()
    )
    assert report in section


SCORES = {"excellence": 4, "impact": 3, "implementation": 3}


def labelled(body) -> int:
    """How many reviewers the report quotes (each comments on every criterion)."""
    return pdf_text(body).count("excellence at 4 by")


def test_the_office_report_costs_the_same_queries_at_one_and_five_reviews(
    client_for, people, open_round, assign, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            submit(assign(review_factories.expert()), SCORES)

    queries = assert_same_query_count(
        client_for(people["office"]), url(open_round), add, django_assert_num_queries, rows_in=labelled
    )
    assert queries <= 12, queries


def test_the_team_report_costs_the_same_queries_at_one_and_five_reviews(people, open_round):
    """Two closed rounds of one proposal, with one review and with five (a closed round takes no more)."""

    def closed_round(review_round, reviews: int):
        for _ in range(reviews):
            assignment = services.assign_reviewer(
                review_round, people["office"], reviewer=review_factories.expert()
            )
            submit(assignment, SCORES)
        services.close_round(review_round, people["office"], feedback="Thank you.")
        return review_round

    first = closed_round(open_round, 1)
    second = closed_round(services.open_round(open_round.proposal, people["office"]), 5)
    small, large = measure(people["lead"], url(first)), measure(people["lead"], url(second))
    assert (labelled(small.body), labelled(large.body)) == (1, 5)
    assert small.queries == large.queries, (small.sql, large.sql)


def test_a_round_without_reviews_yet_reports_no_verdict(client_for, people, open_round):
    text = pdf_text(client_for(people["office"]).get(url(open_round)))
    assert "Submitted reviews 0" in text
    assert "No verdict yet: not every criterion has a score." in text
    assert "Weighted total — 10 —" in text
