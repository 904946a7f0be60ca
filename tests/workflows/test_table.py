"""The proposals table beside the board: the board's set for the board's filters, a state filter,
sorting, the column chooser, pages that stay fast, Turkish numbers, and the export of exactly its rows.
Every page read here runs under django-zeal (tests/nplusone.py), which fails on a relation loaded row by
row."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from grants_office.core.api import CountLimitedPaginator
from grants_office.members.models import Municipality
from tests import nplusone
from tests.exports import exported_ids
from tests.factories import (
    CallFactory,
    ExpertProfileFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    ProposalFactory,
    RubricFactory,
    UserFactory,
    accepted,
    office_staff,
    proposal_set_with_version,
)
from tests.querycount import assert_same_query_count, page_queries
from workflows.forms import DEFAULT_COLUMNS, TABLE_COLUMNS
from workflows.models import ProposalPartner
from workflows.review import services as review_services
from workflows.states import State

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-proposal="(\d+)">')
CARD = re.compile(r'<article class="card" id="proposal-(\d+)"')


@pytest.fixture(autouse=True)
def no_n_plus_one_in_pages(settings):
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]


def page(client, query="") -> str:
    response = client.get(f"/proposals/table/?{query}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(html)]


def card_ids(html: str) -> set[int]:
    return {int(pk) for pk in CARD.findall(html)}


@pytest.fixture
def pipeline(people, make_proposal):
    """Proposals of two programmes, calls, leads and coordinators, open and closed."""
    office = people["office"]
    other_coordinator = office_staff(first_name="Deniz", last_name="Kara")
    interreg, life = ProgrammeFactory(name="Interreg IPA"), ProgrammeFactory(name="LIFE")
    soon = CallFactory(programme=interreg, deadline=timezone.now() + timedelta(days=10))
    later = CallFactory(programme=life, deadline=timezone.now() + timedelta(days=60))
    other_lead = Municipality.objects.get(name="Çorlu Belediyesi")  # the other team's
    return {
        "drafting": make_proposal(
            title="Meriç Taşkın Erken Uyarı", state=State.DRAFTING, call=soon, coordinator=office
        ),
        "idea": make_proposal(title="Kent Bahçeleri", state=State.IDEA, call=None),
        "submitted": ProposalFactory(
            title="Çorlu Atık Yönetimi",
            lead=other_lead,
            state=State.SUBMITTED,
            call=later,
            coordinator=other_coordinator,
            requested_amount=Decimal("1234567.50"),
        ),
        "rejected": make_proposal(title="Eski Fikir", state=State.REJECTED, call=soon),
        "withdrawn": ProposalFactory(title="Vazgeçilen", lead=other_lead, state=State.WITHDRAWN, call=later),
    }


QUERIES = [
    "",
    "closed=on",
    "q=atık",
    "q=Süleymanpaşa",
    "programme={interreg}",
    "call={soon}",
    "municipality={other_lead}",
    "coordinator={office}",
    "closed=on&municipality={other_lead}",
    "programme=999999",  # not a programme: the board then filters nothing, and so does the table
]


def _queries(pipeline, people):
    values = {
        "interreg": pipeline["drafting"].call.programme_id,
        "soon": pipeline["drafting"].call_id,
        "other_lead": pipeline["submitted"].lead_id,
        "office": people["office"].pk,
    }
    return [query.format(**values) for query in QUERIES]


def test_the_table_shows_the_boards_proposals_for_the_same_filters(client_for, people, pipeline):
    client = client_for(people["office"])
    for query in _queries(pipeline, people):
        board = client.get(f"/board/?{query}").content.decode()
        table = page(client, f"{query}&per_page=100")
        assert set(row_ids(table)) == card_ids(board), query
        assert len(row_ids(table)) == len(set(row_ids(table))), query
    everything = page(client, "closed=on")
    assert set(row_ids(everything)) == {proposal.pk for proposal in pipeline.values()}
    assert pipeline["withdrawn"].pk not in row_ids(page(client))  # closed ones only when asked for


def test_the_state_filter_narrows_to_the_states_chosen(client_for, people, pipeline):
    client = client_for(people["office"])
    assert row_ids(page(client, "state=rejected")) == [pipeline["rejected"].pk]  # closed, but chosen
    both = set(row_ids(page(client, "state=idea&state=submitted")))
    assert both == {pipeline["idea"].pk, pipeline["submitted"].pk}
    assert row_ids(page(client, "state=idea&q=atık")) == []
    html = page(client, "state=nonsense")  # not a state: the filters apply as on the board (none)
    assert "Select a valid choice" in html and set(row_ids(html)) == set(row_ids(page(client)))


TURKISH_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"


def alphabetical(text: str):
    """The order the database sorts text in: the Turkish alphabet on PostgreSQL (ICU), code points on
    SQLite."""
    if connection.vendor != "postgresql":
        return text
    folded = text.replace("I", "ı").replace("İ", "i").lower()
    return [TURKISH_ALPHABET.find(char) if char in TURKISH_ALPHABET else 100 + ord(char) for char in folded]


def test_titles_and_leads_sort_in_the_turkish_alphabet_on_postgresql(client_for, people):
    titles = ["Zonguldak", "Şile", "Sakarya", "İnegöl", "Ilgaz", "Dere", "Çankırı", "Cide"]
    made = {ProposalFactory(title=title, call=None).pk: title for title in titles}
    shown = [made[pk] for pk in row_ids(page(client_for(people["office"]), "sort=title"))]
    assert shown == sorted(titles, key=alphabetical)
    if connection.vendor == "postgresql":
        assert shown == ["Cide", "Çankırı", "Dere", "Ilgaz", "İnegöl", "Sakarya", "Şile", "Zonguldak"]


def test_each_column_sorts_both_ways_with_the_header_saying_so(client_for, people, pipeline):
    client = client_for(people["office"])
    open_ones = [pipeline[key] for key in ("drafting", "idea", "submitted")]
    by_title = sorted(open_ones, key=lambda proposal: alphabetical(proposal.title))
    assert row_ids(page(client, "sort=title")) == [p.pk for p in by_title]
    html = page(client, "sort=-title")
    assert row_ids(html) == [p.pk for p in reversed(by_title)]
    assert re.search(r'data-column="title" aria-sort="descending"><a href="\?sort=title"', html)
    ascending = page(client, "sort=title")
    assert re.search(r'data-column="title" aria-sort="ascending"><a href="\?sort=-title"', ascending)
    assert ascending.count("aria-sort=") == 1
    # the deadline that applies, soonest first, none last either way
    deadlines = row_ids(page(client, "sort=deadline"))
    assert deadlines == [pipeline["drafting"].pk, pipeline["submitted"].pk, pipeline["idea"].pk]
    assert row_ids(page(client, "sort=-deadline"))[-1] == pipeline["idea"].pk
    assert row_ids(page(client, "sort=requested_amount"))[0] == pipeline["submitted"].pk
    assert row_ids(page(client, "sort=state")) == [
        pipeline["idea"].pk,
        pipeline["drafting"].pk,
        pipeline["submitted"].pk,
    ]
    for key in ("lead", "awarded_amount", "updated_at", "-updated_at"):
        assert sorted(row_ids(page(client, f"sort={key}"))) == sorted(p.pk for p in open_ones), key
    # an unknown sort key is the default order (newest change first)
    assert row_ids(page(client, "sort=secret")) == row_ids(page(client))


def test_the_sort_links_keep_the_filters_and_leave_the_page(client_for, people, pipeline):
    html = page(client_for(people["office"]), "q=a&page=1&sort=title")
    assert 'href="?q=a&amp;sort=-title"' in html
    assert 'href="?q=a&amp;sort=lead"' in html


def test_ties_break_by_id_so_pages_neither_share_nor_skip_a_row(client_for, people, make_proposal):
    call = CallFactory()
    made = [make_proposal(title="Aynı Başlık", call=call) for _ in range(30)]
    client = client_for(people["office"])
    first, second = page(client, "sort=title"), page(client, "sort=title&page=2")
    assert row_ids(first) + row_ids(second) == sorted(p.pk for p in made)
    assert 'rel="next"' in first and "Page 1 of 2" in first and 'rel="prev"' in second
    assert len(row_ids(page(client, "sort=title&per_page=50"))) == 30
    assert len(row_ids(page(client, "per_page=7"))) == 25  # not a page size offered: 25


def test_a_long_list_is_not_counted_to_the_end(client_for, people, make_proposal, monkeypatch):
    monkeypatch.setattr(CountLimitedPaginator, "COUNT_AHEAD", 2)
    call = CallFactory()
    for _ in range(30):
        make_proposal(call=call)
    html = page(client_for(people["office"]))
    assert "At least 28 proposals" in html and "Page 1" in html and "of 2" not in html
    assert 'rel="next"' in html


def test_the_column_chooser_shows_what_was_chosen_and_ignores_unknown_names(client_for, people, pipeline):
    client = client_for(people["office"])
    default = page(client)
    for name in DEFAULT_COLUMNS:
        assert f'<th scope="col" data-column="{name}"' in default, name
    chosen = page(client, "columns=acronym&columns=partners&columns=password")
    headers = re.findall(r'<th scope="col" data-column="(\w+)"', chosen)
    assert headers == ["title", "acronym", "partners"]
    assert "Haskovo Municipality" in chosen  # the partners column
    everything = page(client, "&".join(f"columns={name}" for name in TABLE_COLUMNS))
    assert re.findall(r'<th scope="col" data-column="(\w+)"', everything) == ["title", *TABLE_COLUMNS]
    assert 'name="columns" value="acronym" id="id_columns_0" checked' in chosen


def test_amounts_are_in_turkish_numbers_and_deadlines_in_the_funders_zone(client_for, people, pipeline):
    turkish = page(client_for(people["office"], language="tr"), "q=atık")
    assert "1.234.567,50 EUR" in turkish
    english = page(client_for(people["office"]), "q=atık")
    assert "1,234,567.50 EUR" in english
    call = pipeline["submitted"].call
    assert call.deadline_display() in english and f"({call.deadline_timezone})" in english


def test_the_board_links_to_the_table_and_back(client_for, people, pipeline):
    client = client_for(people["office"])
    board = client.get("/board/?q=atık&closed=on").content.decode()
    assert 'href="/proposals/table/?q=at%C4%B1k&amp;closed=on"' in board
    table = page(client, "q=atık&closed=on&sort=title&columns=acronym")
    assert 'href="/board/?q=at%C4%B1k&amp;closed=on"' in table


def test_filtering_the_board_with_htmx_updates_its_table_and_export_links(client_for, people, pipeline):
    fragment = (
        client_for(people["office"])
        .get("/board/?q=atık", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board")
        .content.decode()
    )
    links = fragment[fragment.index('id="board-links"') :]
    assert 'hx-swap-oob="true"' in fragment[: fragment.index('id="board-links"') + 40]
    assert 'href="/proposals/table/?q=at%C4%B1k"' in links
    assert "/api/v1/proposals/export/?format=csv" in links and "q=at%C4%B1k" in links


@pytest.fixture
def reviewers(people, make_proposal):
    """One proposal reviewed past the gate (accepted), one where the expert is only invited."""
    office = people["office"]
    reviewer = people["reviewer"]
    invited = ExpertProfileFactory().user
    rounds = {}
    for key in ("accepted", "invited"):
        proposal = make_proposal(state=State.DRAFTING, call=CallFactory(rubric=RubricFactory()), title=key)
        proposal_set_with_version(proposal, uploaded_by=people["lead"])
        rounds[key] = review_services.open_round(proposal, office)
    accepted(review_services.assign_reviewer(rounds["accepted"], office, reviewer=reviewer))
    review_services.assign_reviewer(rounds["invited"], office, reviewer=invited)
    return {"reviewer": reviewer, "invited": invited, "rounds": rounds}


def test_each_person_sees_only_the_proposals_they_may(client_for, people, pipeline, reviewers):
    ours = {pipeline[key].pk for key in ("drafting", "idea")}
    in_review = {review_round.proposal_id for review_round in reviewers["rounds"].values()}
    assert set(row_ids(page(client_for(people["lead"])))) == ours | in_review
    assert set(row_ids(page(client_for(people["partner"])))) == ours | in_review  # a partner of them all
    assert set(row_ids(page(client_for(people["other_team"]), "closed=on"))) == {
        pipeline["submitted"].pk,
        pipeline["withdrawn"].pk,
    }
    assert set(row_ids(page(client_for(reviewers["reviewer"])))) == {
        reviewers["rounds"]["accepted"].proposal_id
    }
    assert row_ids(page(client_for(reviewers["invited"]), "closed=on")) == []
    outsider = page(client_for(UserFactory()), "closed=on")
    assert row_ids(outsider) == [] and "No proposals match." in outsider
    assert client_for(None).get("/proposals/table/").status_code == 302  # to the sign-in page
    # the board stays the office's
    assert client_for(people["lead"]).get("/board/").status_code == 403


def test_the_export_links_give_exactly_the_tables_rows_in_its_order(client_for, people, pipeline):
    client = client_for(people["office"])
    for query in [*_queries(pipeline, people), "state=rejected&state=idea", "sort=title", "sort=-deadline"]:
        html = page(client, f"{query}&per_page=100")
        link = re.search(r'href="(/api/v1/proposals/export/\?format=csv[^"]*)"', html).group(1)
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (query, response.status_code)
        assert exported_ids(response) == row_ids(html), query


def test_the_boards_export_links_give_the_boards_proposals(client_for, people, pipeline):
    client = client_for(people["office"])
    for query in _queries(pipeline, people):
        board = client.get(f"/board/?{query}").content.decode()
        link = re.search(r'href="(/api/v1/proposals/export/\?format=csv[^"]*)"', board).group(1)
        assert set(exported_ids(client.get(link.replace("&amp;", "&")))) == card_ids(board), query


def _rows(html: str) -> int:
    return len(ROW.findall(html))


@pytest.mark.parametrize("columns", ["", "&".join(f"columns={name}" for name in TABLE_COLUMNS)])
def test_the_table_costs_the_same_queries_for_one_row_as_for_five(
    client_for, people, make_proposal, django_assert_num_queries, columns
):
    programme = ProgrammeFactory()

    def add(n):
        for i in range(n):
            make_proposal(
                state=[State.IDEA, State.DRAFTING, State.SUBMITTED][i % 3],
                call=CallFactory(programme=programme),
                coordinator=office_staff(),
                requested_amount=Decimal("1000.00"),
            )

    queries = assert_same_query_count(
        client_for(people["office"]),
        f"/proposals/table/?{columns}",
        add,
        django_assert_num_queries,
        rows_in=_rows,
    )
    print(f"QUERIES table ({'all columns' if columns else 'default columns'})={queries}")


def test_a_freshly_signed_in_team_member_pays_a_fixed_number_of_queries(people, make_proposal):
    call = CallFactory()
    make_proposal(call=call)
    one = page_queries(people["lead"], "/proposals/table/?columns=partners")
    for _ in range(4):
        proposal = make_proposal(call=call)
        ProposalPartner.objects.create(proposal=proposal, municipality=MunicipalityFactory())
    assert page_queries(people["lead"], "/proposals/table/?columns=partners") == one
    print(f"QUERIES table (team, fresh sign-in)={one}")
