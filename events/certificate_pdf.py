"""A certificate as a PDF: one A4 page, in Turkish and then English (each part rendered in its own
language from the catalogue: `{% language %}` blocks in the template), with the union's name, the
event's kind, title, dates (in the event's time zone) and place, the hours attended, the issue date, the
code and a QR code of the public verification address. The QR code is a PNG in a data: URI, the one kind
of address our PDFs load (grants_office.core.pdf fetches nothing else). A revoked certificate still
prints, with REVOKED / İPTAL EDİLDİ across it, so a copy that circulates cannot pass for a valid one.
"""

from __future__ import annotations

from datetime import date

import segno
from django.utils import timezone

from events.models import Certificate
from grants_office.core.pdf import render_pdf

TEMPLATE = "events/certificate_pdf.html"
# Medium error correction survives a crease or a stain; 8 pixels a module and the standard quiet zone of
# four modules keep it sharp at the printed size.
QR_ERROR = "m"
QR_SCALE = 8
QR_BORDER = 4
# Turkish first: the union's own language, then English for partners abroad.
LANGUAGES = ("tr", "en")


def qr_code(address: str) -> segno.QRCode:
    return segno.make(address, error=QR_ERROR)


def qr_data_uri(address: str) -> str:
    """The QR code of `address` as a PNG data: URI."""
    return qr_code(address).png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def event_days(event) -> tuple[date, date]:
    """The first and last day of the event as its own calendar has them (a session ending at 23:30 in
    Istanbul is that day, whatever the day in UTC)."""
    zone = event.tz
    return timezone.localtime(event.starts_at, zone).date(), timezone.localtime(event.ends_at, zone).date()


def certificate_context(certificate: Certificate, *, verify_url: str) -> dict:
    event = certificate.registration.event
    starts_on, ends_on = event_days(event)
    return {
        "certificate": certificate,
        "event": event,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "issued_on": timezone.localtime(certificate.issued_at, event.tz).date(),
        "revoked": not certificate.is_valid,
        "languages": LANGUAGES,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The PDF of the certificate (its registration's event loaded), whose QR code is `verify_url`."""
    return render_pdf(TEMPLATE, certificate_context(certificate, verify_url=verify_url))


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.display_code}.pdf"
