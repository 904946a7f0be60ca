"""Shared fixtures for the documents tests: a private disk storage by default, files of each type,
and helpers that go through the API exactly as a client would (request, PUT, complete)."""

import hashlib
import io
import urllib.error
import urllib.request
import zipfile
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.workflows.conftest import people

__all__ = ["people"]


@pytest.fixture(autouse=True)
def disk_storage(disk_storage):
    """Every test here starts in embedded mode; S3 tests switch to SeaweedFS with `s3_storage`."""
    return disk_storage


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf(text: str = "budget") -> bytes:
    return b"%PDF-1.7\n% " + text.encode() + b"\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def zip_file(entries: dict[str, bytes], stored_first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1], zipfile.ZIP_STORED)
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx() -> bytes:
    return zip_file(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        }
    )


def docx() -> bytes:
    return zip_file(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<document/>",
        }
    )


def odf(mimetype: str) -> bytes:
    return zip_file({"content.xml": b"<office:document/>"}, stored_first=("mimetype", mimetype.encode()))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program"


def put(signed: dict, data: bytes, **extra_headers) -> tuple[int, bytes]:
    """PUT the bytes to a signed upload URL as a browser would: to S3, or to our own endpoint."""
    headers = {**signed["headers"], **extra_headers}
    url = signed["url"]
    if url.startswith("http://testserver/"):
        parts = urlsplit(url)
        response = Client().generic(
            "PUT",
            f"{parts.path}?{parts.query}",
            data=data,
            content_type=headers.pop("Content-Type", "application/octet-stream"),
            headers=headers,
        )
        return response.status_code, response.content
    request = urllib.request.Request(url, data=data, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fetch(url: str):
    """GET a signed download URL: (status, headers, body)."""
    if url.startswith("http://testserver/"):
        parts = urlsplit(url)
        response = Client().get(f"{parts.path}?{parts.query}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.headers, body
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def request_upload(
    client, document_id, data: bytes, filename="Bütçe.pdf", content_type="application/pdf", **over
):
    body = {"filename": filename, "size": len(data), "content_type": content_type, "sha256": sha256(data)}
    body.update(over)
    return client.post(f"/api/v1/documents/{document_id}/uploads/", body, format="json")


def upload(client, document_id, data: bytes, filename="Bütçe.pdf", content_type="application/pdf"):
    """The whole client flow; returns the complete response."""
    response = request_upload(client, document_id, data, filename, content_type)
    assert response.status_code == 201, response.content
    signed = response.json()
    status, body = put(signed, data)
    assert status == 200, body
    return client.post(f"/api/v1/uploads/{signed['id']}/complete/")


def add_document(client, proposal, kind="budget", title=""):
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/documents/", {"kind": kind, "title": title}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]
