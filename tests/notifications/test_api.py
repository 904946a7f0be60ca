"""The inbox API: own notifications only, unread count, mark read, preferences."""

import pytest

from notifications import kinds
from notifications.models import Notification, NotificationPreference
from tests import factories
from tests.factories import NotificationFactory
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def reader(db):
    return factories.UserFactory(username="reader")


def test_inbox_lists_only_own_notifications_newest_first(api_client, reader):
    proposal = factories.ProposalFactory()
    older = NotificationFactory(recipient=reader, proposal=proposal)
    newer = NotificationFactory(recipient=reader, proposal=proposal)
    NotificationFactory(proposal=proposal)  # someone else's

    body = api_client(reader).get(URL).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["unread_count"] == 2
    assert body["results"][0]["object_type"] == "workflows.proposal"
    assert body["results"][0]["is_read"] is False


def test_inbox_unread_filter_and_count(api_client, reader):
    read = NotificationFactory(recipient=reader)
    unread = NotificationFactory(recipient=reader)
    api_client(reader).post(f"{URL}{read.pk}/read/")

    unread_only = api_client(reader).get(URL, {"unread": "true"}).json()
    read_only = api_client(reader).get(URL, {"unread": "false"}).json()

    assert [row["id"] for row in unread_only["results"]] == [unread.pk]
    assert [row["id"] for row in read_only["results"]] == [read.pk]
    assert unread_only["unread_count"] == 1


def test_inbox_bad_unread_value_is_400(api_client, reader):
    response = api_client(reader).get(URL, {"unread": "maybe"})
    assert response.status_code == 400
    assert "unread" in response.json()["fields"]


def test_mark_read_sets_the_time_once(api_client, reader):
    notification = NotificationFactory(recipient=reader)
    first = api_client(reader).post(f"{URL}{notification.pk}/read/")
    second = api_client(reader).post(f"{URL}{notification.pk}/read/")
    assert first.status_code == second.status_code == 200
    assert first.json()["read_at"] == second.json()["read_at"] is not None


def test_reading_another_persons_notification_is_404(api_client, reader):
    theirs = NotificationFactory()
    response = api_client(reader).post(f"{URL}{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api_client(reader).post(f"{URL}999999/read/").status_code == 404


def test_read_all_marks_only_own(api_client, reader):
    NotificationFactory.create_batch(3, recipient=reader)
    theirs = NotificationFactory()
    response = api_client(reader).post(f"{URL}read-all/")
    assert response.json() == {"marked": 3, "unread_count": 0}
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_gets_401(api_client):
    assert api_client().get(URL).status_code in (401, 403)


@pytest.mark.parametrize("unread", ["", "true"])
def test_inbox_query_count_does_not_grow(api_client, reader, django_assert_num_queries, unread):
    proposal = factories.ProposalFactory()
    measured = assert_same_query_count(
        api_client(reader),
        f"{URL}?unread={unread}",
        lambda n: NotificationFactory.create_batch(n, recipient=reader, proposal=proposal),
        django_assert_num_queries,
    )
    assert measured == 3  # page count, page rows, unread count


# --- preferences -------------------------------------------------------------------------------------
def test_preferences_default_per_kind(api_client, reader):
    body = api_client(reader).get(f"{URL}preferences/").json()
    assert set(body["preferences"]) == set(kinds.KINDS)
    assert body["preferences"][kinds.PROPOSAL_TRANSITIONED] == "email"
    assert body["preferences"][kinds.DOCUMENT_VERSION_CREATED] == "digest"
    assert {c["value"] for c in body["channels"]} == {"in_app", "email", "digest", "off"}


def test_put_preferences_replaces_and_patch_changes_one(api_client, reader):
    client = api_client(reader)
    response = client.put(
        f"{URL}preferences/", {kinds.PROPOSAL_TRANSITIONED: "digest", kinds.MENTION: "off"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["preferences"][kinds.PROPOSAL_TRANSITIONED] == "digest"

    client.patch(f"{URL}preferences/", {kinds.MENTION: "email"}, format="json")
    prefs = client.get(f"{URL}preferences/").json()["preferences"]
    assert prefs[kinds.PROPOSAL_TRANSITIONED] == "digest"
    assert prefs[kinds.MENTION] == "email"
    # a choice equal to the default is not stored
    assert list(NotificationPreference.objects.filter(user=reader).values_list("kind", flat=True)) == [
        kinds.PROPOSAL_TRANSITIONED
    ]

    client.put(f"{URL}preferences/", {}, format="json")
    assert not NotificationPreference.objects.filter(user=reader).exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"no_such_kind": "email"}, "no_such_kind"),
        ({kinds.MENTION: "pigeon"}, kinds.MENTION),
        ({kinds.MENTION: 3}, kinds.MENTION),
        ({kinds.MENTION: None}, kinds.MENTION),
        (["email"], "non_field_errors"),
        ("email", "non_field_errors"),
    ],
)
def test_malformed_preferences_are_400_and_change_nothing(api_client, reader, payload, field):
    client = api_client(reader)
    client.put(f"{URL}preferences/", {kinds.PROPOSAL_TRANSITIONED: "off"}, format="json")
    response = client.put(f"{URL}preferences/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert NotificationPreference.objects.get(user=reader).channel == "off"


def test_broken_json_preferences_is_400(api_client, reader):
    response = api_client(reader).generic(
        "PUT", f"{URL}preferences/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
