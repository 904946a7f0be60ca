"""Partner search: words (PostgreSQL full-text in Turkish and English, SQLite every word), partners in
an agreement with the asker's municipality first, the filters, their 400s, constant query counts."""

import pytest
from django.db import connection

from cooperation.models import Cooperation
from cooperation.selectors.partners import search_partners
from tests.factories import (
    CallFactory,
    CooperationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnerProfileFactory,
    ProgrammeFactory,
    ProposalFactory,
    TeamMembershipFactory,
    ThemeFactory,
)
from tests.querycount import assert_same_query_count
from workflows.models import ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="full-text search")


def names(rows) -> list[str]:
    return [profile.party.name for profile in rows]


@pytest.fixture
def member(db):
    """A team member of Çorlu."""
    return TeamMembershipFactory(municipality=MunicipalityFactory(name="Çorlu Belediyesi")).user


def test_empty_search_finds_every_party(member):
    MunicipalityFactory(name="Babaeski Belediyesi")
    OrganisationFactory(name="Haskovo Municipality")
    assert set(names(search_partners(member))) == {
        "Çorlu Belediyesi",
        "Babaeski Belediyesi",
        "Haskovo Municipality",
    }


def test_every_word_must_match(member):
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Haskovo Municipality"), description="rural tourism"
    )
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Plovdiv University"), description="tourism research"
    )
    assert names(search_partners(member, q="haskovo tourism")) == ["Haskovo Municipality"]
    assert set(names(search_partners(member, q="tourism"))) == {"Haskovo Municipality", "Plovdiv University"}
    assert names(search_partners(member, q="tourism nowhere")) == []


def test_words_are_turkish_case_folded(member):
    MunicipalityFactory(name="İnecik Belediyesi", province="Tekirdağ")
    assert names(search_partners(member, q="İNECİK")) == ["İnecik Belediyesi"]
    assert names(search_partners(member, q="inecik")) == ["İnecik Belediyesi"]


def test_themes_match_in_both_languages(member):
    theme = ThemeFactory(code="tourism", name_en="Tourism", name_tr="Turizm")
    PartnerProfileFactory(organisation=OrganisationFactory(name="Edirne Tourism Board"), themes=[theme])
    organisation = OrganisationFactory(name="Kavala Port")
    PartnerProfileFactory(organisation=organisation, themes=[theme])
    assert "Kavala Port" in names(search_partners(member, q="turizm"))
    assert "Kavala Port" in names(search_partners(member, q="tourism"))


@postgresql_only
def test_turkish_stemming_finds_inflected_words(member):
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Kırklareli Kültür Derneği"),
        description="kırsal turizmi geliştirme",
    )
    PartnerProfileFactory(organisation=OrganisationFactory(name="Other"), description="enerji")
    assert names(search_partners(member, q="turizm")) == ["Kırklareli Kültür Derneği"]
    assert names(search_partners(member, q="belediyesi")) == ["Çorlu Belediyesi"]


@postgresql_only
def test_english_stemming_finds_inflected_words(member):
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Smart Alliance"),
        description="a network of smart city projects",
    )
    assert names(search_partners(member, q="cities")) == ["Smart Alliance"]
    assert names(search_partners(member, q="networks")) == ["Smart Alliance"]


@postgresql_only
def test_the_better_match_ranks_first(member):
    PartnerProfileFactory(organisation=OrganisationFactory(name="A Once"), description="flood")
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="B Often"), description="flood flood flood risk flood"
    )
    assert names(search_partners(member, q="flood")) == ["B Often", "A Once"]


@postgresql_only
def test_the_search_expression_is_the_indexed_one(member):
    OrganisationFactory.create_batch(3)
    rows = search_partners(member, q="turizm")
    with connection.cursor() as cursor:
        # a tiny table: leave the planner only bitmap scans, which need an index condition (the GIN)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cooperation_partnerprofile_search" in plan, plan


def test_partners_in_an_agreement_with_my_municipality_come_first(member):
    mine = member.team_memberships.get().municipality
    for name in ("Alpha Partner", "Beta Partner", "Zeta Partner"):
        OrganisationFactory(name=name)
    zeta = OrganisationFactory._meta.model.objects.get(name="Zeta Partner")
    twin = MunicipalityFactory(name="Yambol Belediyesi")
    CooperationFactory(municipalities=[mine, twin], organisations=[zeta])
    rows = list(search_partners(member, q="partner"))
    assert names(rows) == ["Zeta Partner", "Alpha Partner", "Beta Partner"]
    assert [profile.in_agreement for profile in rows] == [True, False, False]
    everyone = list(search_partners(member))
    assert set(names(everyone[:2])) == {"Zeta Partner", "Yambol Belediyesi"}
    assert not next(p for p in everyone if p.municipality_id == mine.pk).in_agreement


def test_network_memberships_and_ended_agreements_do_not_rank_first(member):
    mine = member.team_memberships.get().municipality
    network = OrganisationFactory(name="Zz Network")
    CooperationFactory(kind=Cooperation.Kind.NETWORK, municipalities=[mine], organisations=[network])
    ended = OrganisationFactory(name="Zz Ended")
    CooperationFactory(
        municipalities=[mine], organisations=[ended], signed_on="2010-01-01", ends_on="2015-01-01"
    )
    rows = search_partners(member, q="zz")
    assert [profile.in_agreement for profile in rows] == [False, False]


def test_the_office_has_no_agreement_order(office_user):
    OrganisationFactory(name="Only")
    assert [p.in_agreement for p in search_partners(office_user, q="only")] == [False]


