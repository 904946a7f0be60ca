"""Calendar feeds: a person's private feed (`/feeds/<token>/calendar.ics`), the public feed of call
deadlines (`/feeds/calls.ics`), the panel on the account page and the renewal of the secret address.
Every feed is parsed with icalendar and its events asserted."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import services
from notifications.models import CalendarEntry, CalendarFeed
from tests.factories import (
    CallFactory,
    ExpertFactory,
    MunicipalityFactory,
    ProposalFactory,
    TeamMembershipFactory,
    UserProfileFactory,
    accepted,
    office_staff,
)
from tests.querycount import measure
from workflows.models import Consultation, ReviewAssignment, ReviewRound
from workflows.states import AssignmentState, State

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# Queries of one feed that has seen its events before: the feed with its owner, their language, their
# groups, the proposals, the reviews, the consultations, the event sessions and the revisions; a team
# member's memberships today (read once), the office's open and upcoming calls instead.
PRIVATE_QUERIES = {"team": 9, "office": 9}
PUBLIC_QUERIES = 2  # the open and upcoming calls, their revisions
ACCOUNT_QUERIES = 6  # the page's five (session, user, profile, groups, badge) and the feed's address


def brussels(days: int, hour: int = 17) -> datetime:
    """A deadline as funders state it: a whole hour in Brussels, `days` from today."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour), tzinfo=BRUSSELS)


def feed_url(user) -> str:
    return f"/feeds/{services.calendar_feed_of(user).token}/calendar.ics"


def fetch(url: str, **headers) -> icalendar.Calendar:
    """The feed as a calendar app reads it: no session, no cookie."""
    response = Client().get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """The events by UID, without the host (which is checked once, below)."""
    return {str(event["UID"]).split("@")[0]: event for event in calendar.events}


def reads(language: str, user):
    """The person's profile language, which their feed speaks (without one: the site's, Turkish)."""
    UserProfileFactory(user=user, language=language)
    return user


def team_member(municipality=None, *, language="en", **user):
    return reads(
        language, TeamMembershipFactory(municipality=municipality or MunicipalityFactory(), **user).user
    )


# --- what a feed holds ----------------------------------------------------------------------------
def test_a_team_member_gets_their_proposals_call_deadlines_and_no_other_teams():
    town = MunicipalityFactory()
    member = team_member(town, user__first_name="Elif", user__last_name="Kaya")
    shared = CallFactory(
        reference="ERASMUS-2027-KA2", title="Cooperation partnerships", deadline=brussels(40)
    )
    drafting = ProposalFactory(lead=town, call=shared, state=State.DRAFTING, acronym="MERIC", title="Flood")
    idea = ProposalFactory(lead=town, call=shared, state=State.IDEA, acronym="", title="Green squares")
    resubmittable = ProposalFactory(lead=town, call=CallFactory(), state=State.SUBMITTED)
    ProposalFactory(lead=town, call=CallFactory(), state=State.AWARDED)  # decided: nothing to meet
    ProposalFactory(lead=town, call=CallFactory(), state=State.WITHDRAWN)
    ProposalFactory(lead=town, call=None, state=State.IDEA)  # no call, no deadline
    other_team = ProposalFactory(call=CallFactory(), state=State.DRAFTING)
    CallFactory()  # open, but none of theirs: only the office has every open call

    calendar = fetch(feed_url(member))
    found = events(calendar)
    assert set(found) == {f"call-{shared.pk}-deadline", f"call-{resubmittable.call_id}-deadline"}
    assert f"call-{other_team.call_id}-deadline" not in found

    event = found[f"call-{shared.pk}-deadline"]  # one event for the call, listing both proposals
    assert str(event["UID"]) == f"call-{shared.pk}-deadline@testserver"
    assert str(event["SUMMARY"]) == "Deadline: ERASMUS-2027-KA2 – Cooperation partnerships"
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event.start == shared.deadline and event.start.utcoffset() == brussels(40).utcoffset()
    assert event.end == event.start  # a point in time
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["URL"]) == f"http://testserver/calls/{shared.pk}/"
    description = str(event["DESCRIPTION"])
    assert f"– {drafting}\n– {idea}" in description  # "MERIC – Flood", then "Green squares"
    assert f"The funder's deadline: {shared.in_funder_time(shared.deadline)}" in description
    assert description.endswith(f"http://testserver/calls/{shared.pk}/")
    assert sorted(alarm["TRIGGER"].dt for alarm in event.walk("VALARM")) == [
        timedelta(days=-7),
        timedelta(days=-1),
    ]
    assert "Europe/Brussels" in [zone.tz_name for zone in calendar.timezones]
    assert str(calendar["X-WR-CALNAME"]) == f"{settings.UNION_NAME} – Elif Kaya"
    assert event.sequence == 0 and event.last_modified == event.DTSTAMP


