"""PDFs made on the server from our own HTML templates (WeasyPrint).

A PDF template extends `core/pdf_base.html` and is styled by `core/static/core/pdf.css` (A4, page
numbers, the union's name in the running header). WeasyPrint fetches nothing from the network: the
stylesheet is read from the static files, and any other address a document names is refused, so text
that people typed can never make the server fetch a URL. Fonts are the system's (DejaVu from Debian's
fonts-dejavu-core covers Turkish); the Pango libraries it needs are named in the README.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

STYLESHEET = "core/pdf.css"


class RefusedAddress(ValueError):
    pass


def _no_fetching(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: data: URLs only (an image we embed ourselves); the rest is refused."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher  # noqa: PLC0415 -- rare path: PDFs only

        return default_url_fetcher(url, *args, **kwargs)
    raise RefusedAddress(url)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """The template rendered (in the active language) with the union's name and the moment it was made,
    and typeset as a PDF."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 -- rare path: PDFs only, a heavy import

    context = {"union_name": settings.UNION_NAME, "generated_at": timezone.now(), **context}
    html = render_to_string(template_name, context, request=request)
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=_no_fetching)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[stylesheet])


def pdf_page(request, template_name: str, context: dict, filename: str) -> HttpResponse:
    """A PDF the app serves: the template typeset for the request's reader, shown in the browser."""
    return pdf_response(render_pdf(template_name, context, request), filename)


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
