"""Idempotent retries: a request sent again with the same `Idempotency-Key` gets the first answer and
writes nothing again; the record commits with the write it records. Real tokens and sessions, real
PostgreSQL for the races (the same tests run on SQLite where writers are serialised anyway)."""

import socket
import threading
import time
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.conf import settings
from django.db import connection
from django.urls import include, path
from django.utils import timezone
from knox.models import AuthToken
from rest_framework import status
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from documents.models import DocumentVersion
from grants_office.core import idempotency
from grants_office.core.models import IdempotencyRecord
from grants_office.core.tasks import remove_expired_idempotency_records
from grants_office.members.models import Municipality
from tests.concurrency import at_once
from tests.documents.conftest import add_document, pdf, put, sha256
from tests.factories import CallFactory, MunicipalityFactory
from tests.notifications.processes import require_postgres, wait_for
from tests.workflows.conftest import people
from workflows.discussion.models import Comment
from workflows.models import Submission
from workflows.states import State

__all__ = ["people"]


# --- a view that writes and then fails, to see a 5xx roll its write back (urls of this module) --------
# A request with `hold` says it is HELD after writing, then waits for HOLD: "still running".
HELD, HOLD = threading.Event(), threading.Event()


class WriteThenAnswer(APIView):
    """Creates a municipality, then answers 201, or fails like a crashing process with `fail`."""

    def post(self, request):
        MunicipalityFactory(name=request.data["name"])
        if request.data.get("hold"):
            HELD.set()
            HOLD.wait(timeout=30)
        if request.data.get("fail"):
            raise RuntimeError("the process fails after its write")
        return Response({"name": request.data["name"]}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("api/v1/test-writes/", WriteThenAnswer.as_view()),
    path("", include("grants_office.urls")),
]


