"""The certificate pages: "My certificates" (the office: all, filtered, paged) and the PDF of one."""

import pytest

from events.models import Certificate
from tests.factories import CertificateFactory, MunicipalityFactory, UserFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def _rows(text: str) -> int:
    return text.count("data-certificate=")


def test_a_person_sees_their_own_with_the_pdf_and_the_check(client_for, member):
    mine = CertificateFactory(registration__person=member, registration__event__title_en="Project camp")
    CertificateFactory(holder_name="Someone Else")
    page = client_for(member).get("/certificates/")
    assert page.status_code == 200
    text = page.content.decode()
    assert _rows(text) == 1 and "Project camp" in text and "Someone Else" not in text
    assert f'href="/certificates/{mine.pk}.pdf"' in text
    assert f'href="/verify/{mine.display_code}/"' in text
    assert 'name="municipality"' not in text  # filters are the office's


def test_a_revoked_one_is_listed_as_revoked(client_for, member):
    CertificateFactory(registration__person=member, revoked_at="2026-01-05T10:00:00Z", revocation_reason="x")
    text = client_for(member).get("/certificates/").content.decode()
    assert "Revoked" in text and _rows(text) == 1


def test_the_office_sees_all_and_filters_by_event_and_municipality(client_for, office):
    vize = MunicipalityFactory(name="Vize Belediyesi")
    first = CertificateFactory(registration__municipality=vize, holder_name="Ayşe Kaya")
    second = CertificateFactory(holder_name="Mehmet Demir")
    client = client_for(office)
    text = client.get("/certificates/").content.decode()
    assert _rows(text) == 2 and "Vize Belediyesi" in text and "Mehmet Demir" in text
    by_town = client.get("/certificates/", {"municipality": vize.pk}).content.decode()
    assert _rows(by_town) == 1 and "Ayşe Kaya" in by_town
    by_event = client.get("/certificates/", {"event": second.registration.event_id}).content.decode()
    assert _rows(by_event) == 1 and "Mehmet Demir" in by_event
    # a choice that is no event is ignored as the form's error, not a 500
    assert client.get("/certificates/", {"event": "x"}).status_code == 200
    assert first.pk != second.pk


def test_the_list_is_paged(client_for, office):
    CertificateFactory.create_batch(26)
    client = client_for(office)
    first = client.get("/certificates/").content.decode()
    assert _rows(first) == 25 and 'rel="next"' in first
    assert _rows(client.get("/certificates/", {"page": 2}).content.decode()) == 1
    assert client.get("/certificates/", {"page": "99999999999999999999"}).status_code == 200


def test_the_pdf_is_for_the_holder_and_the_office(client_for, office, member):
    certificate = CertificateFactory(registration__person=member)
    for reader in (member, office):
        pdf = client_for(reader).get(f"/certificates/{certificate.pk}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert pdf["Cache-Control"] == "private, no-store"
    assert client_for(UserFactory()).get(f"/certificates/{certificate.pk}.pdf").status_code == 404
    assert client_for(member).get("/certificates/999999.pdf").status_code == 404
    anonymous = client_for(None).get(f"/certificates/{certificate.pk}.pdf")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_signing_in_is_needed_for_the_list(client_for):
    assert client_for(None).get("/certificates/").status_code == 302


@pytest.mark.parametrize("as_office", [False, True])
def test_my_certificates_cost_the_same_for_1_and_5(
    client_for, office, member, as_office, django_assert_num_queries
):
    reader = office if as_office else member
    assert_same_query_count(
        client_for(reader),
        "/certificates/",
        lambda n: CertificateFactory.create_batch(n, registration__person=member),
        django_assert_num_queries,
        rows_in=_rows,
    )
    assert Certificate.objects.count() == 5
