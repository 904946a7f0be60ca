"""Documents against a real S3 server (SeaweedFS): presigned PUTs, verification, downloads, cleanup."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command
from django.utils import timezone

from documents.models import DocumentVersion, DownloadLog, PendingUpload
from tests.documents.conftest import (
    EXECUTABLE,
    XLSX,
    add_document,
    fetch,
    pdf,
    put,
    request_upload,
    sha256,
    upload,
    xlsx,
)
from tests.factories import CallFactory
from workflows.states import State

pytestmark = pytest.mark.django_db


def stored(s3, key) -> bool:
    try:
        s3.client().head_object(Bucket=s3.bucket, Key=key)
    except ClientError as error:
        assert error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound")
        return False
    return True


def test_three_uploads_become_versions_1_2_3_with_size_and_sha256(
    s3_storage, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["member"])
    document = add_document(client, proposal, "budget")
    files = [pdf(f"taslak {n}") * n for n in (1, 2, 3)]
    for number, data in enumerate(files, start=1):
        response = upload(client, document, data, filename=f"Bütçe v{number}.pdf")
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["number"], body["size"], body["sha256"]) == (number, len(data), sha256(data))
        assert body["original_filename"] == f"Bütçe v{number}.pdf"
    listing = client.get(f"/api/v1/proposals/{proposal.pk}/documents/").json()
    [budget] = listing["documents"]
    assert [v["number"] for v in budget["versions"]] == [3, 2, 1]
    assert budget["latest_version"] == 3
    # nothing earlier is lost: every version is still stored
    for version in DocumentVersion.objects.all():
        assert stored(s3_storage, version.storage_key)


def test_the_signed_upload_is_a_put_bound_to_size_and_checksum(s3_storage, api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    document = add_document(client, proposal)
    data = pdf()
    signed = request_upload(client, document, data).json()
    assert signed["method"] == "PUT"
    assert signed["url"].startswith(s3_storage.endpoint_url)
    assert "x-amz-checksum-sha256" in signed["url"] and "content-length" in signed["url"]
    assert set(signed["headers"]) == {"Content-Type", "x-amz-checksum-sha256"}
    expires = timezone.datetime.fromisoformat(signed["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < expires - timezone.now() <= timedelta(minutes=15)


def test_s3_refuses_a_body_that_differs_from_the_signed_checksum(
    s3_storage, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    document = add_document(client, proposal)
    data = pdf("original")
    signed = request_upload(client, document, data).json()
    tampered = data.replace(b"original", b"origina1")
    status, body = put(signed, tampered)
    assert status in (400, 403), body
    # a body of another length does not match the signed content length either
    status, body = put(signed, data + b"x")
    assert status in (400, 403), body
    key = PendingUpload.objects.get(pk=signed["id"]).storage_key
    assert not stored(s3_storage, key)
    response = client.post(f"/api/v1/uploads/{signed['id']}/complete/")
    assert response.status_code == 400
    assert "file" in response.json()["fields"]
    assert not DocumentVersion.objects.exists()


def test_the_server_keeps_the_signed_checksum_so_complete_reads_only_the_ends(
    s3_storage, api_client, people, make_proposal
):
    from documents.storage import object_store

    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    document = add_document(client, proposal)
    data = pdf("x" * 400_000)  # longer than the head and tail the sniffer reads
    signed = request_upload(client, document, data).json()
    assert put(signed, data)[0] == 200
    key = PendingUpload.objects.get(pk=signed["id"]).storage_key
    store = object_store()
    # what makes the fast path of complete_upload apply: no full read of the object
    assert store.stored_sha256(key) == sha256(data)
    assert store.read_range(key, 0, 4) == b"%PDF-"
    assert client.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 201
    # an object another writer put without a checksum falls back to reading it whole
    s3_storage.client().put_object(Bucket=s3_storage.bucket, Key="loose", Body=b"loose")
    assert store.stored_sha256("loose") in (None, sha256(b"loose"))


def test_an_expired_upload_url_is_refused_by_the_server(
    s3_storage, settings, api_client, people, make_proposal
):
    settings.DOCUMENTS_UPLOAD_URL_TTL = 1
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    document = add_document(client, proposal)
    data = pdf()
    signed = request_upload(client, document, data).json()
    time.sleep(2.2)
    status, body = put(signed, data)
    assert status == 403, body
    assert b"expired" in body.lower()


@pytest.mark.parametrize("problem", ["size", "sha256", "content_type"])
def test_a_stored_object_that_does_not_match_is_refused_and_deleted(
    s3_storage, api_client, people, make_proposal, problem
):
    """Storage that did not enforce the signature (or another writer) cannot sneak a file in."""
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    document = add_document(client, proposal)
    announced = pdf("announced")
    if problem == "content_type":
        announced = EXECUTABLE  # a renamed executable posing as a PDF; S3 accepts the bytes as signed
        signed = request_upload(client, document, announced).json()
        assert put(signed, announced)[0] == 200
    else:
        signed = request_upload(client, document, announced).json()
        actual = announced + b"more" if problem == "size" else announced.replace(b"announced", b"ANNOUNCED")
        key = PendingUpload.objects.get(pk=signed["id"]).storage_key
        s3_storage.client().put_object(Bucket=s3_storage.bucket, Key=key, Body=actual)
    key = PendingUpload.objects.get(pk=signed["id"]).storage_key
    assert stored(s3_storage, key)
    response = client.post(f"/api/v1/uploads/{signed['id']}/complete/")
    assert response.status_code == 400, response.content
    assert problem in response.json()["fields"]
    assert not stored(s3_storage, key)
    assert not DocumentVersion.objects.exists()
    assert PendingUpload.objects.get(pk=signed["id"]).status == PendingUpload.Status.REJECTED


def test_download_redirects_to_a_signed_url_with_the_turkish_filename(
    s3_storage, api_client, people, make_proposal
):
    proposal = make_proposal(state=State.DRAFTING)
    member = api_client(people["member"])
    document = add_document(member, proposal)
    data = xlsx()
    version = upload(member, document, data, filename="Bütçe_Şablonu_İğdır.xlsx", content_type=XLSX).json()
    partner = api_client(people["partner"])  # partner teams read the documents of their proposals
    response = partner.get(version["download_url"])
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage.endpoint_url) and "X-Amz-Expires=300" in location
    status, headers, body = fetch(location)
    assert status == 200
    assert body == data
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"Butce_Sablonu_Igdir.xlsx\"; filename*=UTF-8''"
        "B%C3%BCt%C3%A7e_%C5%9Eablonu_%C4%B0%C4%9Fd%C4%B1r.xlsx"
    )
    log = DownloadLog.objects.get()
    assert (log.version_id, log.user) == (version["id"], people["partner"])


def test_a_user_of_another_municipality_gets_404_everywhere(s3_storage, api_client, people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal)
    data = pdf()
    version = upload(lead, document, data).json()
    signed = request_upload(lead, document, data).json()
    stranger = api_client(people["other_team"])
    assert stranger.get(f"/api/v1/proposals/{proposal.pk}/documents/").status_code == 404
    assert stranger.post(f"/api/v1/proposals/{proposal.pk}/documents/", {"kind": "annex"}).status_code == 404
    assert stranger.get(f"/api/v1/documents/{document}/").status_code == 404
    assert request_upload(stranger, document, data).status_code == 404
    assert stranger.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 404
    assert stranger.get(version["download_url"]).status_code == 404
    assert not DownloadLog.objects.exists()


def test_after_the_deadline_uploads_are_409_except_the_funders_receipt(
    s3_storage, api_client, people, make_proposal
):
    past = CallFactory(deadline=timezone.now() - timedelta(hours=1))
    proposal = make_proposal(state=State.SUBMITTED, call=past)
    lead = api_client(people["lead"])
    blocked = lead.post(f"/api/v1/proposals/{proposal.pk}/documents/", {"kind": "budget"}, format="json")
    assert blocked.status_code == 409
    assert [r["code"] for r in blocked.json()["reasons"]] == ["documents_locked"]
    receipt = add_document(lead, proposal, "funder_receipt")
    response = upload(lead, receipt, pdf("receipt"), filename="Alındı.pdf")
    assert response.status_code == 201
    assert response.json()["number"] == 1


def test_abandoned_uploads_are_removed_with_their_objects(s3_storage, api_client, people, make_proposal):
    from documents.tasks import remove_abandoned_uploads

    proposal = make_proposal(state=State.DRAFTING)
    lead = api_client(people["lead"])
    document = add_document(lead, proposal)
    data = pdf()
    abandoned = request_upload(lead, document, data).json()
    assert put(abandoned, data)[0] == 200
    fresh = request_upload(lead, document, data).json()
    old = PendingUpload.objects.get(pk=abandoned["id"])
    PendingUpload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=2))
    assert stored(s3_storage, old.storage_key)
    assert remove_abandoned_uploads.delay().get() == 1
    assert not stored(s3_storage, old.storage_key)
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [
        PendingUpload.objects.get(pk=fresh["id"]).pk
    ]
    out = StringIO()
    call_command("remove_abandoned_uploads", stdout=out)
    assert out.getvalue().startswith("0")
