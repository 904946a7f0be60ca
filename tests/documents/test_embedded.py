"""Embedded mode: the same API on local disk, our own endpoints standing in for S3's signed URLs."""

import hashlib
import tracemalloc
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from documents.models import DocumentVersion, DownloadLog, PendingUpload
from tests.documents.conftest import add_document, fetch, pdf, put, request_upload, sha256, upload
from workflows.states import State

pytestmark = pytest.mark.django_db


def test_the_full_flow_through_our_own_endpoints(disk_storage, api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal, "work_plan")
    data = pdf("İş planı")
    signed = request_upload(lead, document, data, filename="İş_Planı.pdf").json()
    assert signed["url"].startswith("http://testserver/api/v1/uploads/")
    assert signed["method"] == "PUT"
    assert put(signed, data)[0] == 200
    version = lead.post(f"/api/v1/uploads/{signed['id']}/complete/").json()
    assert (version["number"], version["size"], version["sha256"]) == (1, len(data), sha256(data))
    stored = disk_storage / PendingUpload.objects.get().storage_key
    assert stored.read_bytes() == data

    response = api_client(people["member"]).get(version["download_url"])
    assert response.status_code == 302
    status, headers, body = fetch(response["Location"])
    assert (status, body) == (200, data)
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"Is_Plani.pdf\"; filename*=UTF-8''%C4%B0%C5%9F_Plan%C4%B1.pdf"
    )
    assert DownloadLog.objects.get().user == people["member"]


def test_a_bad_tampered_or_expired_token_is_refused(
    disk_storage, settings, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal)
    data = pdf()
    signed = request_upload(lead, document, data).json()
    other = request_upload(lead, document, data).json()
    token = parse_qs(urlsplit(signed["url"]).query)["token"][0]

    def put_with(pending_id, token_value):
        return Client().generic(
            "PUT",
            f"/api/v1/uploads/{pending_id}/content/?token={token_value}",
            data=data,
            content_type="application/pdf",
        )

    assert put_with(signed["id"], "").status_code == 403
    assert put_with(signed["id"], token[:-2] + "xx").status_code == 403
    assert put_with(other["id"], token).status_code == 403  # bound to one upload
    assert not any(path.is_file() for path in disk_storage.rglob("*"))
    # expired: the token carries its expiry
    PendingUpload.objects.filter(pk=signed["id"]).update(expires_at=timezone.now() - timedelta(minutes=1))
    settings.DOCUMENTS_UPLOAD_URL_TTL = 0
    late = request_upload(lead, document, data).json()
    response = put_with(late["id"], parse_qs(urlsplit(late["url"]).query)["token"][0])
    assert response.status_code == 403
    assert response.json()["code"] == "signature_refused"
    # the signed download URL is checked the same way
    settings.DOCUMENTS_UPLOAD_URL_TTL = 900
    version = upload(lead, document, data).json()
    location = lead.get(version["download_url"])["Location"]
    assert fetch(location.replace("token=", "token=x"))[0] == 403
    assert fetch(location.replace(f"/{version['id']}/", "/999/"))[0] == 403


def test_a_body_larger_than_announced_or_with_another_checksum_is_refused(
    disk_storage, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal)
    data = pdf("announced")
    signed = request_upload(lead, document, data).json()
    status, body = put(signed, data + b"extra bytes")
    assert status == 400, body
    status, body = put(signed, data.replace(b"announced", b"ANNOUNCED"))
    assert status == 400, body
    assert not any(path.is_file() for path in disk_storage.rglob("*"))
    assert lead.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 400
    assert put(signed, data)[0] == 200  # the right bytes still go through
    assert lead.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 201


def test_completing_twice_is_a_conflict_and_keeps_the_file(disk_storage, api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal)
    data = pdf()
    signed = request_upload(lead, document, data).json()
    put(signed, data)
    assert lead.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 201
    again = lead.post(f"/api/v1/uploads/{signed['id']}/complete/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_completed"
    assert DocumentVersion.objects.count() == 1
    assert (disk_storage / DocumentVersion.objects.get().storage_key).exists()
    # and the signed URL is used up
    assert put(signed, data)[0] == 403


class GeneratedBody:
    """A request body made chunk by chunk, as a socket would deliver it: never whole in memory."""

    def __init__(self, chunks: int, chunk_size: int):
        self.chunks, self.chunk_size, self.index, self.buffer = chunks, chunk_size, 0, b""

    @staticmethod
    def chunk(index: int, size: int) -> bytes:
        line = f"{index:08d};Bütçe kalemi;1000.00\n".encode()
        return (line * (size // len(line) + 1))[:size]

    def read(self, size=-1):
        while (size < 0 or len(self.buffer) < size) and self.index < self.chunks:
            self.buffer += self.chunk(self.index, self.chunk_size)
            self.index += 1
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def readline(self, *args):  # part of the WSGI input interface; unused for PUT bodies
        return self.read(*args)


def test_a_big_upload_streams_to_disk_without_being_held_in_memory(
    disk_storage, api_client, people, make_proposal
):
    chunks, chunk_size = 320, 64 * 1024  # 20 MiB
    size = chunks * chunk_size
    digest = hashlib.sha256()
    for index in range(chunks):
        digest.update(GeneratedBody.chunk(index, chunk_size))
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal, "annex")
    signed = lead.post(
        f"/api/v1/documents/{document}/uploads/",
        {"filename": "kalemler.csv", "size": size, "content_type": "text/csv", "sha256": digest.hexdigest()},
        format="json",
    ).json()
    parts = urlsplit(signed["url"])
    environ = {
        "REQUEST_METHOD": "PUT",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "text/csv",
        "CONTENT_LENGTH": str(size),
        "wsgi.input": GeneratedBody(chunks, chunk_size),
        "wsgi.url_scheme": "http",
        "wsgi.errors": None,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    statuses = []
    handler = WSGIHandler()
    tracemalloc.start()
    # As Django's test client does: the test's connection (and its transaction) must stay open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        _current, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        completed = lead.post(f"/api/v1/uploads/{signed['id']}/complete/")
        _current, complete_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses == ["200 OK"]
    assert completed.status_code == 201, completed.content
    assert completed.json()["size"] == size
    # 20 MiB went through; the process held a few chunks at a time
    assert upload_peak < 2 * 1024 * 1024, upload_peak
    assert complete_peak < 2 * 1024 * 1024, complete_peak