def test_the_stage_two_deadline_applies_once_invited_to_stage_two():
    town = MunicipalityFactory()
    member = team_member(town)
    call = CallFactory(is_two_stage=True, deadline=brussels(20), stage2_deadline=brussels(120, hour=12))
    ProposalFactory(lead=town, call=call, state=State.INVITED_STAGE2, acronym="STAGE", title="Two")
    ProposalFactory(lead=town, call=call, state=State.DRAFTING, acronym="ONE", title="Still in stage 1")
    found = events(fetch(feed_url(member)))
    assert set(found) == {f"call-{call.pk}-stage2", f"call-{call.pk}-deadline"}
    assert "STAGE – Two" in str(found[f"call-{call.pk}-stage2"]["DESCRIPTION"])
    assert "STAGE" not in str(found[f"call-{call.pk}-deadline"]["DESCRIPTION"])
    event = found[f"call-{call.pk}-stage2"]
    assert event.start == call.stage2_deadline and event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert str(event["SUMMARY"]) == f"Stage-2 deadline: {call}"


def test_a_reviewer_gets_due_dates_and_a_proposals_deadline_only_past_the_gate():
    office = office_staff()
    reviewer = reads("en", ExpertFactory().user)
    call = CallFactory(deadline=brussels(30))
    proposal = ProposalFactory(call=call, state=State.IN_REVIEW, acronym="GATE", title="Behind the gate")
    due = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)
    review_round = ReviewRound.objects.create(
        proposal=proposal, number=1, due_at=due, rubric_name="EU", opened_by=office
    )
    assignment = ReviewAssignment.objects.create(
        round=review_round, reviewer=reviewer, due_at=due, invited_by=office
    )
    url = feed_url(reviewer)

    found = events(fetch(url))
    assert set(found) == {f"review-{assignment.pk}"}  # invited: the brief only, no deadline of theirs
    event = found[f"review-{assignment.pk}"]
    assert str(event["SUMMARY"]) == "Review due: GATE – Behind the gate"
    assert event.start == due and event.end == due
    assert str(event["URL"]) == f"http://testserver/reviews/{assignment.pk}/"
    assert [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")] == [timedelta(days=-1)]

    accepted(assignment)  # past the gate: they see the proposal, and so its call's deadline
    assert set(events(fetch(url))) == {f"review-{assignment.pk}", f"call-{call.pk}-deadline"}

    ReviewAssignment.objects.filter(pk=assignment.pk).update(state=AssignmentState.SUBMITTED)
    assert set(events(fetch(url))) == {f"call-{call.pk}-deadline"}  # done: no due date any more


def test_consultations_they_attend_from_ninety_days_back_on_proposals_they_see():
    town = MunicipalityFactory()
    member = team_member(town)
    expert = office_staff(first_name="Deniz", last_name="Aydemir")
    proposal = ProposalFactory(lead=town, state=State.AWARDED, acronym="CONS", title="Talks")

    def consultation(days, *, team=(), experts=()):
        held = Consultation.objects.create(
            proposal=proposal, held_at=timezone.now() + timedelta(days=days), created_by=expert
        )
        held.team_participants.set(team)
        held.office_experts.set(experts)
        return held

    soon = consultation(3, team=[member], experts=[expert])
    recent = consultation(-80, team=[member])
    consultation(-100, team=[member])  # too long ago
    theirs = consultation(5, experts=[expert])  # the member does not attend this one

    found = events(fetch(feed_url(member)))
    assert set(found) == {f"consultation-{soon.pk}", f"consultation-{recent.pk}"}
    event = found[f"consultation-{soon.pk}"]
    assert str(event["SUMMARY"]) == "Consultation on CONS – Talks"
    assert event.end - event.start == timedelta(hours=1) and str(event["TRANSP"]) == "OPAQUE"
    assert str(event["URL"]) == f"http://testserver/proposals/{proposal.pk}/#consultations"
    expert_sees = {uid for uid in events(fetch(feed_url(expert))) if uid.startswith("consultation-")}
    assert expert_sees == {f"consultation-{soon.pk}", f"consultation-{theirs.pk}"}

    # left the team: the consultations go with the proposal
    member.team_memberships.update(ends_on=timezone.localdate() - timedelta(days=1))
    assert events(fetch(feed_url(member))) == {}


def test_the_office_gets_every_open_and_upcoming_call_and_the_proposals_they_coordinate():
    office = reads("en", office_staff())
    open_call = CallFactory(deadline=brussels(10))
    upcoming = CallFactory(opens_on=timezone.localdate() + timedelta(days=5), deadline=brussels(90))
    two_stage = CallFactory(is_two_stage=True, deadline=brussels(15), stage2_deadline=brussels(100))
    CallFactory(opens_on=timezone.localdate() - timedelta(days=90), deadline=brussels(-1))  # closed
    coordinated = ProposalFactory(call=open_call, coordinator=office, state=State.DRAFTING)
    ProposalFactory(call=open_call, state=State.DRAFTING)  # someone else's: not listed

    found = events(fetch(feed_url(office)))
    assert set(found) == {
        f"call-{open_call.pk}-deadline",
        f"call-{upcoming.pk}-deadline",
        f"call-{two_stage.pk}-deadline",
        f"call-{two_stage.pk}-stage2",
    }
    description = str(found[f"call-{open_call.pk}-deadline"]["DESCRIPTION"])
    assert f"– {coordinated}" in description and description.count("\n– ") == 1
    assert "Proposals you work on" not in str(found[f"call-{upcoming.pk}-deadline"]["DESCRIPTION"])


def test_the_public_feed_needs_no_sign_in_and_names_no_proposal():
    open_call = CallFactory(deadline=brussels(10))
    upcoming = CallFactory(opens_on=timezone.localdate() + timedelta(days=5), deadline=brussels(90))
    CallFactory(opens_on=timezone.localdate() - timedelta(days=90), deadline=brussels(-1))
    proposal = ProposalFactory(call=open_call, state=State.DRAFTING, title="A secret of the team")
    office = office_staff()

    response = Client().get("/feeds/calls.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=900"
    calendar = icalendar.Calendar.from_ical(response.content)
    found = events(calendar)
    assert set(found) == {f"call-{open_call.pk}-deadline", f"call-{upcoming.pk}-deadline"}
    assert proposal.title not in response.content.decode()
    assert str(calendar["X-WR-CALNAME"]) == f"{settings.UNION_NAME} – call deadlines"
    # the same events as in the office's private feed: same UIDs, same revisions
    private = events(fetch(feed_url(office)))
    for uid, event in found.items():
        assert (private[uid]["UID"], private[uid].sequence) == (event["UID"], event.sequence)


# --- updates in place -----------------------------------------------------------------------------
def test_uids_stay_and_the_sequence_moves_when_a_deadline_changes():
    town = MunicipalityFactory()
    member = team_member(town)
    call = CallFactory(deadline=brussels(30))
    ProposalFactory(lead=town, call=call, state=State.DRAFTING)
    url, uid = feed_url(member), f"call-{call.pk}-deadline"

    first, again = events(fetch(url))[uid], events(fetch(url))[uid]
    assert (again["UID"], again.sequence, again.DTSTAMP, again.last_modified) == (
        first["UID"],
        first.sequence,
        first.DTSTAMP,
        first.last_modified,
    )
    CalendarEntry.objects.filter(uid=uid).update(changed_at=timezone.now() - timedelta(hours=2))
    seen = events(fetch(url))[uid]

    # the funder extends the deadline, edited in the admin (calls keep no modification time)
    call.deadline = brussels(37)
    call.save()
    moved = events(fetch(url))[uid]
    assert moved["UID"] == first["UID"]
    assert moved.sequence == seen.sequence + 1
    assert moved.last_modified > seen.last_modified and moved.last_modified == moved.DTSTAMP
    assert moved.start == brussels(37)
    assert events(fetch(url))[uid].sequence == moved.sequence  # counted once
    assert events(fetch("/feeds/calls.ics"))[uid].sequence == moved.sequence


# --- the secret address ---------------------------------------------------------------------------
def test_a_feed_answers_with_its_token_alone_and_privately():
    member = team_member()
    feed = services.calendar_feed_of(member)
    assert len(feed.token) >= 43 and services.calendar_feed_of(member) == feed  # made once
    response = Client().get(feed_url(member))
    assert response["Cache-Control"] == "private, max-age=900"
    assert Client().post(feed_url(member)).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/unknown-token-unknown-token-unknown-token-abc/calendar.ics",
        "/feeds/bad%00token/calendar.ics",
        "/feeds/bad.token/calendar.ics",
        "/feeds//calendar.ics",
    ],
)
def test_an_unknown_address_is_404(path):
    team_member()
    assert Client().get(path).status_code == 404


