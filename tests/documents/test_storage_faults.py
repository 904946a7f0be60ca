"""Storage that cleans up exactly and fails as 503 (issue 12, scope 6), against real servers.

SeaweedFS (`weed mini`, the session fixture) keeps every version on a versioned bucket, so a plain
DELETE leaves the bytes behind a delete marker: the tests list the versions of a key to prove none is
left. Outages are real too: a closed port, a server whose process is killed, a socket that never
answers, an HTTP server that answers 500, and a disk path that cannot be written.
"""

import http.server
import socket
import threading
import time
import uuid
from datetime import timedelta
from functools import partial
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpResponseRedirect
from django.urls import include, path
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentVersion, DownloadLog, PendingUpload
from tests.concurrency import at_once
from tests.documents.conftest import EXECUTABLE, add_document, fetch, pdf, put, request_upload, sha256, upload
from tests.notifications.processes import require_postgres
from tests.ports import free_port
from tests.s3_server import start_seaweedfs, stop_seaweedfs
from workflows.states import State

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


# --- helpers ------------------------------------------------------------------------------------------


def versions_of(client, bucket, key) -> list[tuple[str, str]]:
    """Every version and delete marker of exactly `key`: [(kind, version id)], all pages."""
    found = []
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        found += [("version", v["VersionId"]) for v in page.get("Versions", ()) if v["Key"] == key]
        found += [("marker", m["VersionId"]) for m in page.get("DeleteMarkers", ()) if m["Key"] == key]
    return found


def everything_under(client, bucket, prefix) -> dict[str, list[str]]:
    """Key -> version ids of everything stored under a prefix (delete markers included)."""
    stored: dict[str, list[str]] = {}
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for entry in (*page.get("Versions", ()), *page.get("DeleteMarkers", ())):
            stored.setdefault(entry["Key"], []).append(entry["VersionId"])
    return stored


def point_storage_at(settings, endpoint_url: str, **options) -> None:
    """The default storage, as configured for S3, but talking to another endpoint (or bucket)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": endpoint_url, **options},
        },
    }


def assert_storage_unavailable(response):
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "storage_unavailable"
    assert "storage" in body["detail"]


@pytest.fixture
def lead_document(api_client, people, make_proposal):
    """A drafting proposal's document, added through the API by its lead: (the lead's client, its id)."""
    proposal = make_proposal(state=State.DRAFTING)
    client = api_client(people["lead"])
    return client, add_document(client, proposal)


@pytest.fixture
def refusing_endpoint():
    """A loopback endpoint nothing listens on: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def silent_endpoint():
    """A socket that takes connections (the kernel's backlog) and never answers: read timeouts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture
def failing_endpoint():
    """An HTTP server that answers every request with 500 InternalError, as a broken S3 gateway does."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _fail(self):
            requests.append(f"{self.command} {self.path}")
            body = b"<Error><Code>InternalError</Code><Message>We had an internal error.</Message></Error>"
            self.send_response(500)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _fail

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


# --- refused and abandoned uploads leave no version behind -----------------------------------------


def test_the_test_bucket_is_versioned_so_a_plain_delete_keeps_the_bytes(s3_storage):
    """What the cleanup has to beat: DELETE without a VersionId only adds a delete marker."""
    client, key = s3_storage.client(), f"probe/{uuid.uuid4().hex}"
    assert client.get_bucket_versioning(Bucket=s3_storage.bucket)["Status"] == "Enabled"
    client.put_object(Bucket=s3_storage.bucket, Key=key, Body=b"bytes")
    client.delete_object(Bucket=s3_storage.bucket, Key=key)
    assert sorted(kind for kind, _id in versions_of(client, s3_storage.bucket, key)) == ["marker", "version"]


