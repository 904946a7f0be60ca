"""`GET /api/v1/proposals/export/?format=csv|xlsx`: every row of the list the reader may see, with every
filter of the list, as a CSV for Excel or an XLSX, headers in the reader's language and moments in their
zone."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.exports import (
    BOM,
    content,
    csv_dicts,
    csv_rows,
    exported_ids,
    rows_in_csv,
    rows_in_xlsx,
    xlsx_cells,
    xlsx_rows,
)
from tests.factories import (
    CallFactory,
    ExpertProfileFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    ProposalFactory,
    RubricFactory,
    UserFactory,
    UserProfileFactory,
    accepted,
    office_staff,
    proposal_set_with_version,
)
from tests.querycount import assert_same_query_count
from workflows.api.exports import proposal_columns
from workflows.review import services as review_services
from workflows.states import State

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/export/"


def export(client, query="", fmt="csv", **headers):
    response = client.get(f"{URL}?format={fmt}&{query}", **headers)
    assert response.status_code == 200, (response.status_code, getattr(response, "data", None))
    return response


def list_ids(client, query="") -> list[int]:
    """Every id of the paginated list, page by page."""
    ids, url = [], f"/api/v1/proposals/?page_size=7&{query}"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


def test_the_route_is_the_export_and_not_a_proposal_called_export(api_client, office_user):
    assert reverse("proposal-export") == URL
    response = api_client(office_user).get(f"{URL}?format=csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="proposals-')


@pytest.mark.parametrize("query", ["format=pdf", "", "format=", "format=json"])
def test_a_format_other_than_csv_or_xlsx_is_400_in_json(api_client, office_user, query):
    response = api_client(office_user).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["fields"] == {"format": ["Choose csv or xlsx."]}


def test_a_bad_filter_is_400_and_anonymous_is_401(api_client, office_user):
    assert api_client(office_user).get(f"{URL}?format=csv&state=nonsense").status_code == 400
    assert api_client(office_user).get(f"{URL}?format=csv&q={'x' * 101}").status_code == 400
    assert api_client().get(f"{URL}?format=csv").status_code == 401


def test_the_export_holds_every_row_of_the_list_across_its_pages(api_client, office_user):
    call = CallFactory()
    for n in range(30):
        ProposalFactory(call=call, title=f"Teklif {n}")
    client = api_client(office_user)
    listed = list_ids(client)
    assert len(listed) == 30
    assert exported_ids(export(client)) == listed
    assert exported_ids(export(client, "ordering=title")) == list_ids(client, "ordering=title")
    assert [row[0] for row in xlsx_rows(export(client, fmt="xlsx"))[1:]] == listed


@pytest.fixture
def world(people, make_proposal):
    office = people["office"]
    other = office_staff()
    interreg = ProgrammeFactory(name="Interreg")
    soon = CallFactory(programme=interreg, deadline=timezone.now() + timedelta(days=5))
    later = CallFactory(deadline=timezone.now() + timedelta(days=50), is_two_stage=True)
    corlu = MunicipalityFactory(name="Kapaklı Belediyesi")
    return {
        "a": make_proposal(title="Meriç Taşkın", acronym="MERIC", call=soon, coordinator=office),
        "b": make_proposal(title="Kent Bahçeleri", call=later, state=State.SUBMITTED, stage=1),
        "c": ProposalFactory(title="Atık", lead=corlu, call=later, coordinator=other, state=State.REJECTED),
        "d": ProposalFactory(title="İkinci Aşama", lead=corlu, call=later, stage=2, state=State.DRAFTING),
        "e": make_proposal(title="Fikir", call=None, state=State.IDEA),
    }


def test_every_filter_of_the_list_applies(api_client, office_user, world, people):
    client = api_client(office_user)
    w = {key: proposal.pk for key, proposal in world.items()}
    soon, later = world["a"].call, world["b"].call
    cases = {
        "state=submitted&state=rejected": {w["b"], w["c"]},
        f"call={later.pk}": {w["b"], w["c"], w["d"]},
        f"programme={soon.programme_id}": {w["a"]},
        f"municipality={world['c'].lead_id}": {w["c"], w["d"]},
        f"coordinator={people['office'].pk}": {w["a"]},
        "stage=2": {w["d"]},
        "search=meriç": {w["a"]},
        "q=Kapaklı": {w["c"], w["d"]},  # the board's search: the lead's name too
        "q=MERIC": {w["a"]},
        f"deadline_before={(timezone.now() + timedelta(days=10)).isoformat().replace('+', '%2B')}": {w["a"]},
        f"deadline_after={(timezone.now() + timedelta(days=10)).isoformat().replace('+', '%2B')}": {
            w["b"],
            w["c"],
        },
    }
    for query, expected in cases.items():
        assert set(exported_ids(export(client, query))) == expected, query
        assert set(list_ids(client, query)) == expected, query
    by_title = exported_ids(export(client, "ordering=-title"))
    assert by_title == list_ids(client, "ordering=-title") and len(by_title) == 5


@pytest.fixture
def reviewing(people, make_proposal):
    office = people["office"]
    invited = ExpertProfileFactory().user
    proposals = {}
    for key in ("accepted", "invited"):
        proposal = make_proposal(state=State.DRAFTING, call=CallFactory(rubric=RubricFactory()), title=key)
        proposal_set_with_version(proposal, uploaded_by=people["lead"])
        proposals[key] = proposal
    accepted_round = review_services.open_round(proposals["accepted"], office)
    accepted(review_services.assign_reviewer(accepted_round, office, reviewer=people["reviewer"]))
    invited_round = review_services.open_round(proposals["invited"], office)
    review_services.assign_reviewer(invited_round, office, reviewer=invited)
    return {"proposals": proposals, "invited": invited}


def test_a_team_and_a_reviewer_export_only_what_they_may_see(api_client, people, world, reviewing):
    theirs = {world[key].pk for key in ("a", "b", "e")} | {p.pk for p in reviewing["proposals"].values()}
    assert set(exported_ids(export(api_client(people["lead"])))) == theirs
    assert set(exported_ids(export(api_client(people["other_team"])))) == set()
    reviewer = export(api_client(people["reviewer"]))
    assert exported_ids(reviewer) == [reviewing["proposals"]["accepted"].pk]
    assert exported_ids(export(api_client(reviewing["invited"]))) == []
    assert exported_ids(export(api_client(UserFactory()))) == []
    # a filter cannot widen it
    assert exported_ids(export(api_client(people["lead"]), f"municipality={world['c'].lead_id}")) == []


def test_the_csv_is_for_turkish_excel_and_english_readers(api_client, office_user, world):
    world["b"].__class__.objects.filter(pk=world["b"].pk).update(
        requested_amount=Decimal("1234567.50"), total_budget=Decimal("2000000"), currency="TRY"
    )
    turkish = content(export(api_client(office_user), "q=Bahçe", HTTP_ACCEPT_LANGUAGE="tr"))
    assert turkish.startswith(BOM)
    header, row = csv_rows(turkish)
    with translation.override("tr"):
        assert header == [str(column.header) for column in proposal_columns(ZoneInfo("Europe/Istanbul"))]
    assert header[1:3] == ["Kısaltma", "Başlık"] and "Para birimi" in header  # the catalogue's words
    values = dict(zip(header, row, strict=True))
    assert values[header[12]] == "1234567,50" and values[header[13]] == "2000000,00"
    assert turkish.decode("utf-8-sig").split("\r\n")[0].count(";") == len(header) - 1
    english = csv_dicts(export(api_client(office_user), "q=Bahçe"))[0]
    assert english["Title"] == "Kent Bahçeleri" and english["Requested amount"] == "1234567.50"
    assert english["Currency"] == "TRY" and english["State"] == "Submitted"
    assert english["Lead municipality"] == "Süleymanpaşa Belediyesi" and english["Province"] == "Tekirdağ"
    assert english["Partners"] == "Haskovo Municipality (BG)"


def test_moments_are_in_the_readers_zone_and_the_deadline_also_in_the_funders(api_client, world):
    reader = office_staff()
    UserProfileFactory(user=reader, time_zone="Europe/Sofia")
    call = world["a"].call
    row = csv_dicts(export(api_client(reader), "q=MERIC"))[0]
    local = call.deadline.astimezone(ZoneInfo("Europe/Sofia"))
    assert row["Deadline (Europe/Sofia)"] == f"{local:%Y-%m-%d %H:%M}"
    assert row["Deadline as the funder states it"] == call.deadline_display()
    assert call.deadline_timezone in row["Deadline as the funder states it"]
    assert "Updated (Europe/Sofia)" in row and "Created (Europe/Sofia)" in row
    # without a profile: the site's zone
    assert "Deadline (Europe/Istanbul)" in csv_dicts(export(api_client(office_staff()), "q=MERIC"))[0]
    # the stage-2 deadline applies once in stage 2 (none set yet: empty)
    assert csv_dicts(export(api_client(reader), "stage=2"))[0]["Deadline as the funder states it"] == ""


def test_the_xlsx_has_numbers_as_numbers_and_dates_as_dates(api_client, office_user, world):
    proposal = world["b"]
    type(proposal).objects.filter(pk=proposal.pk).update(
        requested_amount=Decimal("1234567.50"),
        submitted_at=timezone.now() - timedelta(days=2),
        decided_on=date(2027, 3, 1),
    )
    header, row = xlsx_rows(export(api_client(office_user), "q=Bahçe", fmt="xlsx"))
    values = dict(zip(header, row, strict=True))
    assert values["Id"] == proposal.pk
    assert values["Requested amount"] == pytest.approx(1234567.5) and isinstance(values["Stage"], int)
    assert isinstance(values["Deadline (Europe/Istanbul)"], datetime)
    assert isinstance(values["Submitted (Europe/Istanbul)"], datetime)
    assert values["Decided on"].date() == date(2027, 3, 1)  # openpyxl reads a date cell back as midnight
    assert values["Awarded amount"] is None and values["Title"] == "Kent Bahçeleri"


def test_titles_that_look_like_formulas_are_defused(api_client, office_user):
    ProposalFactory(title='=HYPERLINK("http://evil.example","Tıkla")', acronym="+SUM(1)", call=None)
    client = api_client(office_user)
    row = csv_dicts(export(client))[0]
    assert row["Title"] == '\'=HYPERLINK("http://evil.example","Tıkla")' and row["Acronym"] == "'+SUM(1)"
    sheet = xlsx_cells(export(client, fmt="xlsx"))
    title = sheet.cell(row=2, column=3)
    assert title.data_type == "s" and title.value.startswith("'=")


@pytest.mark.parametrize("fmt, rows_in", [("csv", rows_in_csv), ("xlsx", rows_in_xlsx)])
def test_the_export_costs_the_same_queries_for_one_row_as_for_five(
    api_client, office_user, partner_organisation, django_assert_num_queries, fmt, rows_in
):
    programme = ProgrammeFactory()

    def add(n):
        for _ in range(n):
            proposal = ProposalFactory(call=CallFactory(programme=programme), coordinator=office_staff())
            proposal.partners.create(organisation=partner_organisation)
            proposal.partners.create(municipality=MunicipalityFactory())

    queries = assert_same_query_count(
        api_client(office_user), f"{URL}?format={fmt}", add, django_assert_num_queries, rows_in=rows_in
    )
    print(f"QUERIES proposals export ({fmt})={queries}")


def test_a_teams_export_costs_the_same_queries_for_one_row_as_for_five(
    api_client, people, make_proposal, django_assert_num_queries
):
    queries = assert_same_query_count(
        api_client(people["lead"]),
        f"{URL}?format=csv",
        lambda n: [make_proposal(call=CallFactory()) for _ in range(n)],
        django_assert_num_queries,
        rows_in=rows_in_csv,
    )
    print(f"QUERIES proposals export (team)={queries}")
