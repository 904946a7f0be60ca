"""The office's person pages and each person's own data page: what is held, the export, the reads logged."""

import pytest
from auditlog.models import LogEntry

from privacy.models import DataExport
from tests import factories
from tests.querycount import assert_same_query_count

pytestmark = pytest.mark.django_db


def _reads(user, person):
    return LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS, object_id=person.pk)


def test_the_office_finds_a_person_and_the_read_of_their_page_is_logged(client_for, office_user, held):
    person = held["person"]
    client = client_for(office_user)

    listing = client.get("/privacy/people/", {"q": "şahin"})
    assert listing.status_code == 200
    assert f'href="/privacy/people/{person.pk}/"' in listing.content.decode()
    assert "Zübeyde" not in client.get("/privacy/people/", {"q": "aylin"}).content.decode()

    page = client.get(f"/privacy/people/{person.pk}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "aylin.sahin@suleymanpasa.example" in text and "Files uploaded" in text
    assert [entry.additional_data["read"] for entry in _reads(office_user, person)] == ["person"]


def test_the_office_asks_for_a_persons_export_from_their_page(
    client_for, office_user, held, django_capture_on_commit_callbacks
):
    person = held["person"]
    client = client_for(office_user, enforce_csrf_checks=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/people/{person.pk}/export/")

    assert response.status_code == 302 and response["Location"] == f"/privacy/people/{person.pk}/"
    export = DataExport.objects.get()
    assert (export.subject, export.requested_by, export.state) == (person, office_user, "ready")
    page = client.get(f"/privacy/people/{person.pk}/").content.decode()
    assert f'href="/privacy/exports/{export.pk}/file/"' in page
    download = client.get(f"/privacy/exports/{export.pk}/file/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


@pytest.mark.parametrize("url", ["/privacy/people/", "/privacy/people/{pk}/"])
def test_the_person_pages_are_the_offices(client_for, people, url):
    person = people["lead"]

    response = client_for(person).get(url.format(pk=person.pk))

    assert response.status_code == 403
    assert not _reads(person, person).exists()


def test_an_unknown_person_is_404(client_for, office_user):
    assert client_for(office_user).get("/privacy/people/999999/").status_code == 404


def test_a_person_sees_what_is_held_and_downloads_it(client_for, held, django_capture_on_commit_callbacks):
    person = held["person"]
    client = client_for(person, enforce_csrf_checks=False)

    page = client.get("/account/data/")
    assert page.status_code == 200
    assert "Comments" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/data/")
    assert response.status_code == 302
    export = DataExport.objects.get(subject=person)
    assert client.get(f"/privacy/exports/{export.pk}/file/").status_code == 200
    # nobody else takes it
    stranger = factories.TeamMembershipFactory().user
    assert client_for(stranger).get(f"/privacy/exports/{export.pk}/file/").status_code == 404


def test_an_expired_file_page_says_so(client_for, held):
    person = held["person"]
    export = DataExport.objects.create(subject=person, requested_by=person, state="expired")

    response = client_for(person).get(f"/privacy/exports/{export.pk}/file/")

    assert response.status_code == 409
    assert "expired" in response.content.decode()


def test_the_people_list_costs_the_same_for_more_people(client_for, office_user, django_assert_num_queries):
    assert_same_query_count(
        client_for(office_user),
        "/privacy/people/?q=zz-person",
        lambda n: factories.UserFactory.create_batch(n, last_name="zz-person"),
        django_assert_num_queries,
        rows_in=lambda text: text.count('href="/privacy/people/') - text.count('href="/privacy/people/"'),
    )


def test_a_person_page_costs_the_same_for_more_records(client_for, office_user, django_assert_num_queries):
    person = factories.TeamMembershipFactory().user

    def more(n):
        for _ in range(n):
            factories.TeamMembershipFactory(user=person)
            factories.NotificationFactory(recipient=person)
            DataExport.objects.create(subject=person, requested_by=office_user, state="expired")

    assert_same_query_count(
        client_for(office_user),
        f"/privacy/people/{person.pk}/",
        more,
        django_assert_num_queries,
        rows_in=None,
    )


def test_the_export_list_costs_the_same_for_more_exports(api_client, office_user, django_assert_num_queries):
    def more(n):
        for _ in range(n):
            DataExport.objects.create(
                subject=factories.UserFactory(), requested_by=office_user, state="expired"
            )

    assert_same_query_count(api_client(office_user), "/api/v1/data-exports/", more, django_assert_num_queries)


def test_my_data_page_costs_the_same_for_more_records(client_for, django_assert_num_queries):
    person = factories.TeamMembershipFactory().user

    def more(n):
        for _ in range(n):
            factories.NotificationFactory(recipient=person)
            DataExport.objects.create(subject=person, requested_by=person, state="expired")

    assert_same_query_count(
        client_for(person), "/account/data/", more, django_assert_num_queries, rows_in=None
    )
