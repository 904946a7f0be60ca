"""A municipality's and an organisation's page: profile, the open calls it may lead, agreements and
networks on both parties' pages, open partner requests, funded projects; 404 and query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cooperation.models import Cooperation
from events.states import EventState
from tests.factories import (
    AttendanceFactory,
    CallEligibilityFactory,
    CallFactory,
    CertificateFactory,
    CooperationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnerRequestFactory,
    ProposalFactory,
    RegistrationFactory,
    TeamMembershipFactory,
    ThemeFactory,
    office_staff,
)
from tests.querycount import assert_same_query_count
from workflows.models import ProposalPartner
from workflows.states import State

pytestmark = pytest.mark.django_db


def _open_call(**kwargs):
    return CallFactory(
        opens_on=timezone.localdate() - timedelta(days=5),
        deadline=timezone.now() + timedelta(days=30),
        **kwargs,
    )


@pytest.fixture
def edirne():
    return MunicipalityFactory(name="Edirne Belediyesi", province="Edirne")


@pytest.fixture
def haskovo():
    return OrganisationFactory(name="Haskovo Municipality", country="BG", city="Haskovo")


@pytest.fixture
def member(edirne):
    return TeamMembershipFactory(municipality=edirne).user


def test_the_municipality_page_shows_profile_calls_agreements_requests_and_projects(
    client_for, member, edirne, haskovo
):
    profile = edirne.partner_profile
    profile.priorities = "Meriç taşkınları"
    profile.save()
    profile.themes.add(ThemeFactory(code="heritage", name_en="Cultural heritage", name_tr="Kültürel miras"))
    border = _open_call(reference="IPA-BGTR-03")
    CallEligibilityFactory(call=border, lead_provinces=["Edirne", "Kırklareli"])
    elsewhere = _open_call(reference="TR-ONLY-TEKIRDAG")
    CallEligibilityFactory(call=elsewhere, lead_provinces=["Tekirdağ"])
    CooperationFactory(
        title="Edirne – Haskovo sister cities", municipalities=[edirne], organisations=[haskovo]
    )
    PartnerRequestFactory(municipality=edirne, title="Seeking a Bulgarian partner", call=border)
    funded = ProposalFactory(lead=edirne, state=State.AWARDED, title="Meriç flood warning", call=border)
    ProposalPartner.objects.create(proposal=funded, organisation=haskovo)

    html = client_for(member).get(f"/members/{edirne.pk}/").content.decode()
    assert "Meriç taşkınları" in html and "Cultural heritage" in html
    assert "IPA-BGTR-03" in html and "TR-ONLY-TEKIRDAG" not in html
    assert "Edirne – Haskovo sister cities" in html
    assert "Seeking a Bulgarian partner" in html
    assert "Meriç flood warning" in html

    html = client_for(member).get(f"/members/organisations/{haskovo.pk}/").content.decode()
    assert "Edirne – Haskovo sister cities" in html
    assert f'href="/members/{edirne.pk}/"' in html
    assert "Meriç flood warning" in html


def test_the_edit_link_is_for_the_team_lead_and_the_office(client_for, member, edirne):
    edit = f"/partners/{edirne.partner_profile.pk}/edit/"
    assert edit not in client_for(member).get(f"/members/{edirne.pk}/").content.decode()
    assert edit in client_for(office_staff()).get(f"/members/{edirne.pk}/").content.decode()


def test_agreements_are_for_members_only(client_for, edirne, haskovo):
    CooperationFactory(
        title="Edirne – Haskovo sister cities", municipalities=[edirne], organisations=[haskovo]
    )
    reviewer = TeamMembershipFactory(municipality=edirne, ends_on=timezone.localdate()).user  # ended
    html = client_for(reviewer).get(f"/members/{edirne.pk}/").content.decode()
    assert "Edirne – Haskovo sister cities" not in html


@pytest.mark.parametrize("path", ["/members/999999/", "/members/organisations/999999/"])
def test_an_unknown_party_is_404(client_for, member, path):
    assert client_for(member).get(path).status_code == 404


def test_signed_out_goes_to_sign_in(client_for, edirne):
    assert client_for(None).get(f"/members/{edirne.pk}/").status_code == 302


def test_the_municipality_page_query_count_does_not_grow(
    client_for, member, edirne, django_assert_num_queries
):
    def more(n):
        for _ in range(n):
            call = _open_call()
            CooperationFactory(
                municipalities=[edirne, MunicipalityFactory()], organisations=[OrganisationFactory()]
            )
            PartnerRequestFactory(municipality=edirne, call=call)
            ProposalFactory(lead=edirne, state=State.AWARDED, call=call)
            seat = RegistrationFactory(
                municipality=edirne, event__state=EventState.HELD, event__trains_project_managers=True
            )
            AttendanceFactory(registration=seat)
            CertificateFactory(registration=seat)

    def rows(html):
        return html.count("Sister cities ")

    queries = assert_same_query_count(
        client_for(member), f"/members/{edirne.pk}/", more, django_assert_num_queries, rows_in=rows
    )
    assert queries == 21  # the frame, the party, and each section's few reads (capacity: four)


def test_the_organisation_page_query_count_does_not_grow(
    client_for, member, haskovo, django_assert_num_queries
):
    def more(n):
        for _ in range(n):
            CooperationFactory(
                kind=Cooperation.Kind.AGREEMENT,
                municipalities=[MunicipalityFactory()],
                organisations=[haskovo],
            )
            funded = ProposalFactory(state=State.AWARDED)
            ProposalPartner.objects.create(proposal=funded, organisation=haskovo)

    def rows(html):
        return html.count("Sister cities ")

    assert_same_query_count(
        client_for(member),
        f"/members/organisations/{haskovo.pk}/",
        more,
        django_assert_num_queries,
        rows_in=rows,
    )
