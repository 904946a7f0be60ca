"""An export's life: asked for once, built (or retried), downloaded while it lasts, then its file deleted."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from documents.models import DocumentVersion
from privacy import services
from privacy.models import DataExport
from privacy.tasks import build_data_export
from tests import factories
from tests.factories import review as review_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db, disk_storage):
    return factories.TeamMembershipFactory().user


def _ready(person) -> DataExport:
    export = DataExport.objects.create(subject=person, requested_by=person)
    return services.build_export(export.pk)


def test_asking_again_while_pending_returns_the_pending_export(person):
    first = services.request_export(person, person)  # on commit: not run inside the test's transaction

    again = services.request_export(person, person)

    assert again.pk == first.pk and DataExport.objects.count() == 1


def test_a_built_export_is_not_built_twice(person):
    export = _ready(person)

    assert services.build_export(export.pk) is None
    assert DataExport.objects.get().storage_name == export.storage_name


def test_the_sweep_deletes_the_file_after_its_days_and_the_link_then_refuses(person, api_client, settings):
    settings.PRIVACY_EXPORT_DAYS = 2
    export = _ready(person)
    assert storages["default"].exists(export.storage_name)
    assert export.expires_at - export.ready_at == timedelta(days=2)

    assert services.tend_exports(now=export.expires_at - timedelta(minutes=1)) == {"rebuilt": 0, "expired": 0}
    result = services.tend_exports(now=export.expires_at)

    assert result == {"rebuilt": 0, "expired": 1}
    assert not storages["default"].exists(export.storage_name)
    export.refresh_from_db()
    assert (export.state, export.storage_name) == ("expired", "")
    response = api_client(person).get(f"/api/v1/data-exports/{export.pk}/download/")
    assert response.status_code == 409 and response.json()["code"] == "expired"


def test_a_link_past_its_date_refuses_before_the_sweep_runs(person, api_client):
    export = _ready(person)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = api_client(person).get(f"/api/v1/data-exports/{export.pk}/download/")

    assert response.status_code == 409 and response.json()["code"] == "expired"


def test_a_pending_export_is_not_downloadable(person, api_client):
    export = DataExport.objects.create(subject=person, requested_by=person)

    response = api_client(person).get(f"/api/v1/data-exports/{export.pk}/download/")

    assert response.status_code == 409 and response.json()["code"] == "not_ready"


def test_a_build_that_fails_is_retried_by_the_sweep_then_marked_failed(person):
    """A stored file gone missing makes the build fail (the storage answers nothing); nothing is kept."""
    proposal = factories.ProposalFactory()
    review_factories.proposal_set_with_version(proposal, uploaded_by=person)  # no bytes on disk
    export = DataExport.objects.create(subject=person, requested_by=person)
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(hours=1))

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with pytest.raises(Exception, match="storage"):
            build_data_export.apply(args=[export.pk], throw=True)
        export.refresh_from_db()
        assert export.attempts == attempt
    assert export.state == "failed" and "StorageUnavailable" in export.error
    store = storages["default"]
    assert not store.exists("privacy/exports") or store.listdir("privacy/exports")[1] == []


def test_the_sweep_builds_what_a_lost_task_left_pending(person):
    export = DataExport.objects.create(subject=person, requested_by=person)
    DataExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
    fresh = DataExport.objects.create(subject=person, requested_by=factories.office_staff())

    result = services.tend_exports()

    assert result["rebuilt"] == 1  # the eager task ran
    export.refresh_from_db()
    fresh.refresh_from_db()
    assert (export.state, fresh.state) == ("ready", "pending")


def test_an_export_on_s3_is_stored_and_read_back(s3_storage, api_client):
    person = factories.TeamMembershipFactory().user
    export = _ready(person)

    response = api_client(person).get(f"/api/v1/data-exports/{export.pk}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert storages["default"].size(export.storage_name) == export.size
    services.tend_exports(now=export.expires_at)
    assert not storages["default"].exists(export.storage_name)


def test_files_missing_from_the_list_are_not_in_the_export(person):
    assert not DocumentVersion.objects.filter(uploaded_by=person).exists()
    export = _ready(person)

    assert export.files == 0 and export.size > 0


def test_asking_for_exports_is_limited_per_person_and_reading_them_is_not(person, api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "data_export": "2/hour",
        },
    }
    client = api_client(person)

    answers = [client.get("/api/v1/me/data-export/").status_code for _ in range(2)]
    answers.append(client.post("/api/v1/data-exports/", {}, format="json").status_code)

    assert answers == [200, 200, 429]
    assert not DataExport.objects.exists()  # the refused one left nothing
    assert client.get("/api/v1/data-exports/").status_code == 200
    assert (
        api_client(factories.TeamMembershipFactory().user).get("/api/v1/me/data-export/").status_code == 200
    )
