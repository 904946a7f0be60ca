"""A team member adds a document and uploads a version from the proposal page, on a phone-sized screen:
the browser hashes the file, sends it straight to storage with a progress bar that reaches 100 %, and
the new version appears. Once in embedded mode (our own signed endpoint) and once against a real S3
server (SeaweedFS), where the browser PUTs across origins under the Content-Security-Policy."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from documents.models import DocumentVersion
from grants_office.members.models import TeamMembership
from tests.browser.conftest import sign_in
from tests.browser.pages import a_pdf, add_a_document, upload_a_version
from tests.browser.world import build_world
from tests.factories import TeamMembershipFactory
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)

# A PDF of a few megabytes, so the upload reports progress on its way.
CONTENT = a_pdf("Butce taslagi", 3)


@pytest.fixture(params=["embedded", "s3"])
def storage(request, settings, tmp_path):
    """Where the bytes go: a private directory (embedded mode) or the SeaweedFS bucket."""
    if request.param == "s3":
        return request.getfixturevalue("s3_for_browsers")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return None


def test_a_team_member_uploads_a_new_version_with_a_progress_bar(actors, storage, tmp_path):
    world = build_world()
    member = TeamMembershipFactory(
        municipality=world.municipality,
        role=TeamMembership.Role.MEMBER,
        user__username="ekipuyesi",
        user__first_name="Zeynep",
        user__last_name="Kaya",
    ).user
    proposal = services.create_proposal(
        world.lead, lead=world.municipality, title="Ergene Havzası Su Kalitesi İzleme", acronym="ERGENE"
    )
    services.perform_transition(proposal, "start_consultation", world.office)
    services.perform_transition(proposal, "start_drafting", world.office, call=world.call.pk)

    person = actors("member", width=360, height=780)
    sign_in(person, "ekipuyesi", world.password)
    person.go(f"/proposals/{proposal.pk}/")
    page = person.page
    documents = page.locator("#documents")
    expect(documents.locator('[data-kind="budget"]')).to_contain_text("missing")

    # add the budget slot: a small form, answered in place by htmx
    budget = add_a_document(person, "budget", "Bütçe")
    expect(documents.locator("p.message--success")).to_contain_text("“Bütçe” is added")

    # upload a version: keyboard-reachable file input with its label, a note, the progress recorded
    progress = upload_a_version(
        person,
        budget,
        filename="Bütçe taslağı.pdf",
        content=CONTENT,
        note="Ortak payları eklendi.",
        keyboard=True,
    )
    expect(documents.locator("p.message--success")).to_contain_text("is now version 1 of “Bütçe”")
    expect(documents.locator('[data-kind="budget"]')).to_contain_text("uploaded")

    assert progress[-1][1] == "Uploading: 100%", progress  # the live region's last words
    # nothing wider than a phone's screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    person.shot("documents after upload")

    version = DocumentVersion.objects.get()
    assert version.sha256 == hashlib.sha256(CONTENT).hexdigest() and version.size == len(CONTENT)
    assert version.uploaded_by == member and version.note == "Ortak payları eklendi."
    if storage is not None:
        stored = storage.client().head_object(Bucket=storage.bucket, Key=version.storage_key)
        assert stored["ContentLength"] == len(CONTENT)
