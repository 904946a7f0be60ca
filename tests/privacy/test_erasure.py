"""Erasure by anonymisation: the person is named nowhere afterwards (no page, API answer, export or log
line), what others depend on stays under the pseudonym, and a legal hold refuses it with its reasons."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from privacy import services
from privacy.models import DataExport, Erasure
from tests import factories
from tests.factories import review as review_factories
from tests.querycount import assert_same_query_count
from workflows.models import Comment, Proposal, Review
from workflows.review import services as review_services
from workflows.states import State

pytestmark = pytest.mark.django_db

OLD = ["Aylin Şahin", "aylin.sahin@suleymanpasa.example", "@aylin"]


def _named(text: str) -> list[str]:
    """The old name, e-mail or user name where `text` shows them (the first name alone counts too)."""
    found = [needle for needle in OLD if needle.lower() in text.lower()]
    found += re.findall(r"(?<![\w])aylin(?![\w])", text, flags=re.IGNORECASE)
    return found


def _everything() -> str:
    """Every row of every table, as text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def _close_her_proposal(held):
    Proposal.objects.filter(pk=held["proposal"].pk).update(
        state=State.REJECTED, decided_on=timezone.localdate()
    )


@pytest.fixture
def admin():
    return factories.office_admin(username="mudur", first_name="Deniz", last_name="Arslan")


def _erase(api_client, admin, person, **extra):
    return api_client(admin).post(
        f"/api/v1/people/{person.pk}/erasure/",
        {"reason": "Request by e-mail of 2026-11-30", **extra},
        format="json",
    )


def test_after_erasure_the_person_is_named_nowhere(held, admin, api_client, client_for):
    person, other = held["person"], held["other"]
    _close_her_proposal(held)
    token = AuthToken.objects.create(person)[1]
    her_browser = client_for(person)
    assert her_browser.get("/proposals/").status_code == 200
    assert _named(_everything())

    response = _erase(api_client, admin, person)

    assert response.status_code == 201, response.content
    pseudonym = response.json()["pseudonym"]
    assert re.fullmatch(r"Anonim [A-Z2-9]{6}", pseudonym)
    assert _named(_everything()) == []
    person.refresh_from_db()
    assert (person.get_full_name(), person.is_active, person.has_usable_password()) == (
        pseudonym,
        False,
        False,
    )
    assert person.email.endswith("@anonim.invalid")
    # what others depend on stays, pointing at the pseudonym
    assert Review.objects.filter(assignment__reviewer=person).count() == 1
    assert held["version"].__class__.objects.get(pk=held["version"].pk).uploaded_by_id == person.pk
    reply = Comment.objects.get(author=other)
    assert reply.body == f"Teşekkürler Zübeyde'den, @{person.username}"
    everything = _everything()
    assert "zubeyde@office.example" in everything and "Kaçaroğlu" in everything  # the others are untouched
    # signed out everywhere
    assert her_browser.get("/proposals/").status_code == 302
    assert api_client().get("/api/v1/proposals/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_no_page_api_answer_or_export_shows_the_old_name(
    held, admin, api_client, client_for, django_capture_on_commit_callbacks
):
    person, proposal = held["person"], held["proposal"]
    _close_her_proposal(held)
    assert _erase(api_client, admin, person).status_code == 201
    office = client_for(admin)
    api = api_client(admin)
    pages = [
        f"/proposals/{proposal.pk}/",
        f"/privacy/people/{person.pk}/",
        "/privacy/people/",
        "/privacy/audit/",
        f"/privacy/audit/?about={person.pk}",
    ]
    answers = [
        f"/api/v1/proposals/{proposal.pk}/",
        f"/api/v1/proposals/{proposal.pk}/history/",
        f"/api/v1/proposals/{proposal.pk}/comments/",
        "/api/v1/audit/",
        f"/api/v1/people/{person.pk}/erasure/",
    ]
    for url in pages:
        page = office.get(url)
        assert page.status_code == 200, url
        assert _named(page.content.decode()) == [], url
    for url in answers:
        answer = api.get(url)
        assert answer.status_code == 200, url
        assert _named(answer.content.decode()) == [], url

    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(admin, person)
    export.refresh_from_db()
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(api.get(f"/api/v1/data-exports/{export.pk}/download/").streaming_content))
    )
    assert _named(archive.read("data.json").decode()) == []


