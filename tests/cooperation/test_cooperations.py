"""The cooperation registry: /api/v1/cooperations/, its rules, its documents' policy, cooperations_of."""

import pytest

from cooperation.models import Cooperation
from cooperation.selectors.agreements import cooperations_of
from cooperation.services.agreements import record_cooperation
from documents import owners
from documents.models import DocumentSet
from tests.factories import (
    CooperationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/cooperations/"


@pytest.fixture
def corlu():
    return MunicipalityFactory(name="Çorlu Belediyesi")


@pytest.fixture
def haskovo():
    return OrganisationFactory(name="Haskovo Municipality", country="BG")


def test_office_records_a_twinning_with_its_document_set(api_client, office_user, corlu, haskovo):
    answer = api_client(office_user).post(
        URL,
        {
            "kind": "sister_city",
            "title": "Çorlu – Haskovo",
            "municipalities": [corlu.pk],
            "organisations": [haskovo.pk],
            "signed_on": "2019-05-09",
            "scope": "Culture and tourism",
        },
    )
    assert answer.status_code == 201, answer.json()
    cooperation = Cooperation.objects.get(pk=answer.json()["id"])
    assert cooperation.document_set.purpose == DocumentSet.Purpose.AGREEMENT
    assert answer.json()["municipality_names"] == [{"id": corlu.pk, "name": corlu.name}]
    assert list(cooperations_of(corlu)) == [cooperation] == list(cooperations_of(haskovo))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "agreement", "title": "One party", "municipalities": "corlu"}, "municipalities"),
        ({"kind": "network", "title": "CEMR", "municipalities": "corlu"}, "municipalities"),
        ({"kind": "network", "title": "CEMR", "organisations": "haskovo"}, "municipalities"),
        (
            {
                "kind": "agreement",
                "title": "Dates",
                "municipalities": "corlu",
                "union_wide": True,
                "signed_on": "2020-01-01",
                "ends_on": "2019-01-01",
            },
            "ends_on",
        ),
        ({"kind": "agreement", "title": " ", "municipalities": "corlu", "union_wide": True}, "title"),
    ],
)
def test_rules_answer_400_with_fields(api_client, office_user, corlu, haskovo, data, field):
    ids = {"corlu": [corlu.pk], "haskovo": [haskovo.pk]}
    data = {name: ids.get(value, value) if isinstance(value, str) else value for name, value in data.items()}
    answer = api_client(office_user).post(URL, data)
    assert answer.status_code == 400
    assert field in answer.json()["fields"]
    assert not Cooperation.objects.exists()


def test_network_membership_of_the_union(api_client, office_user, haskovo):
    uclg = OrganisationFactory(name="UCLG-MEWA", country="TR", kind="other")
    answer = api_client(office_user).post(
        URL, {"kind": "network", "title": "UCLG-MEWA", "organisations": [uclg.pk], "union_wide": True}
    )
    assert answer.status_code == 201


def test_team_reads_but_does_not_record(api_client, corlu, haskovo):
    member = TeamMembershipFactory(municipality=corlu).user
    cooperation = CooperationFactory(municipalities=[corlu], organisations=[haskovo])
    client = api_client(member)
    assert client.get(f"{URL}{cooperation.pk}/").status_code == 200
    refused = client.post(
        URL, {"kind": "agreement", "title": "X", "municipalities": [corlu.pk], "union_wide": True}
    )
    assert refused.status_code == 409 and refused.json()["reasons"][0]["code"] == "not_permitted"
    patched = client.patch(f"{URL}{cooperation.pk}/", {"title": "Changed"})
    assert patched.status_code == 409
    cooperation.refresh_from_db()
    assert cooperation.title != "Changed"


def test_somebody_on_no_team_gets_404(api_client, corlu, haskovo):
    cooperation = CooperationFactory(municipalities=[corlu], organisations=[haskovo])
    client = api_client(UserFactory())
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{cooperation.pk}/").status_code == 404


def test_office_corrects_a_record(api_client, office_user, corlu, haskovo):
    cooperation = CooperationFactory(municipalities=[corlu], organisations=[haskovo])
    answer = api_client(office_user).patch(
        f"{URL}{cooperation.pk}/", {"ends_on": "2040-01-01", "organisations": []}
    )
    assert answer.status_code == 400 and "municipalities" in answer.json()["fields"]
    answer = api_client(office_user).patch(f"{URL}{cooperation.pk}/", {"ends_on": "2040-01-01"})
    assert answer.status_code == 200 and answer.json()["ends_on"] == "2040-01-01"


def test_filters(api_client, office_user, corlu, haskovo):
    twinning = CooperationFactory(municipalities=[corlu], organisations=[haskovo])
    network = CooperationFactory(kind="network", organisations=[OrganisationFactory()], union_wide=True)
    client = api_client(office_user)
    assert [c["id"] for c in client.get(URL, {"kind": "network"}).json()["results"]] == [network.pk]
    assert [c["id"] for c in client.get(URL, {"municipality": corlu.pk}).json()["results"]] == [twinning.pk]
    assert [c["id"] for c in client.get(URL, {"organisation": haskovo.pk}).json()["results"]] == [twinning.pk]


def test_agreement_documents_members_read_and_the_office_changes(office_user, corlu):
    cooperation = record_cooperation(
        office_user, kind="agreement", title="Cooperation", municipalities=[corlu], union_wide=True
    )
    member = TeamMembershipFactory(municipality=corlu).user
    assert owners.can_view(member, cooperation.document_set)
    assert not owners.can_view(UserFactory(), cooperation.document_set)
    assert owners.change_blocked(member, cooperation.document_set, "annex").code == "not_permitted"
    assert owners.change_blocked(office_user, cooperation.document_set, "annex") is None


def test_list_query_count(api_client, office_user, django_assert_num_queries):
    assert_same_query_count(
        api_client(office_user),
        URL,
        lambda n: [
            CooperationFactory(municipalities=[MunicipalityFactory()], organisations=[OrganisationFactory()])
            for _ in range(n)
        ],
        django_assert_num_queries,
    )