@pytest.mark.parametrize("problem", ["content_type", "size", "sha256"])
def test_a_refused_upload_deletes_every_version_it_created(s3_storage, problem, lead_document):
    client, document = lead_document
    s3, bucket = s3_storage.client(), s3_storage.bucket
    if problem == "content_type":
        announced = EXECUTABLE  # a renamed executable; the server accepts the signed bytes
        signed = request_upload(client, document, announced).json()
        assert put(signed, announced)[0] == 200
        assert put(signed, announced)[0] == 200  # the signed URL used twice: two versions of the key
    else:
        announced = pdf("announced")
        signed = request_upload(client, document, announced).json()
        assert put(signed, announced)[0] == 200
        key = PendingUpload.objects.get(pk=signed["id"]).storage_key
        wrong = announced + b"more" if problem == "size" else announced.replace(b"announced", b"ANNOUNCED")
        s3.put_object(Bucket=bucket, Key=key, Body=wrong)  # another writer, over the signed upload
    key = PendingUpload.objects.get(pk=signed["id"]).storage_key
    # a key that merely starts with the upload's key is someone else's and stays
    s3.put_object(Bucket=bucket, Key=key + "-neighbour", Body=b"not this upload's")
    before = versions_of(s3, bucket, key)
    assert [kind for kind, _id in before] == ["version", "version"]

    response = client.post(f"/api/v1/uploads/{signed['id']}/complete/")

    assert response.status_code == 400, response.content
    assert problem in response.json()["fields"]
    assert versions_of(s3, bucket, key) == []  # no version, no delete marker: no bytes left
    assert len(versions_of(s3, bucket, key + "-neighbour")) == 1
    assert PendingUpload.objects.get(pk=signed["id"]).status == PendingUpload.Status.REJECTED
    assert not DocumentVersion.objects.exists()


def test_an_abandoned_upload_is_swept_with_every_version_and_accepted_versions_are_untouched(
    s3_storage, lead_document
):
    from documents.tasks import remove_abandoned_uploads

    client, document = lead_document
    s3, bucket = s3_storage.client(), s3_storage.bucket
    document_prefix = f"documents/{Document.objects.get(pk=document).set_id}/{document}/"
    earlier_tests = set(everything_under(s3, bucket, document_prefix))  # the bucket outlives each test
    accepted = upload(client, document, pdf("accepted")).json()
    accepted_key = DocumentVersion.objects.get(pk=accepted["id"]).storage_key
    accepted_versions = versions_of(s3, bucket, accepted_key)
    # its upload row is old too: a completed upload is never swept, however old
    PendingUpload.objects.filter(version_id=accepted["id"]).update(
        expires_at=timezone.now() - timedelta(days=9)
    )

    data = pdf("abandoned")
    abandoned = request_upload(client, document, data).json()
    assert put(abandoned, data)[0] == 200
    assert put(abandoned, data)[0] == 200
    abandoned_key = PendingUpload.objects.get(pk=abandoned["id"]).storage_key
    s3.delete_object(Bucket=bucket, Key=abandoned_key)  # a marker on top: the bytes are still there
    fresh = request_upload(client, document, data).json()
    assert put(fresh, data)[0] == 200
    fresh_key = PendingUpload.objects.get(pk=fresh["id"]).storage_key
    PendingUpload.objects.filter(pk=abandoned["id"]).update(expires_at=timezone.now() - timedelta(hours=2))
    assert sorted(kind for kind, _id in versions_of(s3, bucket, abandoned_key)) == [
        "marker",
        "version",
        "version",
    ]

    assert remove_abandoned_uploads.delay().get() == 1

    assert versions_of(s3, bucket, abandoned_key) == []
    assert not PendingUpload.objects.filter(pk=abandoned["id"]).exists()
    # the accepted version: the same single version, untouched; the fresh upload too
    assert versions_of(s3, bucket, accepted_key) == accepted_versions
    assert len(versions_of(s3, bucket, fresh_key)) == 1
    status, _headers, body = fetch(client.get(accepted["download_url"])["Location"])
    assert (status, body) == (200, pdf("accepted"))
    assert set(everything_under(s3, bucket, document_prefix)) - earlier_tests == {accepted_key, fresh_key}


def test_a_refused_upload_on_disk_leaves_no_file(disk_storage, lead_document):
    client, document = lead_document
    signed = request_upload(client, document, EXECUTABLE).json()
    assert put(signed, EXECUTABLE)[0] == 200
    assert [p.name for p in disk_storage.rglob("*") if p.is_file()] == [signed["id"].replace("-", "")]
    assert client.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 400
    assert not [p for p in disk_storage.rglob("*") if p.is_file()]


def test_check_storage_leaves_no_version_of_its_probe_object(s3_storage):
    out = StringIO()
    call_command("check_storage", stdout=out)
    assert "none left" in out.getvalue()
    assert everything_under(s3_storage.client(), s3_storage.bucket, "documents/_check/") == {}