def test_the_erasure_is_recorded_and_logged_without_the_old_name(held, admin, api_client):
    person = held["person"]
    _close_her_proposal(held)
    _erase(api_client, admin, person)

    erasure = Erasure.objects.get(person=person)
    assert erasure.erased_by == admin and erasure.reason == "Request by e-mail of 2026-11-30"
    assert erasure.counts["api_tokens"] >= 1 and erasure.counts["workflows.comment"] == 1
    assert erasure.counts["second_factor"] == 2  # her authenticator app and her recovery codes
    assert not TOTPDevice.objects.filter(user=person).exists()
    entry = LogEntry.objects.filter(object_id=person.pk, additional_data__erasure=erasure.pk).get()
    assert entry.actor == admin
    assert entry.changes["first_name"] == ["***", "Anonim"]
    state = api_client(admin).get(f"/api/v1/people/{person.pk}/erasure/").json()
    assert state["erased"] is True and state["pseudonym"] == erasure.pseudonym


def test_a_dry_run_counts_what_would_change_and_changes_nothing(held, admin, api_client):
    person = held["person"]
    _close_her_proposal(held)
    before = _everything()

    dry = _erase(api_client, admin, person, dry_run=True)

    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert _everything() == before
    real = _erase(api_client, admin, person)
    assert real.json()["counts"] == dry.json()["counts"]


def test_a_legal_hold_refuses_with_every_reason_and_changes_nothing(held, admin, api_client):
    person = held["person"]
    Proposal.objects.filter(pk=held["proposal"].pk).update(state=State.DRAFTING)
    awarded = factories.ProposalFactory(
        title="Ödüllü proje", created_by=person, state=State.AWARDED, decided_on=timezone.localdate()
    )
    before = _everything()

    response = _erase(api_client, admin, person)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_erasable"
    assert {reason["code"] for reason in body["reasons"]} == {"leads_open_proposal", "retention_period"}
    assert _everything() == before
    assert not Erasure.objects.exists()
    held_for = next(r for r in body["reasons"] if r["code"] == "retention_period")["message"]
    assert awarded.title in held_for and str(timezone.localdate().year + 5) in held_for


def test_the_retention_of_an_award_ends(held, admin, api_client):
    person = held["person"]
    _close_her_proposal(held)
    factories.ProposalFactory(
        created_by=person, state=State.AWARDED, decided_on=timezone.localdate() - timedelta(days=6 * 366)
    )
    assert _erase(api_client, admin, person).status_code == 201


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda person, admin: person.groups.add(*admin.groups.all()), "office_role"),
        (lambda person, admin: Proposal.objects.update(coordinator=person), "leads_open_proposal"),
    ],
)
def test_steps_that_must_come_first(people, admin, api_client, setup, code, make_proposal):
    person = people["reviewer"]
    make_proposal(state=State.DRAFTING)
    setup(person, admin)
    response = _erase(api_client, admin, person)
    assert response.status_code == 409 and response.json()["code"] == code
    assert get_user_model().objects.get(pk=person.pk).is_active


def test_an_open_invitation_to_review_holds(admin, api_client, make_proposal):
    expert = review_factories.expert()
    proposal = make_proposal(
        state=State.DRAFTING, call=factories.CallFactory(rubric=factories.RubricFactory(name="Interreg"))
    )
    review_round = review_services.open_round(proposal, admin)
    assignment = review_services.assign_reviewer(review_round, admin, reviewer=expert)

    assert _erase(api_client, admin, expert).json()["code"] == "review_in_progress"
    review_services.transition_assignment(assignment, "withdraw", admin, reason="Erasure asked for")
    assert _erase(api_client, admin, expert).status_code == 201


