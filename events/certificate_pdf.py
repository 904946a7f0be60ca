"""A certificate as a PDF: one page, in Turkish and then English, with the union's name, the event, its
dates and hours, the verification code and a QR code of the public verification address (segno, an
SVG as a data: URI, since the PDF fetches nothing)."""

from __future__ import annotations

import segno

from events.models import Certificate
from grants_office.core.pdf import render_pdf


def qr_data_uri(address: str) -> str:
    return segno.make(address, error="m").svg_data_uri(scale=4, border=2)


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    event = certificate.registration.event
    context = {
        "certificate": certificate,
        "event": event,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }
    return render_pdf("events/certificate_pdf.html", context)


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"
