"""A round's scores as a file for the office (`GET /api/v1/review-rounds/{id}/scores/export/?format=`):
one row per assignment with each criterion's score, the weighted total and the recommendation, then the
aggregate; CSV for Excel or XLSX, headers in the reader's language; 404 for a round not seen, 409 for
anyone but the office, 400 for a format that is neither."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.clients import script_client
from tests.exports import BOM, content, csv_rows, rows_in_csv, rows_in_xlsx, xlsx_rows
from tests.factories import review as review_factories
from tests.querycount import assert_same_query_count
from workflows.review import services

pytestmark = pytest.mark.django_db

HEADER = [
    "Reviewer",
    "State",
    "Submitted (Europe/Istanbul)",
    "Excellence",
    "Impact",
    "Implementation",
    "Weighted total",
    "Recommendation",
]


def url(review_round, fmt="csv") -> str:
    return f"/api/v1/review-rounds/{review_round.pk}/scores/export/?format={fmt}"


@pytest.fixture
def scored(open_round, assign, experts, people):
    """Ayşe submitted, Mehmet holds a draft, Elena declined."""
    ayse = review_factories.submitted(
        assign(experts["ayse"]),
        {"excellence": 4, "impact": 3, "implementation": 3.5},
        recommendation="revise",
    )
    mehmet = review_factories.accepted(assign(experts["mehmet"]))
    services.save_review(mehmet, experts["mehmet"], scores={"excellence": {"score": "2"}})
    services.transition_assignment(assign(experts["elena"]), "decline", experts["elena"])
    return {"round": open_round, "ayse": ayse.assignment}


def test_the_office_gets_one_row_per_assignment_and_the_aggregate_as_csv(api_client, people, scored):
    response = api_client(people["office"]).get(url(scored["round"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="review-round-{scored["round"].pk}-scores.csv"'
    )
    data = content(response)
    assert data.startswith(BOM)
    rows = csv_rows(data)
    submitted_at = timezone.localtime(scored["ayse"].review.submitted_at)
    assert rows == [
        HEADER,
        [
            "Ayşe Yılmaz",
            "Review submitted",
            f"{submitted_at:%Y-%m-%d %H:%M}",
            "4.00",
            "3.00",
            "3.50",
            "10.50",
            "Revise before submitting",
        ],
        ["Mehmet Demir", "Accepted", "", "2.00", "", "", "", ""],
        ["Elena Petrova", "Declined", "", "", "", "", "", ""],
        ["Aggregate of 1 submitted review", "", "", "4.00", "3.00", "3.50", "10.50", ""],
    ]


def test_the_xlsx_holds_numbers(api_client, people, scored):
    response = api_client(people["office"]).get(url(scored["round"], "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = [list(row) for row in xlsx_rows(response)]
    assert rows[0] == HEADER
    assert rows[1][0] == "Ayşe Yılmaz"
    assert rows[1][2] == timezone.localtime(scored["ayse"].review.submitted_at).replace(
        tzinfo=None, second=0, microsecond=0
    )
    assert [Decimal(str(value)) for value in rows[1][3:7]] == [
        Decimal(4),
        Decimal(3),
        Decimal("3.5"),
        Decimal("10.5"),
    ]
    assert rows[2][:4] == ["Mehmet Demir", "Accepted", None, 2]
    assert rows[-1][0] == "Aggregate of 1 submitted review" and rows[-1][6] == 10.5
    assert len(rows) == 5


def test_headers_and_decimals_in_turkish(people, scored):
    client = script_client(people["office"])
    response = client.get(url(scored["round"]), HTTP_ACCEPT_LANGUAGE="tr")
    header, ayse = csv_rows(response)[:2]
    assert header[:2] == ["Değerlendirici", "Durum"] and header[6:] == ["Ağırlıklı toplam", "Öneri"]
    assert ayse[3:7] == ["4,00", "3,00", "3,50", "10,50"]


def test_a_name_that_looks_like_a_formula_is_defused(api_client, people, open_round, assign):
    sly = review_factories.expert(user__first_name="=HYPERLINK(1)", user__last_name="")
    assign(sly)
    rows = csv_rows(api_client(people["office"]).get(url(open_round)))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_only_the_office_exports_the_scores(api_client, people, experts, scored):
    review_round = scored["round"]

    def answer(user):
        response = api_client(user).get(url(review_round))
        return response.status_code, response.json()["code"] if response.status_code != 200 else None

    assert answer(people["office"]) == (200, None)
    for user in (people["lead"], people["member"], people["partner"], experts["ayse"], experts["mehmet"]):
        assert answer(user) == (409, "not_permitted")  # they see the round, not its scores
    assert answer(people["other_team"])[0] == 404
    mehmet = review_round.assignments.get(reviewer=experts["mehmet"])
    services.transition_assignment(mehmet, "withdraw", people["office"])
    services.close_round(review_round, people["office"], feedback="Thanks.")
    assert answer(people["lead"]) == (409, "not_permitted")  # the team reads the consensus, not the sheet
    assert answer(experts["mehmet"])[0] == 404  # withdrawn
    assert answer(people["other_team"])[0] == 404
    assert answer(experts["elena"])[0] == 404  # declined: sees nothing of the proposal any more
    assert answer(people["reviewer"])[0] == 404
    assert api_client().get(url(review_round)).status_code == 401
    assert (
        api_client(people["office"]).get("/api/v1/review-rounds/999999/scores/export/?format=csv").status_code
        == 404
    )


def test_an_invited_reviewer_before_the_declaration_gets_404(api_client, open_round, assign, experts):
    assign(experts["elena"])
    assert api_client(experts["elena"]).get(url(open_round)).status_code == 404


@pytest.mark.parametrize("fmt", ["", "pdf", "CSV;"])
def test_a_format_that_is_neither_csv_nor_xlsx_is_400(api_client, people, scored, fmt):
    response = api_client(people["office"]).get(url(scored["round"], fmt))
    assert response.status_code == 400
    assert response.json()["fields"]["format"] == ["Choose csv or xlsx."]


def test_the_schema_documents_the_export(api_client, people):
    schema = api_client(people["office"]).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/review-rounds/{id}/scores/export/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert {"400", "401", "404", "409"} <= set(operation["responses"])
    (parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
    assert parameter["required"] is True and parameter["schema"]["enum"] == ["csv", "xlsx"]


@pytest.mark.parametrize(("fmt", "rows_in"), [("csv", rows_in_csv), ("xlsx", rows_in_xlsx)])
def test_the_export_costs_the_same_queries_at_one_and_five_assignments(
    api_client, people, open_round, assign, django_assert_num_queries, fmt, rows_in
):
    def add(count):
        for _ in range(count):
            review_factories.submitted(
                assign(review_factories.expert()), {"excellence": 4, "impact": 3, "implementation": 3}
            )

    assert_same_query_count(
        api_client(people["office"]),
        url(open_round, fmt),
        add,
        django_assert_num_queries,
        rows_in=lambda body: rows_in(body) - 1,  # the aggregate's row
    )


def test_a_round_without_assignments_exports_the_header_and_an_empty_aggregate(
    api_client, people, open_round
):
    rows = csv_rows(api_client(people["office"]).get(url(open_round)))
    assert rows == [HEADER, ["Aggregate of 0 submitted reviews", "", "", "", "", "", "", ""]]