# --- Object Lock ------------------------------------------------------------------------------------


@pytest.fixture
def locked_bucket(s3_storage, settings):
    """A bucket with S3 Object Lock (and so versioning), without a default retention."""
    s3, bucket = s3_storage.client(), f"locked-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    point_storage_at(settings, s3_storage.endpoint_url, bucket_name=bucket)
    settings.S3_OBJECT_LOCK_RETENTION_DAYS = 3
    yield bucket
    for key, version_ids in everything_under(s3, bucket, "").items():  # the admin may bypass GOVERNANCE
        for version_id in version_ids:
            s3.delete_object(Bucket=bucket, Key=key, VersionId=version_id, BypassGovernanceRetention=True)


def test_an_accepted_version_gets_a_governance_retention_and_a_refused_one_is_still_deleted(
    s3_storage, locked_bucket, lead_document
):
    from botocore.exceptions import ClientError

    client, document = lead_document
    s3 = s3_storage.client()
    accepted = upload(client, document, pdf("kept")).json()
    key = DocumentVersion.objects.get(pk=accepted["id"]).storage_key
    [(_kind, version_id)] = versions_of(s3, locked_bucket, key)
    retention = s3.get_object_retention(Bucket=locked_bucket, Key=key, VersionId=version_id)["Retention"]
    assert retention["Mode"] == "GOVERNANCE"
    assert timedelta(days=2, hours=23) < retention["RetainUntilDate"] - timezone.now() <= timedelta(days=3)
    with pytest.raises(ClientError, match="AccessDenied"):
        s3.delete_object(Bucket=locked_bucket, Key=key, VersionId=version_id)

    # a refused upload never got a retention, so all of it is deleted
    signed = request_upload(client, document, EXECUTABLE).json()
    assert put(signed, EXECUTABLE)[0] == 200
    refused_key = PendingUpload.objects.get(pk=signed["id"]).storage_key
    assert client.post(f"/api/v1/uploads/{signed['id']}/complete/").status_code == 400
    assert versions_of(s3, locked_bucket, refused_key) == []
    assert versions_of(s3, locked_bucket, key) == [("version", version_id)]

    out = StringIO()
    call_command("check_storage", stdout=out)
    assert "object lock" in out.getvalue() and "3 days GOVERNANCE" in out.getvalue()


# --- outages answer 503 with Retry-After and write nothing -------------------------------------------


def test_with_s3_refusing_connections_every_step_is_503_and_nothing_is_written(
    s3_storage, settings, refusing_endpoint, lead_document
):
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    data = pdf("pending")
    signed = request_upload(client, document, data).json()
    assert put(signed, data)[0] == 200
    uploads_before = PendingUpload.objects.count()

    point_storage_at(settings, refusing_endpoint)
    started = time.monotonic()
    assert_storage_unavailable(request_upload(client, document, pdf("new")))
    assert_storage_unavailable(client.get(version["download_url"]))
    assert_storage_unavailable(client.post(f"/api/v1/uploads/{signed['id']}/complete/"))
    elapsed = time.monotonic() - started

    assert elapsed < 10, elapsed  # three requests, two attempts each, no minutes-long hang
    assert PendingUpload.objects.count() == uploads_before  # no slot for the refused request
    assert PendingUpload.objects.get(pk=signed["id"]).status == PendingUpload.Status.PENDING
    assert DocumentVersion.objects.count() == 1
    assert not DownloadLog.objects.exists()


def test_a_killed_s3_server_answers_503_and_its_uploads_wait_for_it(
    s3_storage, settings, tmp_path, lead_document
):
    """A second SeaweedFS is started, used, and its process killed: the service must not 500."""
    server, process = start_seaweedfs(tmp_path / "second")
    try:
        point_storage_at(
            settings,
            server.endpoint_url,
            bucket_name=server.bucket,
            access_key=server.access_key,
            secret_key=server.secret_key,
        )
        client, document = lead_document
        version = upload(client, document, pdf("stored")).json()
        assert client.get(version["download_url"]).status_code == 302
        assert DownloadLog.objects.count() == 1
        data = pdf("abandoned")
        abandoned = request_upload(client, document, data).json()
        assert put(abandoned, data)[0] == 200
        PendingUpload.objects.filter(pk=abandoned["id"]).update(
            expires_at=timezone.now() - timedelta(hours=2)
        )
    finally:
        stop_seaweedfs(process)
    assert process.poll() is not None

    assert_storage_unavailable(client.get(version["download_url"]))
    assert_storage_unavailable(client.post(f"/api/v1/uploads/{abandoned['id']}/complete/"))
    assert_storage_unavailable(request_upload(client, document, pdf("new")))
    assert services.remove_abandoned_uploads() == 0  # the sweep waits for storage: the row stays

    assert DownloadLog.objects.count() == 1  # only the download whose URL was issued
    assert DocumentVersion.objects.count() == 1
    assert PendingUpload.objects.get(pk=abandoned["id"]).status == PendingUpload.Status.PENDING


