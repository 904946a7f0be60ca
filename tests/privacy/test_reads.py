"""Reads of personal data leave an entry: every export of a list (who, which file, with which filters),
shown in the trail as a read."""

import pytest
from auditlog.models import LogEntry

from workflows.states import State

pytestmark = pytest.mark.django_db


def reads():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS)


def test_an_export_of_proposals_is_logged_with_its_file_and_filters(api_client, office_user, make_proposal):
    make_proposal(state=State.IDEA)
    response = api_client(office_user).get("/api/v1/proposals/export/", {"format": "csv", "state": "idea"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [entry] = reads()
    assert entry.actor == office_user
    assert entry.additional_data["read"] == "export"
    assert entry.additional_data["file"].startswith("proposals-") and entry.additional_data["file"].endswith(
        ".csv"
    )
    assert "state=idea" in entry.additional_data["query"]

    [row] = api_client(office_user).get("/api/v1/audit/", {"action": "access"}).json()["results"]
    assert (row["action"], row["read"], row["model"], row["object_id"]) == (
        "access",
        "export",
        "workflows.proposal",
        None,
    )


def test_the_member_registry_export_is_logged_and_a_refused_one_is_not(api_client, office_user, people):
    assert (
        api_client(people["lead"]).get("/api/v1/municipalities/export/", {"format": "xlsx"}).status_code
        == 409
    )
    assert not reads().exists()
    assert (
        api_client(office_user).get("/api/v1/municipalities/export/", {"format": "xlsx"}).status_code == 200
    )
    assert reads().get().additional_data["file"].endswith(".xlsx")
