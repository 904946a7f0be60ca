"""The public check of a certificate's code: what it shows (and does not), revoked and unknown codes, the
form, the headers and the limit per client address."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Certificate, Event
from tests.factories import (
    CertificateFactory,
    EventFactory,
    MunicipalityFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    event = EventFactory(
        kind=Event.Kind.STUDY_VISIT,
        title_tr="Brüksel çalışma ziyareti",
        title_en="Study visit to Brussels",
        place="Brüksel",
        state="held",
    )
    start = datetime(2026, 4, 6, 21, 30, tzinfo=UTC)  # 7 April, 00:30 in Istanbul
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(days=2))
    person = UserFactory(
        username="ayse.kaya", first_name="Ayşe", last_name="Demir", email="ayse.kaya@vize.bel.tr"
    )
    registration = RegistrationFactory(
        event=event, person=person, municipality=MunicipalityFactory(name="Vize Belediyesi")
    )
    # printed under the name she had then
    return CertificateFactory(
        registration=registration, holder_name="Ayşe Kaya", sessions_attended=3, sessions_total=3, hours=21
    )


def _visitor(language="en", **headers) -> Client:
    client = Client(**headers)
    client.cookies["django_language"] = language
    return client


def _private(response) -> None:
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_anyone_sees_what_a_valid_code_certifies(certificate, settings):
    page = _visitor().get(f"/verify/{certificate.display_code}/")
    assert page.status_code == 200
    _private(page)
    text = page.content.decode()
    assert 'data-result="valid"' in text and "Valid certificate" in text
    for shown in (
        certificate.display_code,
        "Ayşe Kaya",
        "Study visit: Study visit to Brussels",
        "April 7, 2026 – April 9, 2026, Brüksel",
        "3 of 3 sessions, 21 hours",
        settings.UNION_NAME,
    ):
        assert shown in text


def test_the_title_is_in_the_pages_language(certificate):
    text = _visitor("tr").get(f"/verify/{certificate.code}/").content.decode()
    assert "Brüksel çalışma ziyareti" in text and "Study visit to Brussels" not in text


def test_nothing_else_about_the_person_is_shown(certificate):
    text = _visitor().get(f"/verify/{certificate.code}/").content.decode()
    for hidden in ("ayse.kaya", "vize.bel.tr", "Vize Belediyesi", "Demir"):
        assert hidden not in text


def test_a_revoked_code_says_when_and_not_why(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime(2026, 5, 2, 9, 0, tzinfo=UTC),
        revocation_reason="Sickness certificate was forged.",
    )
    page = _visitor().get(f"/verify/{certificate.display_code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-result="revoked"' in text and "Revoked certificate" in text
    assert "This certificate was revoked on May 2, 2026." in text
    assert "forged" not in text and "Valid certificate" not in text


@pytest.mark.parametrize(
    "code",
    ["AAAA-BBBB-CCCC", "23456789ABCD", "x", "%00%27--", "ÇĞİÖŞÜ", "A" * 500, "<script>alert(1)<script>"],
)
def test_an_unknown_or_malformed_code_is_404_and_says_only_that(certificate, code):
    page = _visitor().get(f"/verify/{code}/")
    assert page.status_code == 404
    _private(page)
    text = page.content.decode()
    assert 'data-result="unknown"' in text and "No certificate has this code." in text
    assert "Ayşe" not in text and "<script>alert" not in text


def test_the_code_is_read_as_typed(certificate):
    spaced = f"{certificate.code[:4].lower()}%20{certificate.code[4:8]}-{certificate.code[8:]}"
    assert _visitor().get(f"/verify/{spaced}/").status_code == 200


def test_the_form_sends_to_the_codes_address(certificate):
    client = _visitor()
    answer = client.get("/verify/", {"code": f" {certificate.display_code.lower()} "})
    assert answer.status_code == 302 and answer["Location"] == f"/verify/{certificate.code}/"
    _private(answer)
    form = client.get("/verify/")
    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    _private(form)
    assert client.get("/verify/", {"code": "--"}).status_code == 200  # nothing to look up: the form
    assert client.post(f"/verify/{certificate.code}/").status_code == 405


def test_lookups_are_limited_per_client_address(certificate, settings):
    settings.VERIFY_RATE_LIMIT = 3
    settings.VERIFY_RATE_WINDOW = 600
    client = _visitor(REMOTE_ADDR="203.0.113.7")
    statuses = [
        client.get(f"/verify/{code}/").status_code for code in ("AAAABBBBCCCC", certificate.code, "x")
    ]
    assert statuses == [404, 200, 404]
    limited = client.get(f"/verify/{certificate.code}/")
    assert limited.status_code == 429 and limited["Retry-After"] == "600"
    _private(limited)
    assert "Ayşe" not in limited.content.decode()
    assert client.get("/verify/").status_code == 200  # the form itself looks nothing up
    # another address has its own count
    assert _visitor(REMOTE_ADDR="198.51.100.2").get(f"/verify/{certificate.code}/").status_code == 200


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(certificate, settings):
    settings.VERIFY_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = _visitor(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert first.get(f"/verify/{certificate.code}/").status_code == 200
    assert first.get(f"/verify/{certificate.code}/").status_code == 429
    # a client cannot reset its count by writing its own header left of the proxy's
    spoofed = _visitor(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert spoofed.get(f"/verify/{certificate.code}/").status_code == 429
    other = _visitor(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.get(f"/verify/{certificate.code}/").status_code == 200


def test_a_signed_in_person_sees_the_same_page(client_for, certificate):
    page = client_for(UserFactory()).get(f"/verify/{certificate.code}/")
    assert page.status_code == 200 and "Ayşe Kaya" in page.content.decode()


def test_the_check_costs_the_same_for_a_big_event(django_assert_num_queries):
    small = CertificateFactory()
    big_event = EventFactory(sessions=5, state="held")
    RegistrationFactory.create_batch(5, event=big_event)
    big = CertificateFactory(registration__event=big_event)
    client = _visitor()
    client.get(f"/verify/{small.code}/")  # warm-up
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/verify/{small.code}/").status_code == 200
    assert len(captured) <= 3  # the certificate with its event, and the shared cache's counter
    with django_assert_num_queries(len(captured)):
        assert client.get(f"/verify/{big.code}/").status_code == 200