def test_the_sweep_removes_what_it_could_not_once_storage_is_back(
    s3_storage, settings, refusing_endpoint, lead_document
):
    client, document = lead_document
    data = pdf("abandoned")
    abandoned = request_upload(client, document, data).json()
    assert put(abandoned, data)[0] == 200
    key = PendingUpload.objects.get(pk=abandoned["id"]).storage_key
    PendingUpload.objects.filter(pk=abandoned["id"]).update(expires_at=timezone.now() - timedelta(hours=2))
    real_endpoint = s3_storage.endpoint_url

    point_storage_at(settings, refusing_endpoint)
    assert services.remove_abandoned_uploads() == 0
    assert PendingUpload.objects.filter(pk=abandoned["id"]).exists()
    assert len(versions_of(s3_storage.client(), s3_storage.bucket, key)) == 1

    point_storage_at(settings, real_endpoint)
    assert services.remove_abandoned_uploads() == 1
    assert versions_of(s3_storage.client(), s3_storage.bucket, key) == []
    assert not PendingUpload.objects.exists()


def test_s3_that_never_answers_times_out_within_seconds(s3_storage, settings, silent_endpoint, lead_document):
    settings.S3_CONNECT_TIMEOUT = settings.S3_READ_TIMEOUT = 0.5
    client, document = lead_document
    point_storage_at(settings, silent_endpoint)
    started = time.monotonic()
    assert_storage_unavailable(request_upload(client, document, pdf()))
    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 4, elapsed  # two attempts of 0.5 s each, and a short backoff
    assert not PendingUpload.objects.exists()


def test_s3_answering_500_is_503_after_two_attempts(s3_storage, settings, failing_endpoint, lead_document):
    endpoint, requests = failing_endpoint
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    point_storage_at(settings, endpoint)
    assert_storage_unavailable(request_upload(client, document, pdf("new")))
    assert len(requests) == 2 and all(r.startswith("HEAD ") for r in requests)
    assert_storage_unavailable(client.get(version["download_url"]))
    assert len(requests) == 4
    assert not DownloadLog.objects.exists()
    assert PendingUpload.objects.count() == 1


def test_a_download_of_a_version_whose_object_is_gone_logs_nothing(s3_storage, lead_document):
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    key = DocumentVersion.objects.get(pk=version["id"]).storage_key
    s3 = s3_storage.client()
    for _kind, version_id in versions_of(s3, s3_storage.bucket, key):  # lost behind the service's back
        s3.delete_object(Bucket=s3_storage.bucket, Key=key, VersionId=version_id)
    assert_storage_unavailable(client.get(version["download_url"]))
    assert not DownloadLog.objects.exists()


# --- the local disk ---------------------------------------------------------------------------------