def token_client(user) -> APIClient:
    """A client that signs in as an API client does: with a knox token in the Authorization header."""
    _instance, token = AuthToken.objects.create(user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def key(value: str) -> dict:
    return {"headers": {"Idempotency-Key": value}}


@pytest.fixture
def submitted(make_proposal):
    call = CallFactory(deadline=timezone.now() + timedelta(days=2))
    return make_proposal(
        state=State.SUBMITTED, call=call, requested_amount=Decimal("100000"), total_budget=Decimal("200000")
    )


SUBMITTED_AT = (timezone.now() - timedelta(minutes=5)).isoformat()


def resubmit(client, proposal, reference="IPA-2", **extra):
    return client.post(
        f"/api/v1/proposals/{proposal.pk}/transitions/resubmit/",
        {"funder_reference": reference, "submitted_at": SUBMITTED_AT},
        format="json",
        **extra,
    )


# --- retries of each kind of write -------------------------------------------------------------------
@pytest.mark.django_db
def test_a_retried_resubmit_with_the_same_key_records_one_submission(people, submitted):
    client = token_client(people["lead"])
    first = resubmit(client, submitted, **key("resubmit-7c1e"))
    again = resubmit(client, submitted, **key("resubmit-7c1e"))
    assert first.status_code == again.status_code == 200, first.content
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert again["Content-Type"] == first["Content-Type"]
    assert Submission.objects.filter(proposal=submitted).count() == 1
    # a new key is a new request
    assert resubmit(client, submitted, reference="IPA-3", **key("resubmit-8d2f")).status_code == 200
    assert Submission.objects.filter(proposal=submitted).count() == 2


@pytest.mark.django_db
def test_a_retried_transition_is_logged_once_and_answers_as_the_first_time(people, make_proposal):
    from django_fsm_log.models import StateLog

    proposal = make_proposal(state=State.IDEA)
    client = token_client(people["office"])
    url = f"/api/v1/proposals/{proposal.pk}/transitions/start_consultation/"
    first = client.post(url, {"comment": "screened"}, format="json", **key("move-1"))
    again = client.post(url, {"comment": "screened"}, format="json", **key("move-1"))
    assert first.status_code == again.status_code == 200
    assert again.json()["state"] == State.CONSULTATION
    assert StateLog.objects.for_(proposal).count() == 1
    # without the key, the same retry is a second attempt: refused, the move is done
    assert client.post(url, {"comment": "screened"}, format="json").status_code == 409


@pytest.mark.django_db
def test_a_retried_comment_is_posted_once(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    client = token_client(people["lead"])
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    first = client.post(url, {"body": "Budget annex attached."}, format="json", **key("c-1"))
    again = client.post(url, {"body": "Budget annex attached."}, format="json", **key("c-1"))
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Comment.objects.filter(proposal=proposal).count() == 1


@pytest.mark.django_db
def test_a_retried_upload_slot_and_completion_create_one_version(people, make_proposal, disk_storage):
    proposal = make_proposal(state=State.DRAFTING)
    client = token_client(people["lead"])
    document = add_document(client, proposal, "budget")
    data = pdf("budget v1")
    slot = {
        "filename": "Bütçe.pdf",
        "size": len(data),
        "content_type": "application/pdf",
        "sha256": sha256(data),
    }
    uploads = f"/api/v1/documents/{document}/uploads/"
    first_slot = client.post(uploads, slot, format="json", **key("slot-1"))
    same_slot = client.post(uploads, slot, format="json", **key("slot-1"))
    assert first_slot.status_code == same_slot.status_code == 201, first_slot.content
    assert same_slot.json()["id"] == first_slot.json()["id"]
    signed = first_slot.json()
    assert put(signed, data)[0] == 200
    url = f"/api/v1/uploads/{signed['id']}/complete/"
    first = client.post(url, **key("complete-1"))
    again = client.post(url, **key("complete-1"))
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DocumentVersion.objects.filter(document_id=document).count() == 1


@pytest.mark.django_db
def test_a_session_signed_in_client_is_covered_too(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people["lead"])
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    for _attempt in range(2):
        assert client.post(url, {"body": "Once."}, format="json", **key("web-1")).status_code == 201
    assert Comment.objects.filter(proposal=proposal).count() == 1


# --- what a key may be and when it is refused ---------------------------------------------------------
@pytest.mark.django_db
def test_the_same_key_with_another_body_or_path_answers_422_and_writes_nothing(people, make_proposal):
    proposal, other = make_proposal(state=State.DRAFTING), make_proposal(state=State.DRAFTING)
    client = token_client(people["lead"])
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    assert client.post(url, {"body": "First."}, format="json", **key("k-1")).status_code == 201
    other_body = client.post(url, {"body": "Second."}, format="json", **key("k-1"))
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    other_path = client.post(
        f"/api/v1/proposals/{other.pk}/comments/", {"body": "First."}, format="json", **key("k-1")
    )
    assert other_path.status_code == 422
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_the_same_json_in_another_key_order_or_spacing_is_the_same_request(people, submitted):
    client = token_client(people["lead"])
    url = f"/api/v1/proposals/{submitted.pk}/transitions/resubmit/"
    at = timezone.now().isoformat()
    first = client.generic(
        "POST", url, f'{{"funder_reference": "R-1", "submitted_at": "{at}"}}', "application/json", **key("j")
    )
    again = client.generic(
        "POST", url, f'{{"submitted_at":"{at}","funder_reference":"R-1"}}', "application/json", **key("j")
    )
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert Submission.objects.filter(proposal=submitted).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "   ", "x" * 256, "anahtar-ş", "tab\there"])
def test_a_key_that_is_not_1_to_255_printable_ascii_characters_is_400(people, make_proposal, value):
    proposal = make_proposal(state=State.DRAFTING)
    client = token_client(people["lead"])
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "x"}, format="json", **key(value)
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "Idempotency-Key" in body["fields"]
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_the_person_who_sent_them(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    lead, member = token_client(people["lead"]), token_client(people["member"])
    assert lead.post(url, {"body": "Same words."}, format="json", **key("shared")).status_code == 201
    second = member.post(url, {"body": "Same words."}, format="json", **key("shared"))
    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert Comment.objects.filter(proposal=proposal).count() == 2


@pytest.mark.django_db
def test_a_revoked_token_replays_nothing(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    instance, token = AuthToken.objects.create(people["lead"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    assert client.post(url, {"body": "x"}, format="json", **key("r")).status_code == 201
    instance.delete()
    assert client.post(url, {"body": "x"}, format="json", **key("r")).status_code == 401


@pytest.mark.django_db
def test_token_login_ignores_the_key_and_keeps_no_token(people):
    user = people["lead"]
    user.set_password("a-long-password-1")
    user.save()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    data = {"username": user.username, "password": "a-long-password-1"}
    first = client.post("/api/v1/auth/token/", data, format="json", **key("login"))
    again = client.post("/api/v1/auth/token/", data, format="json", **key("login"))
    assert first.status_code == again.status_code == 200
    assert first.json()["token"] != again.json()["token"]
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_a_refused_write_is_replayed_as_refused(people, make_proposal):
    proposal = make_proposal(state=State.IDEA)
    client = token_client(people["lead"])  # the team may not start a consultation
    url = f"/api/v1/proposals/{proposal.pk}/transitions/start_consultation/"
    first = client.post(url, {}, format="json", **key("no"))
    again = client.post(url, {}, format="json", **key("no"))
    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_5xx_rolls_back_the_write_and_its_record_so_the_retry_runs_again(people):
    client = token_client(people["office"])
    client.raise_request_exception = False
    failed = client.post("/api/v1/test-writes/", {"name": "Kofçaz", "fail": True}, format="json", **key("f"))
    assert failed.status_code == 500
    assert not Municipality.objects.filter(name="Kofçaz").exists()
    assert not IdempotencyRecord.objects.exists()
    retried = client.post("/api/v1/test-writes/", {"name": "Kofçaz"}, format="json", **key("f"))
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    replayed = client.post("/api/v1/test-writes/", {"name": "Kofçaz"}, format="json", **key("f"))
    assert replayed["Idempotent-Replayed"] == "true"
    assert Municipality.objects.filter(name="Kofçaz").count() == 1


# --- a day, then forgotten ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_records_older_than_a_day_are_removed_hourly_and_their_keys_are_free(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    client = token_client(people["lead"])
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    assert client.post(url, {"body": "Old."}, format="json", **key("old")).status_code == 201
    assert client.post(url, {"body": "New."}, format="json", **key("new")).status_code == 201
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    # past the TTL, a key is free at once, swept or not
    assert client.post(url, {"body": "Old, again."}, format="json", **key("old")).status_code == 201
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert remove_expired_idempotency_records.apply().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    entry = settings.CELERY_BEAT_SCHEDULE["remove-expired-idempotency-records"]
    assert entry["task"] == remove_expired_idempotency_records.name


# --- the schema says so -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_schema_offers_the_key_on_every_unsafe_operation_that_signs_someone_in(api_client, office_user):
    schema = (
        api_client(office_user).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    unsafe = [
        (where, method, operation)
        for where, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert unsafe
    for where, method, operation in unsafe:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        signs_in = any(operation.get("security", []))
        assert ("Idempotency-Key" in names) == signs_in, (where, method)
        if signs_in:
            assert {"409", "422"} <= set(operation["responses"]), (where, method)
    assert "Idempotency-Key" not in {
        p["name"] for p in schema["paths"]["/api/v1/auth/token/"]["post"].get("parameters", [])
    }


# --- at the same time, and with the connection dropped (PostgreSQL) ----------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_with_one_key_write_once(people, submitted):
    require_postgres()
    tokens = [AuthToken.objects.create(people["lead"])[1] for _ in range(2)]

    def send(token):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return resubmit(client, submitted, **key("race-1"))

    answers = at_once(*[partial(send, token) for token in tokens], timeout=30)
    assert sorted(a.status_code for a in answers) == [200, 200]
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert answers[0].json() == answers[1].json()
    assert Submission.objects.filter(proposal=submitted).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(__name__)
def test_a_retry_while_the_first_still_runs_waits_then_answers_409_and_later_the_first_answer(
    people, settings
):
    require_postgres()
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.3
    token = AuthToken.objects.create(people["office"])[1]
    HELD.clear()
    HOLD.clear()
    first = []

    def send_first():
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            first.append(
                client.post("/api/v1/test-writes/", {"name": "Enez", "hold": True}, format="json", **key("h"))
            )
        finally:
            connection.close()

    thread = threading.Thread(target=send_first)
    thread.start()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    try:
        assert HELD.wait(timeout=10)  # the first has claimed the key and runs
        started = time.monotonic()
        busy = client.post("/api/v1/test-writes/", {"name": "Enez", "hold": True}, format="json", **key("h"))
        waited = time.monotonic() - started
    finally:
        HOLD.set()
        thread.join()
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_in_progress"
    assert busy["Retry-After"] == "1"
    assert waited >= 0.3
    assert first[0].status_code == 201
    replay = client.post("/api/v1/test-writes/", {"name": "Enez", "hold": True}, format="json", **key("h"))
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Municipality.objects.filter(name="Enez").count() == 1


def _send_and_drop(host: str, port: int, request: bytes) -> None:
    """Send a request and close the connection at once, as a client whose network went away."""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
    # leave without reading: the client cannot tell whether the write happened


@pytest.fixture
def idle_live_server(live_server):
    """The live server, and after the test a wait until it has finished every request: a dropped
    request's thread may still be relaying its notifications when the database is emptied."""
    yield live_server
    # the live server runs each request in a thread of its own (socketserver's ThreadingMixIn)
    assert wait_for(
        lambda: not any(t.name.endswith("(process_request_thread)") for t in threading.enumerate())
    ), "the live server still serves a request"


@pytest.mark.django_db(transaction=True)
def test_a_client_whose_connection_dropped_retries_and_the_resubmission_is_recorded_once(
    idle_live_server, people, submitted
):
    require_postgres()
    _instance, token = AuthToken.objects.create(people["lead"])
    live_server = idle_live_server
    host, port = live_server.thread.host, live_server.thread.port
    drops = 9
    for attempt in range(drops):
        body = (
            f'{{"funder_reference": "IPA-{attempt}", "submitted_at": "{timezone.now().isoformat()}"}}'
        ).encode()
        raw = (
            f"POST /api/v1/proposals/{submitted.pk}/transitions/resubmit/ HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nAuthorization: Token {token}\r\nContent-Type: application/json\r\n"
            f"Idempotency-Key: drop-{attempt}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        _send_and_drop(host, port, raw)
        # the retry: the same request with the same key, whether or not the first got through
        retry = _retry(live_server.url, submitted.pk, token, body, f"drop-{attempt}")
        assert retry[0] == 200, retry
    # every retry answered 200: the first request's write (or the retry's own) has committed
    assert Submission.objects.filter(proposal=submitted).count() == drops  # one per request, none doubled
    assert IdempotencyRecord.objects.count() == drops


def _retry(base_url: str, pk: int, token: str, body: bytes, idempotency_key: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"{base_url}/api/v1/proposals/{pk}/transitions/resubmit/",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get(idempotency.REPLAYED, "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
