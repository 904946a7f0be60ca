"""Saved views of the proposals table: each person's own, by name, normalised, at most fifty."""

import re

import pytest
from django.http import QueryDict

from grants_office.core.errors import Conflict, Invalid, NotFound
from tests import nplusone
from tests.factories import CallFactory, ProgrammeFactory
from tests.querycount import assert_same_query_count
from workflows import services
from workflows.models import SavedFilter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_n_plus_one_in_pages(settings):
    settings.MIDDLEWARE = [nplusone.MIDDLEWARE, *settings.MIDDLEWARE]


def test_a_view_is_stored_normalised_and_the_same_name_replaces_it(people):
    programme = ProgrammeFactory()
    office = people["office"]
    query = f"page=3&columns=acronym&columns=nonsense&sort=title&programme={programme.pk}&utm=x&state=idea"
    saved = services.save_filter(office, "  Açık   Interreg ", query)
    assert saved.name == "Açık Interreg"
    assert QueryDict(saved.query) == QueryDict(
        f"programme={programme.pk}&state=idea&sort=title&columns=acronym"
    )
    assert saved.query == f"programme={programme.pk}&state=idea&sort=title&columns=acronym"
    again = services.save_filter(office, "Açık Interreg", "closed=on")
    assert again.pk == saved.pk and again.query == "closed=on"
    assert SavedFilter.objects.filter(user=office).count() == 1
    # the defaults are not stored: the plain table is the empty query
    assert services.save_filter(office, "Plain", "sort=-updated_at&per_page=25").query == ""


def test_a_view_needs_a_name_and_filters_the_table_knows(people):
    with pytest.raises(Invalid) as empty:
        services.save_filter(people["office"], "   ", "")
    assert "name" in empty.value.fields
    with pytest.raises(Invalid) as unknown:
        services.save_filter(people["office"], "Old", "programme=999999")
    assert "query" in unknown.value.fields
    with pytest.raises(Invalid):
        services.save_filter(people["office"], "x" * 101, "")
    assert not SavedFilter.objects.exists()


def test_one_deletes_only_ones_own(people):
    mine = services.save_filter(people["lead"], "Mine", "closed=on")
    with pytest.raises(NotFound):
        services.delete_filter(people["member"], mine)
    with pytest.raises(NotFound):
        services.delete_filter(None, mine)
    assert SavedFilter.objects.filter(pk=mine.pk).exists()
    services.delete_filter(people["lead"], mine)
    assert not SavedFilter.objects.filter(pk=mine.pk).exists()


def test_fifty_views_at_most_a_name_already_saved_may_still_change(people):
    lead = people["lead"]
    for n in range(SavedFilter.LIMIT_PER_PERSON):
        services.save_filter(lead, f"View {n}", "")
    with pytest.raises(Conflict) as refused:
        services.save_filter(lead, "One more", "closed=on")
    assert [reason.code for reason in refused.value.reasons] == ["saved_filter_limit"]
    assert refused.value.status == 409
    assert services.save_filter(lead, "View 7", "closed=on").query == "closed=on"
    assert SavedFilter.objects.filter(user=lead).count() == SavedFilter.LIMIT_PER_PERSON
    assert services.save_filter(people["member"], "One more", "").pk  # the limit is each person's


# --- on the page ------------------------------------------------------------------------------------
def test_the_page_lists_ones_views_as_links_and_saves_the_current_one(client_for, people):
    call = CallFactory()
    services.save_filter(people["member"], "Someone else's", "closed=on")
    client = client_for(people["lead"])
    html = client.get(f"/proposals/table/?call={call.pk}&sort=title&page=2").content.decode()
    assert f'name="query" value="call={call.pk}&amp;sort=title"' in html  # what "Save this view" saves
    assert "Someone else&#x27;s" not in html
    response = client.post(
        "/proposals/table/views/", {"name": "Bu çağrı", "query": f"call={call.pk}&sort=title"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/table/?call={call.pk}&sort=title"
    html = client.get(response["Location"]).content.decode()
    assert f'<a href="/proposals/table/?call={call.pk}&amp;sort=title">Bu çağrı</a>' in html
    assert "The view “Bu çağrı” is saved." in html


def test_saving_without_a_name_or_past_the_limit_says_why_and_saves_nothing(client_for, people):
    client = client_for(people["lead"])
    response = client.post("/proposals/table/views/", {"name": "", "query": "closed=on"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    for n in range(SavedFilter.LIMIT_PER_PERSON):
        services.save_filter(people["lead"], f"View {n:02d}", "")
    response = client.post("/proposals/table/views/", {"name": "One more", "query": "closed=on"})
    assert response.status_code == 409
    assert 'data-reason="saved_filter_limit"' in response.content.decode()
    assert not SavedFilter.objects.filter(name="One more").exists()
    bad = client.post("/proposals/table/views/", {"name": "Gone", "query": "programme=999999"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert not SavedFilter.objects.filter(name="Gone").exists()


def test_deleting_goes_back_to_the_view_and_someone_elses_is_404(client_for, people):
    mine = services.save_filter(people["lead"], "Mine", "closed=on")
    theirs = services.save_filter(people["member"], "Theirs", "")
    client = client_for(people["lead"])
    assert client.post(f"/proposals/table/views/{theirs.pk}/delete/").status_code == 404
    assert client.get(f"/proposals/table/views/{mine.pk}/delete/").status_code == 405
    response = client.post(f"/proposals/table/views/{mine.pk}/delete/", {"query": "sort=title&junk=1"})
    assert response.status_code == 302 and response["Location"] == "/proposals/table/?sort=title"
    assert not SavedFilter.objects.filter(pk=mine.pk).exists()
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    assert client_for(None).post(f"/proposals/table/views/{theirs.pk}/delete/").status_code == 302  # sign in


def test_the_forms_need_the_csrf_token(client_for, people):
    mine = services.save_filter(people["lead"], "Mine", "")
    client = client_for(people["lead"], enforce_csrf_checks=True)
    assert client.post("/proposals/table/views/", {"name": "x", "query": ""}).status_code == 403
    assert client.post(f"/proposals/table/views/{mine.pk}/delete/").status_code == 403
    html = client.get("/proposals/table/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert (
        client.post("/proposals/table/views/", {"name": "x", "csrfmiddlewaretoken": token}).status_code == 302
    )


def test_the_saved_views_cost_one_query_whatever_their_number(client_for, people, django_assert_num_queries):
    lead = people["lead"]
    made = []

    def add(n):
        for _ in range(n):
            made.append(services.save_filter(lead, f"View {len(made)}", "closed=on"))

    def rows(html):
        return html.count('class="saved-view"')

    assert_same_query_count(
        client_for(lead), "/proposals/table/", add, django_assert_num_queries, rows_in=rows
    )