@pytest.fixture
def broken_disk(settings, tmp_path):
    """Point the files at a path below a regular file: every write and read fails with an OSError (as
    root too, where permissions would not stop us)."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")

    def breaks():
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(blocker / "media")},
            },
        }

    return breaks


def test_a_disk_that_cannot_be_written_is_503_and_keeps_nothing(disk_storage, broken_disk, lead_document):
    client, document = lead_document
    version = upload(client, document, pdf("stored")).json()
    data = pdf("arriving")
    signed = request_upload(client, document, data).json()
    uploads_before = PendingUpload.objects.count()
    files_before = sorted(p for p in disk_storage.rglob("*") if p.is_file())

    broken_disk()
    assert_storage_unavailable(request_upload(client, document, pdf("new")))
    status, body = put(signed, data)
    assert status == 503, body
    assert_storage_unavailable(client.get(version["download_url"]))
    assert_storage_unavailable(client.post(f"/api/v1/uploads/{signed['id']}/complete/"))

    assert PendingUpload.objects.count() == uploads_before
    assert sorted(p for p in disk_storage.rglob("*") if p.is_file()) == files_before
    assert not DownloadLog.objects.exists()
    assert DocumentVersion.objects.count() == 1


def test_a_signed_download_of_a_missing_file_is_503_not_500(disk_storage, lead_document):
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    location = client.get(version["download_url"])["Location"]
    for stored_file in (p for p in disk_storage.rglob("*") if p.is_file()):
        stored_file.unlink()
    status, headers, _body = fetch(location)
    assert status == 503 and headers["Retry-After"] == "30"


# --- web pages --------------------------------------------------------------------------------------


def test_a_person_clicking_a_file_while_storage_is_down_gets_the_503_page(
    client_for, people, disk_storage, broken_disk, lead_document
):
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    browser = client_for(people["member"], HTTP_ACCEPT_LANGUAGE="en")
    broken_disk()
    page = browser.get(version["download_url"], HTTP_ACCEPT=BROWSER_ACCEPT, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert page["Content-Type"].startswith("text/html")
    assert "Documents are unavailable right now" in page.content.decode()
    assert not DownloadLog.objects.exists()
    # a script on the same session asking for JSON gets the API's error body
    assert_storage_unavailable(browser.get(version["download_url"], HTTP_ACCEPT="application/json"))


def _page_that_signs_a_download(request, pk):
    """A plain Django view (no DRF) that reaches storage, as future pages may."""
    return HttpResponseRedirect(services.download_url(DocumentVersion.objects.get(pk=pk), request.user))


urlpatterns = [
    path("storage-fault-page/<int:pk>/", _page_that_signs_a_download),
    path("", include("grants_office.urls")),
]


@pytest.mark.urls(__name__)
def test_a_web_page_failing_on_storage_answers_the_503_page_through_the_middleware(
    client_for, people, disk_storage, broken_disk, lead_document
):
    client, document = lead_document
    version = upload(client, document, pdf()).json()
    browser = client_for(people["lead"], HTTP_ACCEPT_LANGUAGE="en")
    assert browser.get(f"/storage-fault-page/{version['id']}/").status_code == 302
    broken_disk()
    page = browser.get(f"/storage-fault-page/{version['id']}/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "Documents are unavailable right now" in page.content.decode()
    htmx = browser.get(f"/storage-fault-page/{version['id']}/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 503 and b"Documents are unavailable" in htmx.content
    assert DownloadLog.objects.count() == 1  # the one download that was issued before the outage


# --- the sweep racing completions (PostgreSQL row locks) ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_sweep_racing_completions_never_deletes_the_bytes_of_a_version(s3_storage, people, make_proposal):
    from documents.services import complete_upload, create_document
    from documents.services import request_upload as sign_upload
    from grants_office.core.errors import NotFound
    from workflows.document_policy import document_set_for

    require_postgres()  # row locks: SQLite serialises writers
    proposal = make_proposal(state=State.DRAFTING)
    document = create_document(document_set_for(proposal), people["lead"], kind="budget")
    rows = []
    for n in range(6):
        data = pdf(f"race {n}")
        row, signed = sign_upload(
            document, people["lead"], f"b{n}.pdf", len(data), "application/pdf", sha256(data)
        )
        assert put(signed, data)[0] == 200
        rows.append(row)
    # every one of them past the grace: the sweep may take any, a complete may still win it
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(hours=2))
    outcomes, errors = {}, []

    def complete(row):
        try:
            outcomes[row.pk] = complete_upload(row, people["lead"]).pk
        except NotFound:
            outcomes[row.pk] = "swept"
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    def sweep():
        try:
            outcomes["swept"] = services.remove_abandoned_uploads()
        except Exception as error:
            errors.append(error)

    at_once(*[partial(complete, row) for row in rows], sweep)

    assert errors == []
    s3, bucket = s3_storage.client(), s3_storage.bucket
    versions = list(DocumentVersion.objects.all())
    swept = [row for row in rows if outcomes[row.pk] == "swept"]
    assert len(versions) + len(swept) == len(rows) and outcomes["swept"] == len(swept)
    for version in versions:  # every accepted version keeps its bytes
        assert len(versions_of(s3, bucket, version.storage_key)) == 1
    for row in swept:  # every swept upload left none
        assert versions_of(s3, bucket, row.storage_key) == []