def test_country_filter_tr_means_the_unions_municipalities(member):
    OrganisationFactory(name="Haskovo", country="BG")
    OrganisationFactory(name="Trakya Kalkınma Ajansı", country="TR", kind="development_agency")
    assert names(search_partners(member, country="BG")) == ["Haskovo"]
    assert set(names(search_partners(member, country="tr"))) == {"Çorlu Belediyesi", "Trakya Kalkınma Ajansı"}


def test_kind_filter_municipality_counts_the_unions_municipalities(member):
    OrganisationFactory(name="Haskovo", kind="municipality")
    OrganisationFactory(name="Trakya University", kind="university")
    assert set(names(search_partners(member, kind="municipality"))) == {"Çorlu Belediyesi", "Haskovo"}
    assert names(search_partners(member, kind="university")) == ["Trakya University"]


def test_theme_filter(member):
    energy = ThemeFactory(code="energy")
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Solar"), themes=[energy, ThemeFactory(code="x")]
    )
    OrganisationFactory(name="Plain")
    assert names(search_partners(member, theme=energy)) == ["Solar"]


def test_programme_filter_finds_leads_and_partners_of_funded_projects(member):
    interreg, other = ProgrammeFactory(), ProgrammeFactory()
    call = CallFactory(programme=interreg)
    lead = MunicipalityFactory(name="Edirne Belediyesi")
    partner = OrganisationFactory(name="Haskovo")
    funded = ProposalFactory(lead=lead, call=call, state=State.AWARDED)
    ProposalPartner.objects.create(proposal=funded, organisation=partner)
    ProposalFactory(lead=MunicipalityFactory(name="Drafting Only"), call=call, state=State.DRAFTING)
    ProposalFactory(
        lead=MunicipalityFactory(name="Elsewhere"), call=CallFactory(programme=other), state=State.AWARDED
    )
    assert set(names(search_partners(member, programme=interreg))) == {"Edirne Belediyesi", "Haskovo"}


# --- the API ---------------------------------------------------------------------------------------


def test_api_list_row(api_client, member):
    theme = ThemeFactory(code="tourism", name_en="Tourism", name_tr="Turizm")
    organisation = OrganisationFactory(name="Haskovo Municipality", city="Haskovo", country="BG")
    PartnerProfileFactory(organisation=organisation, themes=[theme], languages=["bg", "en"], pic="912345678")
    response = api_client(member).get("/api/v1/partners/", {"q": "haskovo"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": organisation.partner_profile.pk,
        "party_type": "organisation",
        "party_id": organisation.pk,
        "name": "Haskovo Municipality",
        "country": "BG",
        "place": "Haskovo",
        "kind": "municipality",
        "kind_label": "Municipality abroad",
        "themes": [{"code": "tourism", "name": "Tourism"}],
        "languages": ["bg", "en"],
        "pic": "912345678",
        "in_agreement": False,
        "past_project_count": 0,
    }


def test_api_municipality_row_says_tr_and_province(api_client, member):
    MunicipalityFactory(name="Babaeski Belediyesi", province="Kırklareli", district="Babaeski")
    [row] = api_client(member).get("/api/v1/partners/", {"q": "babaeski"}).json()["results"]
    assert (row["party_type"], row["country"], row["place"], row["kind"]) == (
        "municipality",
        "TR",
        "Kırklareli / Babaeski",
        "municipality",
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"country": "B1"}, "country"),
        ({"country": "BGR"}, "country"),
        ({"kind": "spaceship"}, "kind"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"programme": "999999"}, "programme"),
        ({"programme": "x"}, "programme"),
        ({"programme": "99999999999999999999"}, "programme"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_api_bad_filters_answer_400_with_the_field(api_client, member, query, field):
    response = api_client(member).get("/api/v1/partners/", query)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_api_partner_contacts_and_reviewers_may_search(api_client):
    contact = TeamMembershipFactory(municipality=None, organisation=OrganisationFactory()).user
    assert api_client(contact).get("/api/v1/partners/").status_code == 200


def test_api_anonymous_may_not_search(api_client):
    assert api_client().get("/api/v1/partners/").status_code in (401, 403)


def _rows(n):
    theme = ThemeFactory(code="shared")
    for _ in range(n):
        organisation = OrganisationFactory()
        PartnerProfileFactory(organisation=organisation, themes=[theme, ThemeFactory()], languages=["en"])
        ProposalPartner.objects.create(
            proposal=ProposalFactory(state=State.AWARDED), organisation=organisation
        )


def test_api_list_query_count_does_not_grow(api_client, member, django_assert_num_queries):
    assert_same_query_count(
        api_client(member), "/api/v1/partners/?country=BG", _rows, django_assert_num_queries
    )


def test_api_search_query_count_does_not_grow(api_client, office_user, django_assert_num_queries):
    assert_same_query_count(
        api_client(office_user),
        "/api/v1/partners/?q=organisation&theme=shared",
        _rows,
        django_assert_num_queries,
    )


@postgresql_only
def test_web_search_operators_are_honoured(member):
    PartnerProfileFactory(
        organisation=OrganisationFactory(name="Solar Tourism"), description="tourism energy"
    )
    PartnerProfileFactory(organisation=OrganisationFactory(name="Rural Tourism"), description="tourism")
    assert names(search_partners(member, q="tourism -energy")) == ["Rural Tourism"]
    assert set(names(search_partners(member, q="solar or rural"))) == {"Solar Tourism", "Rural Tourism"}
