"""The certificate's PDF: one page, Turkish then English from the catalogue, what it certifies, the code,
and a QR code that holds exactly the verification address."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import segno
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from events.certificate_pdf import QR_BORDER, QR_SCALE, certificate_context, certificate_pdf, qr_data_uri
from events.models import Event
from events.selectors.certificates import certificate_by_code
from tests.factories import CertificateFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ADDRESS = "https://ofis.example.org/verify/{code}/"


@pytest.fixture
def certificate():
    event = EventFactory(
        kind=Event.Kind.PROJECT_CAMP,
        title_tr="Proje hazırlama kampı",
        title_en="Project preparation camp",
        place="Kırklareli",
        sessions=3,
    )
    registration = RegistrationFactory(event=event, person__first_name="Ayşe", person__last_name="Yılmaz")
    made = CertificateFactory(
        registration=registration, holder_name="Ayşe Yılmaz", sessions_attended=3, sessions_total=3, hours=21
    )
    return certificate_by_code(made.code)  # as the views load it


def _reader(certificate) -> tuple[PdfReader, str]:
    content = certificate_pdf(certificate, verify_url=ADDRESS.format(code=certificate.display_code))
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())  # lines broken where the page is full


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_one_page_with_the_holder_the_code_and_both_titles(certificate, settings):
    reader, text = _reader(certificate)
    assert len(reader.pages) == 1
    for expected in (
        "Ayşe Yılmaz",
        certificate.display_code,
        "Proje hazırlama kampı",
        "Project preparation camp",
        settings.UNION_NAME,
        ADDRESS.format(code=certificate.display_code),
    ):
        assert expected in text


def test_turkish_comes_first_and_each_part_is_in_its_language(certificate):
    _, text = _reader(certificate)
    turkish = _in("tr", "Certificate of participation")
    english = _in("en", "Certificate of participation")
    assert turkish in text and english in text
    assert text.index("Proje hazırlama kampı") < text.index("Project preparation camp")
    # each title in its own part, each kind in its own language
    turkish_part = text[: text.index("Project preparation camp")]
    assert _in("tr", str(Event.Kind.PROJECT_CAMP.label)) in turkish_part
    assert str(Event.Kind.PROJECT_CAMP.label) in text[text.index(english) :]
    assert "3 of 3 sessions, 21 hours." in text and "Place: Kırklareli" in text
    assert f"{_in('tr', 'Place')}: Kırklareli" in turkish_part
    with translation.override("tr"):
        hours = gettext("%(attended)s of %(total)s sessions, %(hours)s hours.") % {
            "attended": 3,
            "total": 3,
            "hours": 21,
        }
    assert hours in turkish_part


def test_the_dates_are_the_events_own_days(certificate):
    event = certificate.registration.event
    # It starts at 00:30 in Istanbul, which is still the day before in UTC.
    start = datetime(2026, 3, 10, 21, 30, tzinfo=UTC)  # 00:30 on 11 March in Istanbul
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(days=2, hours=7))
    reloaded = certificate_by_code(certificate.code)
    context = certificate_context(reloaded, verify_url="x")
    assert (context["starts_on"].isoformat(), context["ends_on"].isoformat()) == ("2026-03-11", "2026-03-13")
    _, text = _reader(reloaded)
    assert "March 11, 2026" in text and "March 13, 2026" in text
    assert "March 10, 2026" not in text


def test_a_one_day_event_names_its_day(certificate):
    event = certificate.registration.event
    start = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=7))
    _, text = _reader(certificate_by_code(certificate.code))
    assert "held on May 4, 2026" in text


def test_a_revoked_certificate_says_so_across_it(certificate):
    _, text = _reader(certificate)
    assert "REVOKED" not in text
    type(certificate).objects.filter(pk=certificate.pk).update(
        revoked_at=certificate.issued_at, revocation_reason="Issued to the wrong person."
    )
    reader, text = _reader(certificate_by_code(certificate.code))
    assert len(reader.pages) == 1
    assert "REVOKED" in text and _in("tr", "REVOKED") in text
    assert "wrong person" not in text  # the reason stays private


def test_the_qr_code_in_the_pdf_is_the_verification_address(certificate):
    address = ADDRESS.format(code=certificate.display_code)
    assert qr_data_uri(address).startswith("data:image/png;base64,")
    assert certificate_context(certificate, verify_url=address)["qr"] == segno.make(
        address, error="m"
    ).png_data_uri(scale=QR_SCALE, border=QR_BORDER)
    reader, _text = _reader(certificate)
    (image,) = reader.pages[0].images
    picture = image.image.convert("L")
    # segno cannot decode, so compare the embedded picture module by module with the code of the address
    matrix = segno.make(address, error="m").matrix
    assert picture.size == ((len(matrix) + 2 * QR_BORDER) * QR_SCALE,) * 2
    for row, modules in enumerate(matrix):
        for column, dark in enumerate(modules):
            centre = (
                (QR_BORDER + column) * QR_SCALE + QR_SCALE // 2,
                (QR_BORDER + row) * QR_SCALE + QR_SCALE // 2,
            )
            assert (picture.getpixel(centre) < 128) == bool(dark), (row, column)
    another = segno.make(address.replace("verify", "verifx"), error="m").matrix
    assert another != matrix  # the comparison tells addresses apart
