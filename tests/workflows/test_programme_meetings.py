"""A programme meeting with the experts of one grant programme: the consultations held there show on
each proposal that took part, and the meeting's page lists the proposals each reader may see."""

import pytest

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
from workflows import services
from workflows.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return EventFactory(kind=Event.Kind.PROGRAMME_MEETING, title_en="IPA experts' day", state=EventState.HELD)


def test_a_consultation_held_at_the_meeting_shows_on_the_proposal(meeting, client_for):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    consultation = services.schedule_consultation(proposal, office, event=meeting, notes="Budget too high.")
    assert consultation.held_at == meeting.starts_at
    page = client_for(office).get(f"/proposals/{proposal.pk}/")
    assert f'href="/events/{meeting.pk}/"' in page.text and "IPA experts" in page.text
    body = client_for(office).get(f"/api/v1/proposals/{proposal.pk}/consultations/").json()
    assert body[0]["event"] == meeting.pk


def test_only_an_announced_programme_meeting_may_be_named(client_for):
    office = office_staff()
    proposal = ProposalFactory(state=State.CONSULTATION)
    for event in (
        EventFactory(kind=Event.Kind.TRAINING),
        EventFactory(kind=Event.Kind.PROGRAMME_MEETING, state=EventState.DRAFT),
    ):
        with pytest.raises(Invalid) as error:
            services.schedule_consultation(proposal, office, event=event)
        assert "event" in error.value.fields


def test_the_meeting_page_lists_only_the_proposals_its_reader_sees(meeting, client_for):
    office = office_staff()
    mine, theirs = MunicipalityFactory(name="Vize"), MunicipalityFactory(name="Enez")
    ours = ProposalFactory(lead=mine, state=State.CONSULTATION, title="Our idea")
    other = ProposalFactory(lead=theirs, state=State.CONSULTATION, title="Their idea")
    for proposal in (ours, other):
        services.schedule_consultation(proposal, office, event=meeting)
    member = TeamMembershipFactory(municipality=mine).user
    page = client_for(member).get(f"/events/{meeting.pk}/")
    assert "Our idea" in page.text and "Their idea" not in page.text
    page = client_for(office).get(f"/events/{meeting.pk}/")
    assert "Our idea" in page.text and "Their idea" in page.text
