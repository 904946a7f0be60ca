"""A person's data, exported: everything held about them, nothing of other people, at once or in the
background, with a notification and a link that expires."""

import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry

from notifications import kinds
from notifications.models import Notification
from privacy import holdings
from privacy.models import DataExport, NoticeAcceptance, PrivacyNotice
from tests.privacy.conftest import FILE_BYTES

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _data(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("data.json"))


def test_my_export_holds_every_kind_of_record(held, api_client):
    person = held["person"]
    notice = PrivacyNotice.objects.create(version=1, text_tr="Aydınlatma metni", text_en="Privacy notice")
    NoticeAcceptance.objects.create(user=person, notice=notice)
    response = api_client(person).get("/api/v1/me/data-export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = _zip(response)
    data = _data(archive)
    empty = [section.key for section in holdings.SECTIONS if not data[section.key]]
    assert empty == ["data_exports"]  # this export is not one yet: it was answered at once
    assert data["account"][0]["email"] == "aylin.sahin@suleymanpasa.example"
    assert data["account"][0]["first_name"] == "Aylin"
    assert data["memberships"][0]["role"] == "Team lead"
    assert data["expert_profile"][0]["bio"] == "Su yönetimi uzmanı"
    assert [p["title"] for p in data["proposals"]] == ["Ergene su havzası"]
    assert data["comments"][0]["body"] == "Bütçe tablosunu güncelledim."
    assert data["comments"][0]["earlier_texts"][0]["body"] == "Bütçeyi güncelledim."
    assert data["mentions"][0]["proposal"] == "Ergene su havzası"
    assert data["consultations"][0]["as_team_member"] is True
    assert data["consultations"][0]["notes"] is None  # written by someone else
    review = data["reviews"][0]["review"]
    assert review["comment"] == "İyi bir öneri." and review["submitted"]
    assert {score["score"] for score in review["scores"]} == {"4.00"}
    assert data["uploads"][0]["filename"] == "Bütçe tablosu.pdf"
    assert archive.read(data["uploads"][0]["file"]) == FILE_BYTES
    assert data["downloads"][0]["filename"] == "Bütçe tablosu.pdf"
    assert data["sign_ins"][0]["address"] == "192.0.2.7"
    assert data["failed_sign_ins"][0]["failures"] == 2
    assert data["api_tokens"][0]["created"]
    assert data["notifications"][0]["kind"] == kinds.PROPOSAL_TRANSITIONED
    assert data["calendar_feed"][0]["created"]
    assert data["saved_views"][0]["name"] == "Benim görünümüm"
    assert data["notice_acceptances"][0]["version"] == 1
    assert data["partner_requests"][0]["title"] == "Looking for a water partner"
    assert data["partner_answers"][0]["message"] == "We can join."
    assert data["cooperations"][0]["title"] == "Twinning with Kavala"
    assert data["partner_contact"][0]["contact_email"] == person.email
    assert len(data["event_registrations"]) == 2  # the one with a session, and the certificate's
    assert any(r["attendance"] for r in data["event_registrations"])
    assert data["certificates"][0]["holder_name"]
    changed = [entry for entry in data["trail_about"] if "first_name" in entry["changes"]]
    assert changed[-1]["changes"]["first_name"] == ["Ay", "Aylin"]
    assert data["trail_by"][-1]["fields"] == ["summary"]
    assert "README.txt" in archive.namelist()


def test_the_export_holds_nothing_of_other_people(held, api_client):
    other = held["other"]
    archive = _zip(api_client(held["person"]).get("/api/v1/me/data-export/"))
    text = "\n".join(archive.read(name).decode() for name in ("data.json", "README.txt"))

    for trace in ("Zübeyde", "Kaçaroğlu", "zkacaroglu", "zubeyde@office.example"):
        assert trace not in text
    assert f'"{other.pk}"' not in text
    data = _data(archive)
    assert all("actor" not in entry for entry in data["trail_about"])


def test_what_the_office_did_to_another_persons_record_is_told_without_whose(held, api_client):
    person, other = held["person"], held["other"]  # other changed Aylin's name

    archive = _zip(api_client(other).get("/api/v1/me/data-export/"))

    done = [entry for entry in _data(archive)["trail_by"] if entry["record"] == "user"]
    assert done and {entry["record_id"] for entry in done} == {None}
    assert "first_name" in done[-1]["fields"]
    assert (
        "Aylin" not in archive.read("data.json").decode()
        and person.email not in archive.read("data.json").decode()
    )


def test_the_readme_speaks_the_persons_language(held, api_client):
    from grants_office.members.models import UserProfile

    UserProfile.objects.update_or_create(user=held["person"], defaults={"language": "tr"})
    archive = _zip(api_client(held["person"]).get("/api/v1/me/data-export/"))

    assert "kişisel veriler" in archive.read("README.txt").decode()


def test_a_large_export_is_built_in_the_background_and_told(
    held, api_client, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_EXPORT_INLINE_BYTES = 10  # Aylin's file is larger
    person = held["person"]
    client = api_client(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/me/data-export/")

    assert response.status_code == 202
    export = DataExport.objects.get()
    assert response["Location"].endswith(f"/api/v1/data-exports/{export.pk}/")
    status = client.get(response["Location"]).json()
    assert status["state"] == "ready"  # the tasks are eager here: built on commit
    assert status["files"] == 1 and status["size"] > len(FILE_BYTES)
    told = Notification.objects.get(recipient=person, kind=kinds.DATA_EXPORT_READY)
    assert told.link == f"/privacy/exports/{export.pk}/file/"
    archive = _zip(client.get(status["download"]))
    assert archive.read(_data(archive)["uploads"][0]["file"]) == FILE_BYTES


def test_the_office_exports_anyone_and_each_read_is_in_the_trail(
    held, api_client, office_user, django_capture_on_commit_callbacks
):
    person = held["person"]
    client = api_client(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/data-exports/", {"person": person.pk}, format="json")

    assert response.status_code == 202
    export = DataExport.objects.get(pk=response.json()["id"])
    assert (export.subject, export.requested_by, export.state) == (person, office_user, "ready")
    assert response.json()["state"] == "pending"  # answered before the build, which runs on commit
    assert client.get(client.get(response["Location"]).json()["download"]).status_code == 200
    reads = LogEntry.objects.filter(actor=office_user, action=LogEntry.Action.ACCESS, object_id=person.pk)
    assert sorted(entry.additional_data["read"] for entry in reads) == ["data_export", "data_export_download"]
    # the person sees the export about them, and takes it too
    assert api_client(person).get(f"/api/v1/data-exports/{export.pk}/download/").status_code == 200


def test_nobody_else_exports_or_sees_another_persons_data(held, api_client, people):
    person, stranger = held["person"], people["member"]
    mine = api_client(person).post("/api/v1/data-exports/", {}, format="json").json()

    refused = api_client(stranger).post("/api/v1/data-exports/", {"person": person.pk}, format="json")

    assert refused.status_code == 409 and refused.json()["code"] == "not_permitted"
    assert DataExport.objects.count() == 1
    assert api_client(stranger).get(f"/api/v1/data-exports/{mine['id']}/").status_code == 404
    assert api_client(stranger).get(f"/api/v1/data-exports/{mine['id']}/download/").status_code == 404
    assert api_client(stranger).get("/api/v1/data-exports/").json()["results"] == []
    assert api_client(None).get("/api/v1/me/data-export/").status_code in (401, 403)


def test_a_bad_person_is_a_field_error(held, api_client, office_user):
    response = api_client(office_user).post("/api/v1/data-exports/", {"person": 999999}, format="json")

    assert response.status_code == 400
    assert "person" in response.json()["fields"]
    assert not DataExport.objects.exists()
