"""A programme meeting with the experts of one grant programme: a consultation may name it (through the
service, the API and the page's form), the proposal's section links to it, and the meeting's page lists
the proposals each reader may see."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from events.models import Event
from events.states import EventState
from grants_office.core.errors import Invalid
from tests.factories import (
    EventFactory,
    MunicipalityFactory,
    ProposalFactory,
    TeamMembershipFactory,
    office_staff,
)
from tests.web.conftest import HTMX
from workflows import services
from workflows.models import Consultation
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return EventFactory(kind=Event.Kind.PROGRAMME_MEETING, title_en="IPA experts' day", state=EventState.HELD)


def discussed(user, event) -> str:
    """The `{% proposals_discussed_at %}` tag as the event page renders it for this reader."""
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load programme_meetings %}{% proposals_discussed_at event %}")
    return template.render(Context({"request": request, "event": event}))


def test_a_consultation_held_at_the_meeting_shows_on_the_proposal(meeting, client_for):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    consultation = services.schedule_consultation(proposal, office, event=meeting, notes="Budget too high.")
    assert consultation.held_at == meeting.starts_at  # no time given: the meeting's start
    page = client_for(office).get(f"/proposals/{proposal.pk}/")
    assert f'data-programme-meeting="{meeting.pk}"' in page.text
    assert "Held at the programme meeting" in page.text
    assert f'href="/events/{meeting.pk}/"' in page.text and "IPA experts" in page.text
    body = client_for(office).get(f"/api/v1/proposals/{proposal.pk}/consultations/").json()
    assert (body[0]["event"], body[0]["event_title"]) == (meeting.pk, "IPA experts' day")


def test_a_consultation_without_a_meeting_names_none(client_for):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    services.schedule_consultation(proposal, office, held_at=timezone.now())
    body = client_for(office).get(f"/api/v1/proposals/{proposal.pk}/consultations/").json()
    assert (body[0]["event"], body[0]["event_title"]) == (None, None)
    assert "data-programme-meeting" not in client_for(office).get(f"/proposals/{proposal.pk}/").text


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Event.Kind.TRAINING, "state": EventState.OPEN},
        {"kind": Event.Kind.PROGRAMME_MEETING, "state": EventState.DRAFT},
        {"kind": Event.Kind.PROGRAMME_MEETING, "state": EventState.CANCELLED},
    ],
)
def test_only_an_announced_programme_meeting_may_be_named(fields):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    with pytest.raises(Invalid) as error:
        services.schedule_consultation(proposal, office, event=EventFactory(**fields))
    assert error.value.fields == {"event": ["Choose a programme meeting."]}
    assert not Consultation.objects.exists()


def test_without_a_meeting_the_time_is_required():
    proposal = ProposalFactory(state=State.CONSULTATION)
    with pytest.raises(Invalid) as error:
        services.schedule_consultation(proposal, office_staff())
    assert "held_at" in error.value.fields


def test_the_api_names_the_meeting(meeting, api_client):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    url = f"/api/v1/proposals/{proposal.pk}/consultations/"
    response = api_client(office).post(url, {"event": meeting.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["event"] == meeting.pk
    assert response.json()["held_at"].startswith(f"{meeting.starts_at:%Y-%m-%d}")
    training = EventFactory(kind=Event.Kind.TRAINING, state=EventState.OPEN)
    response = api_client(office).post(url, {"event": training.pk}, format="json")
    assert response.status_code == 400 and "event" in response.json()["fields"]
    response = api_client(office).post(url, {"event": 999999}, format="json")
    assert response.status_code == 400 and "event" in response.json()["fields"]
    response = api_client(office).post(url, {"notes": "When?"}, format="json")
    assert response.status_code == 400 and "held_at" in response.json()["fields"]
    assert Consultation.objects.count() == 1


def test_the_page_form_offers_announced_meetings_newest_first(meeting, client_for):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    newer = EventFactory(kind=Event.Kind.PROGRAMME_MEETING, title_en="Interreg day", state=EventState.OPEN)
    later = timedelta(days=30) + (meeting.starts_at - newer.starts_at)
    Event.objects.filter(pk=newer.pk).update(starts_at=F("starts_at") + later, ends_at=F("ends_at") + later)
    draft = EventFactory(kind=Event.Kind.PROGRAMME_MEETING, title_en="Not yet", state=EventState.DRAFT)
    page = client_for(office).get(f"/proposals/{proposal.pk}/").text
    assert page.index("Interreg day") < page.index("IPA experts") and "Not yet" not in page
    response = client_for(office).post(
        f"/proposals/{proposal.pk}/consultations/", {"event": meeting.pk}, **HTMX
    )
    assert response.status_code == 200, response.text[:2000]
    assert Consultation.objects.get(proposal=proposal).event == meeting
    response = client_for(office).post(
        f"/proposals/{proposal.pk}/consultations/", {"event": draft.pk}, **HTMX
    )
    assert response.status_code == 400 and Consultation.objects.count() == 1


def test_the_tag_lists_only_the_proposals_its_reader_sees(meeting):
    office = office_staff()
    mine, theirs = MunicipalityFactory(name="Vize"), MunicipalityFactory(name="Enez")
    ours = ProposalFactory(lead=mine, state=State.CONSULTATION, title="Our idea")
    other = ProposalFactory(lead=theirs, state=State.CONSULTATION, title="Their idea")
    for proposal in (ours, other):
        services.schedule_consultation(proposal, office, event=meeting)
    services.schedule_consultation(
        ProposalFactory(lead=mine, state=State.CONSULTATION, title="Elsewhere"),
        office,
        held_at=timezone.now(),
    )
    member = TeamMembershipFactory(municipality=mine).user
    html = discussed(member, meeting)
    assert "Our idea" in html and "Vize" in html and f"/proposals/{ours.pk}/" in html
    assert "Their idea" not in html and "Elsewhere" not in html
    html = discussed(office, meeting)
    assert "Our idea" in html and "Their idea" in html and "Elsewhere" not in html
    outsider = TeamMembershipFactory(municipality=MunicipalityFactory()).user
    assert "No proposal you may see was discussed here." in discussed(outsider, meeting)


def test_the_meeting_page_includes_the_tag(meeting, client_for):
    office = office_staff()
    ours = ProposalFactory(lead=MunicipalityFactory(name="Vize"), state=State.CONSULTATION, title="Our idea")
    services.schedule_consultation(ours, office, event=meeting)
    page = client_for(office).get(f"/events/{meeting.pk}/")
    assert page.status_code == 200 and "Our idea" in page.text


def test_the_tag_query_count_does_not_grow(meeting, django_assert_num_queries):
    """One read of the consultations with their proposals and leads, at one or at five."""
    office = office_staff()

    def more(count):
        for _ in range(count):
            services.schedule_consultation(ProposalFactory(state=State.CONSULTATION), office, event=meeting)

    for before, after in ((0, 1), (1, 5)):
        more(after - before)
        with django_assert_num_queries(1):
            html = discussed(office, meeting)
        assert html.count("data-consultation=") == after
