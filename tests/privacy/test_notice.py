"""The privacy notice: read by anyone, accepted by each person at their first sign-in after a new
version, with the version and the time; published by the office's admins, never changed."""

import pytest
from auditlog.models import LogEntry
from django.test import Client

from privacy import services
from privacy.models import NoticeAcceptance, PrivacyNotice
from tests import factories
from tests.clients import page_client
from tests.factories import PASSWORD
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return factories.office_admin(username="mudur")


@pytest.fixture
def notice(admin):
    return services.publish_notice(
        admin, "Kişisel verileriniz KVKK uyarınca işlenir.", "Your data is processed under KVKK."
    )


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.cookies["django_language"] = "en"
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def test_at_first_sign_in_the_notice_comes_first_and_is_accepted_once(notice):
    person = factories.UserFactory()
    client = _signed_in(person)

    page = client.get("/proposals/")
    assert page.status_code == 302 and page["Location"].startswith("/privacy/notice/?next=%2Fproposals%2F")
    shown = client.get(page["Location"]).content.decode()
    assert "Your data is processed under KVKK." in shown and 'name="version" value="1"' in shown
    assert client.get("/api/v1/privacy-notice/").status_code == 200  # the API stays open

    accepted = client.post("/privacy/notice/accept/", {"version": 1, "next": "/proposals/"})

    assert accepted.status_code == 302 and accepted["Location"] == "/proposals/"
    assert client.get("/proposals/").status_code == 200
    acceptance = NoticeAcceptance.objects.get(user=person)
    assert acceptance.notice == notice and acceptance.accepted_at
    assert _signed_in(person).get("/proposals/").status_code == 200  # not asked again


def test_a_new_version_is_asked_for_at_the_next_sign_in(notice, admin):
    person = factories.UserFactory()
    NoticeAcceptance.objects.create(user=person, notice=notice)
    assert _signed_in(person).get("/proposals/").status_code == 200

    services.publish_notice(
        admin, "Yeni metin: saklama süreleri eklendi.", "New text: retention periods added."
    )

    client = _signed_in(person)
    assert client.get("/proposals/").status_code == 302
    assert client.post("/privacy/notice/accept/", {"version": 1}).status_code == 409  # the old one
    assert client.post("/privacy/notice/accept/", {"version": 2}).status_code == 302
    assert sorted(person.notice_acceptances.values_list("notice__version", flat=True)) == [1, 2]


def test_without_a_notice_nobody_is_stopped():
    assert _signed_in(factories.UserFactory()).get("/proposals/").status_code == 200


def test_anyone_reads_the_notice_in_their_language(notice):
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Your data is processed under KVKK." in english.get("/privacy/notice/").content.decode()
    turkish = Client()
    turkish.cookies["django_language"] = "tr"
    assert "Kişisel verileriniz KVKK uyarınca işlenir." in turkish.get("/privacy/notice/").content.decode()
    assert "/privacy/notice/" in english.get("/accounts/login/").content.decode()  # linked before signing in
    api = Client(HTTP_ACCEPT_LANGUAGE="tr").get("/api/v1/privacy-notice/").json()
    assert api["version"] == 1 and api["text"].startswith("Kişisel") and api["accepted"] is None


def test_the_api_accepts_the_version_read(notice, api_client):
    person = factories.UserFactory()
    api = api_client(person)
    assert api.get("/api/v1/privacy-notice/").json()["accepted"] is False
    assert (
        api.post("/api/v1/privacy-notice/accept/", {"version": 2}, format="json").json()["code"]
        == "notice_changed"
    )
    assert api.post("/api/v1/privacy-notice/accept/", {"version": "x"}, format="json").json()["fields"][
        "version"
    ]
    first = api.post("/api/v1/privacy-notice/accept/", {"version": 1}, format="json")
    again = api.post("/api/v1/privacy-notice/accept/", {"version": 1}, format="json")
    assert first.status_code == again.status_code == 200
    assert first.json()["accepted_at"] == again.json()["accepted_at"]
    assert api.get("/api/v1/privacy-notice/").json()["accepted"] is True


def test_no_notice_answers_404(api_client):
    assert api_client().get("/api/v1/privacy-notice/").status_code == 404
    assert (
        api_client(factories.UserFactory())
        .post("/api/v1/privacy-notice/accept/", {"version": 1}, format="json")
        .status_code
        == 404
    )


def test_an_admin_publishes_versions_which_are_never_changed(admin, office_user):
    client = page_client(admin, enforce_csrf_checks=False)
    missing = client.post("/privacy/notice/publish/", {"text_tr": "Metin", "text_en": ""})
    assert missing.status_code == 400 and not PrivacyNotice.objects.exists()

    published = client.post("/privacy/notice/publish/", {"text_tr": "Metin", "text_en": "Text"})

    assert published.status_code == 302
    notice = PrivacyNotice.objects.get()
    assert (notice.version, notice.published_by) == (1, admin)
    assert LogEntry.objects.filter(object_id=notice.pk, action=LogEntry.Action.CREATE).exists()
    same = client.post("/privacy/notice/publish/", {"text_tr": "Metin", "text_en": "Text"})
    assert same.status_code == 409 and PrivacyNotice.objects.count() == 1
    client.post("/privacy/notice/publish/", {"text_tr": "Metin 2", "text_en": "Text 2"})
    assert list(PrivacyNotice.objects.values_list("version", "text_en")) == [(2, "Text 2"), (1, "Text")]

    staff = page_client(office_user, enforce_csrf_checks=False)
    assert staff.get("/privacy/notice/publish/").status_code == 403
    assert staff.post("/privacy/notice/publish/", {"text_tr": "x", "text_en": "y"}).status_code == 403
    assert PrivacyNotice.objects.count() == 2


def test_the_versions_page_costs_the_same_for_more_versions(admin, django_assert_num_queries):
    def more(n):
        for number in range(n):
            services.publish_notice(
                admin, f"Metin {number} {PrivacyNotice.objects.count()}", f"Text {number}"
            )
            NoticeAcceptance.objects.create(
                user=factories.UserFactory(), notice=PrivacyNotice.objects.first()
            )

    client = page_client(admin)
    assert_same_query_count(client, "/privacy/notice/publish/", more, django_assert_num_queries, rows_in=None)
