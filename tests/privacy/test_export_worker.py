"""A real Celery worker on Redis (REDIS_URL) builds the export the API was asked for and mails the link."""

import io
import zipfile

import pytest
from django.core import mail

from notifications import kinds
from notifications.models import Notification
from privacy.models import DataExport
from tests import factories
from tests.factories import review as review_factories
from tests.notifications.processes import require_postgres, wait_for


@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_export_and_the_requester_gets_the_link(
    celery_worker, api_client, disk_storage, settings
):
    require_postgres()  # the worker's thread holds the export's row while it builds; SQLite locks the table
    settings.PRIVACY_EXPORT_INLINE_BYTES = 0  # any file: the background path
    person = factories.TeamMembershipFactory().user
    version = review_factories.proposal_set_with_version(factories.ProposalFactory(), uploaded_by=person)
    stored = disk_storage / version.storage_key
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"%PDF-1.7 " + b"x" * 2000)
    client = api_client(person)

    response = client.get("/api/v1/me/data-export/")

    assert response.status_code == 202
    assert wait_for(lambda: DataExport.objects.filter(state="ready").exists())
    told = Notification.objects.get(recipient=person, kind=kinds.DATA_EXPORT_READY)
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [person.email] and told.link in mail.outbox[0].body
    download = client.get(client.get(response["Location"]).json()["download"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert any(name.startswith("files/") for name in archive.namelist())