def test_nobody_erases_themselves_and_an_erased_person_stays_erased(held, admin, api_client):
    person = held["person"]
    _close_her_proposal(held)
    other_admin = factories.office_admin()
    assert _erase(api_client, admin, admin).json()["reasons"][0]["code"] in {"own_account", "office_role"}
    assert _erase(api_client, other_admin, person).status_code == 201
    again = _erase(api_client, admin, person)
    assert again.status_code == 409 and again.json()["code"] == "already_erased"


def test_only_the_offices_admins_erase(held, api_client, client_for, office_user):
    person = held["person"]
    _close_her_proposal(held)
    for user in (office_user, person):
        response = _erase(api_client, user, person)
        assert response.status_code == 409 and response.json()["code"] == "not_permitted"
        assert api_client(user).get(f"/api/v1/people/{person.pk}/erasure/").status_code == 409
    page = client_for(office_user, enforce_csrf_checks=False).post(
        f"/privacy/people/{person.pk}/erase/", {"reason": "x", "confirm": "on"}
    )
    assert page.status_code == 403
    assert not Erasure.objects.exists()


def test_bad_input_answers_400_and_an_unknown_person_404(held, admin, api_client):
    api = api_client(admin)
    assert api.post(f"/api/v1/people/{held['person'].pk}/erasure/", {}, format="json").json()["fields"][
        "reason"
    ]
    assert api.post("/api/v1/people/999999/erasure/", {"reason": "x"}, format="json").status_code == 404


def test_the_office_erases_from_the_persons_page(held, admin, client_for):
    person = held["person"]
    _close_her_proposal(held)
    browser = client_for(admin, enforce_csrf_checks=False)
    page = browser.get(f"/privacy/people/{person.pk}/").content.decode()
    assert f'action="/privacy/people/{person.pk}/erase/"' in page

    unconfirmed = browser.post(f"/privacy/people/{person.pk}/erase/", {"reason": "Asked in person"})
    assert unconfirmed.status_code == 400 and not Erasure.objects.exists()

    done = browser.post(f"/privacy/people/{person.pk}/erase/", {"reason": "Asked in person", "confirm": "on"})
    assert done.status_code == 302
    after = browser.get(done["Location"]).content.decode()
    assert Erasure.objects.get().pseudonym in after and "data-erased" in after
    assert _named(after) == []


def test_the_page_shows_the_holds_instead_of_the_form(held, admin, client_for):
    page = client_for(admin).get(f"/privacy/people/{held['person'].pk}/").content.decode()
    assert 'data-reason="leads_open_proposal"' in page and "/erase/" not in page


def test_the_command_erases_and_its_dry_run_changes_nothing(held, admin):
    person = held["person"]
    _close_her_proposal(held)
    out = io.StringIO()
    call_command("erase_person", "aylin", "--reason", "KVKK request 12", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and get_user_model().objects.get(pk=person.pk).username == "aylin"

    out = io.StringIO()
    call_command("erase_person", person.email, "--reason", "KVKK request 12", "--by", "mudur", stdout=out)
    erasure = Erasure.objects.get()
    assert erasure.pseudonym in out.getvalue() and erasure.erased_by == admin
    assert DataExport.objects.filter(subject=person).exclude(storage_name="").count() == 0


def test_an_admins_person_page_costs_the_same_for_more_holds(client_for, django_assert_num_queries, admin):
    person = factories.TeamMembershipFactory(role="lead").user
    municipality = person.team_memberships.get().municipality

    def more(n):
        for _ in range(n):
            factories.ProposalFactory(lead=municipality, state=State.DRAFTING)
            factories.ProposalFactory(created_by=person, state=State.AWARDED, decided_on=timezone.localdate())

    assert_same_query_count(
        client_for(admin), f"/privacy/people/{person.pk}/", more, django_assert_num_queries, rows_in=None
    )
