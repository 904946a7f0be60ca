"""The inbox page, the unread badge on every page and the notification preferences page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import kinds, selectors
from notifications.models import Notification, NotificationPreference
from tests.factories import NotificationFactory, PreferenceFactory
from tests.querycount import measure, page_queries
from tests.web.conftest import HTMX

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def proposal(make_proposal):
    return make_proposal()


def notify(user, proposal, n=1, **kwargs):
    now = timezone.now()
    return [
        NotificationFactory(
            recipient=user, proposal=proposal, created_at=now - timedelta(minutes=n - i), **kwargs
        )
        for i in range(n)
    ]


# --- the inbox ---------------------------------------------------------------------------------------


def test_the_inbox_lists_own_notifications_newest_first_with_unread_marked(client_for, people, proposal):
    older, newer = notify(people["lead"], proposal, 2, title="Title")
    Notification.objects.filter(pk=older.pk).update(title="Older one", read_at=timezone.now())
    Notification.objects.filter(pk=newer.pk).update(title="Newer one")
    NotificationFactory(recipient=people["member"], proposal=proposal, title="Someone else's")

    body = text(client_for(people["lead"]).get("/inbox/"))

    assert body.index("Newer one") < body.index("Older one")
    assert "Someone else&#x27;s" not in body and "Someone else's" not in body
    assert f'data-notification="{newer.pk}" data-kind' in body
    assert body.count("notification--unread") == 1
    assert "Notification preferences" in body


def test_the_inbox_pages_without_counting_the_whole_table(client_for, people, proposal):
    notify(people["lead"], proposal, 26)
    client = client_for(people["lead"])

    first = text(client.get("/inbox/"))
    second = text(client.get("/inbox/?page=2"))

    assert first.count('class="notification ') == 25
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert second.count('class="notification ') == 1
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/inbox/?page=abc").status_code == 200


def test_the_unread_tab_shows_only_unread(client_for, people, proposal):
    read, unread = notify(people["lead"], proposal, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now(), title="Already read")
    Notification.objects.filter(pk=unread.pk).update(title="Still unread")
    body = text(client_for(people["lead"]).get("/inbox/?unread=1"))
    assert "Still unread" in body and "Already read" not in body


def test_following_a_notification_marks_it_read_and_goes_to_its_link(client_for, people, proposal):
    (notification,) = notify(people["lead"], proposal)

    response = client_for(people["lead"]).get(f"/inbox/{notification.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    notification.refresh_from_db()
    assert notification.is_read


def test_a_link_to_another_site_is_not_followed(client_for, people, proposal):
    (notification,) = notify(people["lead"], proposal, link="https://evil.example/phish")
    response = client_for(people["lead"]).get(f"/inbox/{notification.pk}/open/")
    assert response["Location"] == "/inbox/"


def test_another_persons_notification_is_404_and_stays_unread(client_for, people, proposal):
    (notification,) = notify(people["member"], proposal)
    client = client_for(people["lead"])

    assert client.get(f"/inbox/{notification.pk}/open/").status_code == 404
    assert client.post(f"/inbox/{notification.pk}/read/", **HTMX).status_code == 404
    assert client.post(f"/inbox/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_marking_one_read_with_htmx_updates_the_list_and_the_badge(client_for, people, proposal):
    _first, second = notify(people["lead"], proposal, 2)

    response = client_for(people["lead"]).post(f"/inbox/{second.pk}/read/", **HTMX)

    assert response.status_code == 200
    body = text(response)
    assert "<html" not in body
    assert 'id="inbox-nav" class="inbox-nav" hx-swap-oob="true"' in body
    assert "(1 unread notification)" in body
    assert "The notification is marked read." in body
    assert body.count("notification--unread") == 1
    second.refresh_from_db()
    assert second.is_read


def test_mark_all_read(client_for, people, proposal):
    notify(people["lead"], proposal, 3)
    (others,) = notify(people["member"], proposal)

    response = client_for(people["lead"]).post("/inbox/read-all/")

    assert response.status_code == 302
    assert selectors.unread_count(people["lead"]) == 0
    others.refresh_from_db()
    assert not others.is_read


def test_the_inbox_needs_signing_in(client_for):
    assert client_for(None).get("/inbox/").status_code == 302
    assert client_for(None).get("/inbox/preferences/").status_code == 302


# --- the badge ---------------------------------------------------------------------------------------


def test_the_badge_counts_unread_with_an_accessible_label(client_for, people, proposal):
    notify(people["lead"], proposal, 3)
    body = text(client_for(people["lead"]).get("/calls/"))
    assert '<span class="inbox-badge" id="inbox-badge" aria-hidden="true">3</span>' in body
    assert "(3 unread notifications)" in body


def test_the_badge_is_capped(client_for, people, proposal):
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            NotificationFactory.build(recipient=people["lead"], proposal=proposal, created_at=now)
            for _ in range(101)
        ]
    )
    body = text(client_for(people["lead"]).get("/calls/"))
    assert 'aria-hidden="true">99+</span>' in body
    assert "(More than 99 unread notifications)" in body


def test_no_badge_without_unread_and_none_for_anonymous(client_for, people, proposal):
    body = text(client_for(people["lead"]).get("/calls/"))
    assert 'href="/inbox/"' in body
    assert "inbox-badge" in body  # the class name in the stylesheet link is not enough: check the span
    assert 'id="inbox-badge"' not in body
    assert 'href="/inbox/"' not in text(client_for(None).get("/accounts/login/"))


def test_the_badge_speaks_turkish(client_for, people, proposal):
    notify(people["lead"], proposal, 2)
    body = text(client_for(people["lead"], language="tr").get("/calls/"))
    assert 'aria-hidden="true">2</span>' in body


# --- preferences -------------------------------------------------------------------------------------


def test_the_preferences_page_lists_every_kind_with_its_choices(client_for, people):
    PreferenceFactory(user=people["lead"], kind=kinds.MENTION, channel=kinds.Channel.OFF)
    body = text(client_for(people["lead"]).get("/inbox/preferences/"))

    assert body.count("<fieldset") == len(kinds.KINDS)
    for kind in kinds.KINDS.values():
        assert f"<legend>{kind.label}</legend>" in body
    assert body.count('type="radio"') == len(kinds.KINDS) * len(kinds.Channel.choices)
    assert (
        f'name="{kinds.MENTION}" value="off" id="id_{kinds.MENTION}_3" checked'
        in body.replace(" required", "")
        or f'value="off" required id="id_{kinds.MENTION}_3" checked' in body
    )


def _all_kinds(**changes):
    data = {code: kind.default for code, kind in kinds.KINDS.items()}
    data.update(changes)
    return data


def test_saving_preferences_goes_through_the_service(client_for, people):
    client = client_for(people["lead"])
    response = client.post(
        "/inbox/preferences/",
        _all_kinds(**{kinds.COMMENT_SHARED: "off", kinds.DOCUMENT_VERSION_CREATED: "email"}),
    )

    assert response.status_code == 302
    assert selectors.preferences_of(people["lead"])[kinds.COMMENT_SHARED] == "off"
    assert selectors.preferences_of(people["lead"])[kinds.DOCUMENT_VERSION_CREATED] == "email"
    # defaults are not stored
    assert NotificationPreference.objects.filter(user=people["lead"]).count() == 2
    assert "Your notification preferences are saved." in text(client.get("/inbox/preferences/"))


@pytest.mark.parametrize(
    "data",
    [
        _all_kinds(**{kinds.MENTION: "carrier-pigeon"}),
        {k: v for k, v in _all_kinds().items() if k != kinds.MENTION},
        {},
    ],
    ids=["unknown channel", "a kind missing", "nothing"],
)
def test_malformed_preferences_are_400_with_errors_and_change_nothing(client_for, people, data):
    PreferenceFactory(user=people["lead"], kind=kinds.PROPOSAL_TRANSITIONED, channel="off")
    response = client_for(people["lead"]).post("/inbox/preferences/", data)

    assert response.status_code == 400
    assert 'class="errors"' in text(response)
    assert list(
        NotificationPreference.objects.filter(user=people["lead"]).values_list("kind", "channel")
    ) == [(kinds.PROPOSAL_TRANSITIONED, "off")]


# --- queries -----------------------------------------------------------------------------------------


def _same_for_one_and_five(name, user, add, url, expected):
    add(1)
    one = page_queries(user, url)
    add(4)
    five = page_queries(user, url)
    assert one == five, f"{name}: {one} queries for one row, {five} for five"
    assert one == expected, f"{name}: {one} queries, expected {expected}"
    print(f"QUERIES {name}={one}")


def test_the_inbox_costs_the_same_for_one_and_five(people, proposal):
    _same_for_one_and_five(
        "inbox", people["lead"], lambda n: notify(people["lead"], proposal, n), "/inbox/", 6
    )


def test_the_preferences_page_costs_the_same_for_one_and_five(people):
    codes = iter(kinds.KINDS)

    def add(n):
        for _ in range(n):
            PreferenceFactory(user=people["lead"], kind=next(codes), channel=kinds.Channel.OFF)

    _same_for_one_and_five("preferences", people["lead"], add, "/inbox/preferences/", 6)


def test_the_badge_costs_one_capped_count_whatever_the_number_unread(people, proposal):
    """Any page, 1 or 5 unread: the badge asks one COUNT over at most 100 rows, and nothing else."""
    for n in (1, 4):
        notify(people["lead"], proposal, n)
        badge = [sql for sql in measure(people["lead"], "/calls/").sql if "notifications_notification" in sql]
        assert len(badge) == 1, badge
        assert badge[0].startswith("SELECT COUNT(*)") and "LIMIT 100" in badge[0]