def test_an_inactive_account_has_no_feed():
    member = team_member()
    url = feed_url(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_renewing_stops_the_old_address_at_once(client_for):
    member = team_member()
    old_url = feed_url(member)
    browser = client_for(member)
    page = browser.get("/account/").content.decode()
    assert f'value="http://testserver{old_url}" readonly' in page

    response = browser.post("/feeds/renew/", follow=True)
    assert response.redirect_chain == [("/account/#calendar-feed", 302)]
    new_url = feed_url(member)
    page = response.content.decode()
    assert new_url != old_url and f'value="http://testserver{new_url}" readonly' in page
    assert old_url not in page
    assert "The old one stopped working" in page and "Renewed on" in page
    assert Client().get(old_url).status_code == 404
    assert Client().get(new_url).status_code == 200
    assert CalendarFeed.objects.get(user=member).renewed_at is not None


def test_renewing_needs_a_post_with_the_csrf_token_by_the_person_signed_in(client_for):
    member = team_member()
    token = services.calendar_feed_of(member).token
    assert client_for(member, enforce_csrf_checks=True).post("/feeds/renew/").status_code == 403
    assert client_for(member).get("/feeds/renew/").status_code == 405
    response = Client().post("/feeds/renew/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert CalendarFeed.objects.get(user=member).token == token


def test_the_account_page_shows_the_panel_and_the_calendar_page_links_both_feeds(client_for):
    member = team_member()
    page = client_for(member).get("/account/").content.decode()
    assert 'id="calendar-feed"' in page and "Calendar feed" in page
    assert "Anyone who has this address sees these dates" in page
    assert "your review due dates, the consultations you attend and the events you are registered for" in page
    assert 'href="http://testserver/feeds/calls.ics"' in page
    assert 'action="/feeds/renew/"' in page and "Renew the address" in page
    office_page = client_for(office_staff()).get("/account/").content.decode()
    assert "Every open and upcoming call" in office_page

    calendar = client_for(member).get("/calls/calendar/").content.decode()
    assert 'href="/feeds/calls.ics"' in calendar and 'href="/account/#calendar-feed"' in calendar


# --- languages ------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["tr", "en"])
def test_texts_are_in_the_owners_language(language):
    town = MunicipalityFactory()
    member = team_member(town, language=language)
    call = CallFactory(deadline=brussels(30))
    proposal = ProposalFactory(lead=town, call=call, state=State.DRAFTING, acronym="DIL", title="Dil")
    held = Consultation.objects.create(
        proposal=proposal, held_at=timezone.now() + timedelta(days=2), created_by=office_staff()
    )
    held.team_participants.set([member])

    found = events(fetch(feed_url(member), HTTP_ACCEPT_LANGUAGE="en" if language == "tr" else "tr"))
    consultation = str(found[f"consultation-{held.pk}"]["SUMMARY"])
    deadline = str(found[f"call-{call.pk}-deadline"]["SUMMARY"])
    with translation.override(language):
        assert deadline == _("Deadline: %(call)s") % {"call": str(call)}
    if language == "tr":  # in the catalogue already; the feed's new texts follow when translated
        assert consultation == "İstişare: DIL – Dil"
    else:
        assert consultation == "Consultation on DIL – Dil"
        assert deadline == f"Deadline: {call}"


# --- query counts ---------------------------------------------------------------------------------
def feed_queries(url: str) -> tuple[int, int, int]:
    """(queries of a first fetch that records new events, of a repeat, the number of events)."""
    with CaptureQueriesContext(connection) as first:
        fetch(url)
    with CaptureQueriesContext(connection) as repeat:
        calendar = fetch(url)
    return len(first), len(repeat), len(calendar.events)


@pytest.mark.parametrize("role", ["team", "office"])
def test_a_private_feed_costs_the_same_for_one_and_five_of_everything(role):
    town = MunicipalityFactory()
    person = office_staff() if role == "office" else team_member(town)
    ExpertFactory(user=person)
    office = office_staff()
    other_call = CallFactory()  # open: in the office's feed, once whatever the size

    def add(count):
        """A proposal of theirs in a call of its own, a review due and a consultation attended."""
        for _index in range(count):
            ProposalFactory(
                lead=town,
                call=CallFactory(),
                state=State.DRAFTING,
                coordinator=person if role == "office" else None,
            )
            review_round = ReviewRound.objects.create(
                proposal=ProposalFactory(call=other_call, state=State.IN_REVIEW),
                number=1,
                due_at=timezone.now() + timedelta(days=9),
                rubric_name="EU",
                opened_by=office,
            )
            ReviewAssignment.objects.create(
                round=review_round, reviewer=person, due_at=review_round.due_at, invited_by=office
            )
            held = Consultation.objects.create(
                proposal=ProposalFactory(lead=town, call=other_call, state=State.AWARDED),
                held_at=timezone.now(),
                created_by=office,
            )
            (held.office_experts if role == "office" else held.team_participants).set([person])

    url = feed_url(person)
    constant = 1 if role == "office" else 0
    add(1)
    one = feed_queries(url)
    add(4)
    five = feed_queries(url)
    assert (one[2], five[2]) == (3 + constant, 15 + constant)
    assert one[:2] == five[:2], f"{one} for one of each, {five} for five"
    assert one[1] == PRIVATE_QUERIES[role]
    print(f"QUERIES private feed ({role}): first {one[0]}, then {one[1]}")


def test_the_public_feed_costs_the_same_for_one_and_five_calls():
    CallFactory()
    one = feed_queries("/feeds/calls.ics")
    CallFactory.create_batch(4)
    five = feed_queries("/feeds/calls.ics")
    assert (one[2], five[2]) == (1, 5)
    assert one[:2] == five[:2] and one[1] == PUBLIC_QUERIES
    print(f"QUERIES public feed: first {one[0]}, then {one[1]}")


def test_the_account_page_costs_the_same_with_one_and_five_of_everything():
    town = MunicipalityFactory()
    member = team_member(town)
    office = office_staff()

    def add(count):
        for _index in range(count):
            ProposalFactory(lead=town, call=CallFactory(), state=State.DRAFTING)
            held = Consultation.objects.create(
                proposal=ProposalFactory(lead=town), held_at=timezone.now(), created_by=office
            )
            held.team_participants.set([member])

    add(1)
    one = measure(member, "/account/")
    add(4)
    five = measure(member, "/account/")
    assert one.queries == five.queries == ACCOUNT_QUERIES, (one.sql, five.sql)
    assert services.calendar_feed_of(member).token in five.body
