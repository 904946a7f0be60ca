"""The pages people work on: what each role sees, and nothing of what they may not see."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from django_fsm_log.models import StateLog

from grants_office.calls.models import DocumentKind
from tests.factories import (
    PASSWORD,
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    MunicipalityFactory,
    ProposalFactory,
    ProposalSetFactory,
    RubricFactory,
)
from workflows.models import Consultation, Proposal, Submission
from workflows.states import State

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/board/",
    "/proposals/",
    "/proposals/new/",
    "/calls/",
    "/calls/calendar/",
    "/members/",
    "/members/organisations/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_visitors_are_sent_to_sign_in_from_a_proposal(client_for, make_proposal):
    proposal = make_proposal()
    response = client_for(None).get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/proposals/{proposal.pk}/"


def test_home_sends_the_office_to_the_board_and_teams_to_their_proposals(client_for, people):
    assert client_for(people["office"]).get("/")["Location"] == "/board/"
    assert client_for(people["lead"]).get("/")["Location"] == "/proposals/"
    assert client_for(people["nobody"]).get("/")["Location"] == "/proposals/"


def test_sign_in_and_out(client_for, people):
    client = client_for(None)
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'autocomplete="current-password"' in page.content
    wrong = client.post("/accounts/login/", {"username": "koordinator", "password": "nope"})
    assert wrong.status_code == 200
    assert b'role="alert"' in wrong.content
    lead = people["lead"].username
    response = client.post("/accounts/login/", {"username": lead, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/proposals/"
    office = client_for(None)
    response = office.post("/accounts/login/", {"username": "koordinator", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/two-factor/setup/?next=%2F"  # tests/identity
    # signing out is a POST (a link could be followed by anything)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/board/").status_code == 302


def test_password_reset_by_e_mail(client_for, people):
    client = client_for(None)
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/password-reset/", {"email": people["lead"].email})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Yeni-parola-2027", "new_password2": "Yeni-parola-2027"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    people["lead"].refresh_from_db()
    assert people["lead"].check_password("Yeni-parola-2027")


def test_every_page_carries_the_content_security_policy_and_no_inline_script(client_for, people):
    for client, url in [(client_for(None), "/accounts/login/")] + [
        (client_for(people["office"]), url) for url in PAGES[1:]
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert b"<script>" not in response.content, url
        assert b'href="#main"' in response.content and b'<main id="main"' in response.content


def test_the_language_switch_is_remembered(client_for, people):
    client = client_for(people["lead"], language=None)
    assert b'<html lang="tr">' in client.get("/proposals/").content  # the default
    response = client.post("/language/", {"language": "en", "next": "/proposals/"})
    assert response["Location"] == "/proposals/"
    page = client.get("/proposals/")
    assert b'<html lang="en">' in page.content and page["Content-Language"] == "en"
    client.post("/language/", {"language": "tr", "next": "/calls/calendar/?month=2027-03"})
    page = client.get("/calls/calendar/?month=2027-03")
    assert b'<html lang="tr">' in page.content and page["Content-Language"] == "tr"
    assert "Mart" in page.content.decode()  # Django's own Turkish month names


def test_a_proposal_page_shows_everything_to_the_office(client_for, people, make_proposal):
    call = CallFactory(required_documents=[DocumentKind.BUDGET])
    proposal = make_proposal(
        state=State.SUBMITTED, call=call, coordinator=people["office"], requested_amount=Decimal("450000")
    )
    StateLog.objects.create(
        content_object=proposal,
        transition="start_consultation",
        source_state="idea",
        state="consultation",
        by=people["office"],
        description="İlk görüşme",
    )
    Consultation.objects.create(
        proposal=proposal, held_at=timezone.now(), notes="Ortaklar netleşti", created_by=people["office"]
    )
    Submission.objects.create(
        proposal=proposal,
        stage=1,
        funder_reference="IPA-BG-TR-0042",
        submitted_at=timezone.now() - timedelta(hours=2),
        recorded_by=people["office"],
    )
    page = client_for(people["office"]).get(f"/proposals/{proposal.pk}/").content.decode()
    for text in [
        proposal.title,
        "Süleymanpaşa Belediyesi",
        "Haskovo Municipality",
        call.deadline_display(),
        "(Europe/Brussels)",
        "İlk görüşme",
        "Ortaklar netleşti",
        "IPA-BG-TR-0042",
        "450,000.00 EUR",
        "Ayşe Yılmaz",
    ]:
        assert text in page, text


@pytest.mark.parametrize(
    "role, status", [("lead", 200), ("member", 200), ("partner", 200), ("other_team", 404)]
)
def test_a_proposal_page_is_for_its_teams_only(client_for, people, make_proposal, role, status):
    proposal = make_proposal()
    assert client_for(people[role]).get(f"/proposals/{proposal.pk}/").status_code == status


def test_the_board_is_the_offices(client_for, people):
    assert client_for(people["lead"]).get("/board/").status_code == 403
    assert client_for(people["office"]).get("/board/").status_code == 200


def test_my_proposals_lists_the_teams_own_with_the_next_deadline(client_for, people, make_proposal):
    ours = make_proposal(state=State.DRAFTING, title="Ergene Havzası")
    theirs = ProposalFactory(title="Çorlu Bisiklet Yolları")
    page = client_for(people["member"]).get("/proposals/").content.decode()
    assert "Ergene Havzası" in page and ours.call.deadline_display() in page
    assert "days left" in page
    assert "Çorlu Bisiklet Yolları" not in page
    # the partner organisation sees it too, the other municipality does not
    assert "Ergene Havzası" in client_for(people["partner"]).get("/proposals/").content.decode()
    other = client_for(people["other_team"]).get("/proposals/").content.decode()
    assert "Ergene Havzası" not in other
    assert theirs.title not in other  # not granted to them either


def test_my_proposals_for_the_office_are_those_it_coordinates(client_for, people, make_proposal):
    make_proposal(title="Benim", coordinator=people["office"])
    make_proposal(title="Başkasının")
    page = client_for(people["office"]).get("/proposals/").content.decode()
    assert "Benim" in page and "Başkasının" not in page


def test_a_team_member_registers_an_idea(client_for, people, lead_municipality):
    client = client_for(people["member"])
    form = client.get("/proposals/new/").content.decode()
    assert "Süleymanpaşa Belediyesi" in form and "Çorlu Belediyesi" not in form
    response = client.post(
        "/proposals/new/",
        {
            "lead": lead_municipality.pk,
            "title": "Ergene Havzası Su Kalitesi İzleme",
            "acronym": "ERGENE",
            "currency": "EUR",
            "requested_amount": "450000",
            "total_budget": "500000",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert (proposal.state, proposal.lead, proposal.created_by) == (
        "idea",
        lead_municipality,
        people["member"],
    )
    assert client_for(people["lead"]).get(response["Location"]).status_code == 200


def test_a_bad_idea_form_shows_the_errors_and_saves_nothing(client_for, people, lead_municipality):
    other = MunicipalityFactory()
    response = client_for(people["member"]).post(
        "/proposals/new/",
        {
            "lead": other.pk,
            "title": "",
            "currency": "EUR",
            "requested_amount": "600",
            "total_budget": "500",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"lead", "title"}
    response = client_for(people["member"]).post(
        "/proposals/new/",
        {
            "lead": lead_municipality.pk,
            "title": "T",
            "currency": "EUR",
            "requested_amount": "600",
            "total_budget": "500",
        },
    )
    assert response.status_code == 400
    assert "requested_amount" in response.context["form"].errors
    assert b'aria-invalid="true"' in response.content
    assert not Proposal.objects.exists()


def test_people_without_a_team_cannot_register_ideas(client_for, people):
    assert client_for(people["nobody"]).get("/proposals/new/").status_code == 403


def test_calls_show_the_deadline_in_the_funders_time_zone_with_a_countdown(client_for, people):
    call = CallFactory(
        reference="INTERREG-IPA-BG-TR-2027",
        deadline=timezone.now() + timedelta(days=5, hours=3),
        deadline_timezone="Europe/Brussels",
        required_documents=[DocumentKind.BUDGET, DocumentKind.WORK_PLAN],
        rubric=RubricFactory(),
    )
    closed = CallFactory(reference="CLOSED-2020", deadline=timezone.now() - timedelta(days=3))
    client = client_for(people["lead"])
    listing = client.get("/calls/").content.decode()
    assert "INTERREG-IPA-BG-TR-2027" in listing and "CLOSED-2020" not in listing
    assert call.deadline_display() in listing and "5 days left" in listing
    assert "CLOSED-2020" in client.get("/calls/?show=all").content.decode()
    detail = client.get(f"/calls/{call.pk}/").content.decode()
    assert "Work plan" in detail and "Excellence" in detail and "(Europe/Brussels)" in detail
    # the local time is shown next to the funder's
    assert timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M") in detail
    assert client.get(f"/calls/{closed.pk}/").status_code == 200


def test_the_deadline_calendar_puts_a_call_on_its_day(client_for, people):
    call = CallFactory(reference="LIFE-2027-CLIMA", deadline=timezone.now() + timedelta(days=40))
    month = timezone.localtime(call.deadline).strftime("%Y-%m")
    page = client_for(people["office"]).get(f"/calls/calendar/?month={month}").content.decode()
    assert "LIFE-2027-CLIMA" in page and call.deadline_display() in page
    assert (
        "LIFE-2027-CLIMA"
        not in client_for(people["office"]).get("/calls/calendar/?month=2001-01").content.decode()
    )
    assert client_for(people["office"]).get("/calls/calendar/?month=garbage").status_code == 200


def test_the_member_registry_lists_and_filters(client_for, people):
    MunicipalityFactory(name="Kırklareli Belediyesi", province="Kırklareli")
    client = client_for(people["office"])
    page = client.get("/members/").content.decode()
    assert "Kırklareli Belediyesi" in page and "Süleymanpaşa Belediyesi" in page
    filtered = client.get("/members/?province=Kırklareli").content.decode()
    assert "Kırklareli Belediyesi" in filtered and "Süleymanpaşa Belediyesi" not in filtered
    organisations = client.get("/members/organisations/?country=bg").content.decode()
    assert "Haskovo Municipality" in organisations


def test_the_language_choice_is_kept_on_the_profile_and_follows_the_person(client_for, people):
    from grants_office.members.models import UserProfile

    client_for(people["lead"], language=None).post("/language/", {"language": "en", "next": "/"})
    assert UserProfile.objects.get(user=people["lead"]).language == "en"
    # another browser, no language cookie: the profile decides
    page = client_for(people["lead"], language=None).get("/proposals/")
    assert b'<html lang="en">' in page.content


def test_times_are_shown_in_the_persons_time_zone(client_for, people):
    from grants_office.members.models import UserProfile

    call = CallFactory(deadline=timezone.now() + timedelta(days=20))
    UserProfile.objects.create(user=people["lead"], time_zone="America/New_York")
    page = client_for(people["lead"]).get(f"/calls/{call.pk}/").content.decode()
    new_york = timezone.localtime(call.deadline, ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M")
    assert f"{new_york} your time (America/New_York)" in page
    assert call.deadline_display() in page  # and the funder's, with its zone
    istanbul = client_for(people["office"]).get(f"/calls/{call.pk}/").content.decode()
    assert "your time (Europe/Istanbul)" in istanbul


def test_the_proposal_page_lists_documents_and_what_is_missing_for_ready(client_for, people, make_proposal):
    call = CallFactory(required_documents=[DocumentKind.BUDGET, DocumentKind.WORK_PLAN])
    proposal = make_proposal(state=State.DRAFTING, call=call, document_set=ProposalSetFactory())
    budget = DocumentFactory(set=proposal.document_set, kind=DocumentKind.BUDGET, title="Bütçe")
    DocumentVersionFactory(document=budget, number=1, original_filename="butce-v1.xlsx")
    version = DocumentVersionFactory(document=budget, number=2, original_filename="butce-v2.xlsx")
    page = client_for(people["member"]).get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-kind="budget"' in page and "checklist__item--present" in page
    assert "Still missing for “ready”: Work plan." in page
    assert "butce-v1.xlsx" in page and "butce-v2.xlsx" in page
    assert f'href="/api/v1/document-versions/{version.pk}/download/"' in page


def test_the_api_docs_keep_scripts_in_files_and_only_allow_inline_styles(client_for, people):
    response = client_for(people["office"]).get("/api/docs/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self' 'unsafe-inline'" in policy
    assert b"<script>" not in response.content
    assert "unsafe-inline" not in client_for(people["office"]).get("/calls/")["Content-Security-Policy"]
