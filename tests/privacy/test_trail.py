"""The office's audit trail: `GET /api/v1/audit/` and /privacy/audit/, filtered by person, record and
days; refused to everyone else; the same queries for a few entries or many."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from grants_office.members.models import TeamMembership
from tests.factories.members import MunicipalityFactory, TeamMembershipFactory, UserFactory, office_staff
from tests.querycount import assert_same_query_count
from workflows import services
from workflows.states import State

pytestmark = pytest.mark.django_db
TRAIL = "/api/v1/audit/"


def edit_titles(proposal, user, count):
    for number in range(count):
        services.update_proposal(proposal, user, title=f"Başlık {number}")


def test_the_office_reads_every_change_newest_first(api_client, make_proposal, office_user):
    proposal = make_proposal(state=State.IDEA, title="İlk")
    services.update_proposal(proposal, office_user, title="İkinci")
    body = api_client(office_user).get(TRAIL, {"model": "workflows.proposal"}).json()
    newest = body["results"][0]
    assert (newest["action"], newest["model"], newest["object_id"]) == (
        "update",
        "workflows.proposal",
        proposal.pk,
    )
    assert newest["changes"] == [{"field": "title", "label": "title", "old": "İlk", "new": "İkinci"}]
    assert newest["model_label"] == "proposal"
    assert [entry["action"] for entry in body["results"]] == ["update", "create"]


def test_others_are_refused_and_read_nothing(api_client, client_for, people):
    for role in ("lead", "reviewer", "partner"):
        response = api_client(people[role]).get(TRAIL)
        assert response.status_code == 409, role
        assert response.json()["reasons"][0]["code"] == "not_permitted"
        assert client_for(people[role]).get("/privacy/audit/").status_code == 403
    assert api_client(None).get(TRAIL).status_code in (401, 403)
    assert client_for(None).get("/privacy/audit/").status_code == 302


def test_filters_by_person_by_record_by_kind_and_by_day(api_client, make_proposal):
    ayse, mehmet = office_staff(first_name="Ayşe", last_name="Kaya"), office_staff(first_name="Mehmet")
    proposal = make_proposal(state=State.IDEA)
    client = api_client(ayse)
    services.update_proposal(proposal, ayse, title="Ayşe'nin")
    services.update_proposal(proposal, mehmet, title="Mehmet'in")
    LogEntry.objects.get_for_object(proposal).filter(actor=mehmet).update(
        timestamp=timezone.now() - timedelta(days=3)
    )

    def titles(**params):
        rows = client.get(TRAIL, {"model": "workflows.proposal", "action": "update", **params}).json()[
            "results"
        ]
        return [row["changes"][0]["new"] for row in rows]

    assert titles() == ["Ayşe'nin", "Mehmet'in"]
    assert titles(actor=mehmet.pk) == ["Mehmet'in"]
    assert titles(person="kaya") == ["Ayşe'nin"]
    assert titles(object=proposal.pk) == ["Ayşe'nin", "Mehmet'in"]
    today = timezone.localdate()
    assert titles(since=today.isoformat()) == ["Ayşe'nin"]
    assert titles(until=(today - timedelta(days=1)).isoformat()) == ["Mehmet'in"]


def test_bad_filters_answer_400_with_the_fields(api_client, office_user):
    response = api_client(office_user).get(TRAIL, {"since": "dün", "model": "auth.nothing", "action": "x"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"since", "model", "action"}
    assert api_client(office_user).get(TRAIL, {"cursor": "bozuk"}).status_code == 400


def test_the_trail_reads_by_cursor(api_client, office_user, make_proposal):
    edit_titles(make_proposal(state=State.IDEA), office_user, 4)
    client = api_client(office_user)
    first = client.get(TRAIL, {"cursor": "", "page_size": 2}).json()
    second = client.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4


def test_the_page_lists_and_filters(client_for, office_user, make_proposal):
    proposal = make_proposal(state=State.IDEA, title="Eski başlık")
    services.update_proposal(proposal, office_user, title="Yeni başlık")
    page = client_for(office_user).get("/privacy/audit/", {"model": "workflows.proposal"})
    text = page.content.decode()
    assert page.status_code == 200 and "Eski başlık" in text and "Yeni başlık" in text
    assert client_for(office_user).get("/privacy/audit/", {"since": "yarın"}).status_code == 400
    turkish = client_for(office_user, language="tr").get("/privacy/audit/").content.decode()
    assert "Denetim izi" in turkish


def test_a_membership_and_a_grant_are_followed(api_client, office_user):
    person = UserFactory(username="ayse")
    membership = TeamMembershipFactory(user=person, municipality=MunicipalityFactory(name="Kırklareli"))
    membership.role = TeamMembership.Role.LEAD
    membership.save()
    person.is_staff = True
    person.set_password("yeni-parola-123")
    person.save()
    rows = api_client(office_user).get(TRAIL, {"about": person.pk}).json()["results"]
    changed = {c["field"]: (c["old"], c["new"]) for c in rows[0]["changes"]}
    assert changed["is_staff"] == ("no", "yes")
    assert "yeni-parola-123" not in str(changed["password"]) and changed["password"][1].startswith("*")
    role = api_client(office_user).get(TRAIL, {"model": "members.teammembership", "action": "update"}).json()
    assert role["results"][0]["changes"][0]["new"] == "Team lead"


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_trail_costs_the_same_for_few_entries_or_many(
    where, api_client, client_for, office_user, make_proposal, django_assert_num_queries
):
    proposal = make_proposal(state=State.IDEA)
    coordinators = iter([office_staff() for _ in range(6)])

    def make_rows(count):
        for _ in range(count):
            services.update_proposal(proposal, office_user, title=f"{count}", coordinator=next(coordinators))

    query = "?model=workflows.proposal&action=update"
    if where == "api":
        client, url, rows_in = api_client(office_user), TRAIL + query, None
    else:
        client, url = client_for(office_user), "/privacy/audit/" + query

        def rows_in(text):
            return text.count('<dl class="changes">')

    measured = assert_same_query_count(
        client, url, make_rows, django_assert_num_queries, rows_in=rows_in or (lambda body: body["count"])
    )
    assert measured <= 12
