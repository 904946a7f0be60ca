"""Calendar feeds (iCalendar, RFC 5545, written by icalendar): a person's private feed and the public
feed of call deadlines; the reads and the text. The pages are `notifications.feed_views`.

A private feed holds, read afresh on every request:
- the deadline that applies (`Proposal.deadline`: stage 2 has its own) of each call the person's
  proposals are in (`workflows.selectors.my_proposals`: their teams' and those they review past the
  gate; for office staff, those they coordinate) while those are before submission or may be
  resubmitted: one event per call and deadline, listing the proposals;
- their review due dates (assignments invited or accepted);
- the consultations they attend, from 90 days back, on proposals they see;
- for office staff, every open or upcoming call's deadlines, as the public feed has them;
- the sessions, from 90 days back, of the announced events they are registered for (waiting or not)
  or train at, at their times in the event's zone; a cancelled one marked STATUS:CANCELLED.
Deadlines are points in time in the funder's zone (TZID, with a VTIMEZONE for each zone used). Every
event keeps its UID (`call-<id>-deadline@<host>`, `call-<id>-stage2@…`, `review-<id>@…`,
`consultation-<id>@…`, `event-<id>-session-<id>@…`), and its SEQUENCE, DTSTAMP and LAST-MODIFIED
come from `CalendarEntry`, so calendar apps update it in place when it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from events.models import Event as TrainingEvent
from events.models import Registration, Session
from events.states import EventState, RegistrationState
from grants_office.calls.models import Call
from grants_office.core.errors import NotFound
from grants_office.core.people import display_name
from grants_office.members.permissions import is_office_staff
from notifications import selectors, services
from notifications.models import CalendarEntry, CalendarFeed
from workflows.models import Consultation, Proposal, ReviewAssignment
from workflows.selectors import my_proposals, proposals_visible_to
from workflows.states import AssignmentState, State

CONSULTATIONS_SINCE = timedelta(days=90)
CONSULTATION_LENGTH = timedelta(hours=1)  # a consultation keeps no end: an hour holds its place
DEADLINE_ALARMS = (timedelta(days=7), timedelta(days=1))
REVIEW_ALARMS = (timedelta(days=1),)
REFRESH = timedelta(hours=1)  # what the feed asks calendar apps for; answers are cached 15 minutes
ZONE_MARGIN = timedelta(days=30)  # each VTIMEZONE covers the events and their alarms


@dataclass(frozen=True)
class Site:
    """Where a feed is read: the host its UIDs end in and the start of its absolute links."""

    host: str
    base: str

    @classmethod
    def of(cls, request) -> Site:
        host = request.get_host()
        return cls(host=split_domain_port(host)[0] or host, base=request.build_absolute_uri("/").rstrip("/"))


@dataclass(frozen=True)
class Entry:
    """One event as the feed writes it; `says` is what it tells, in no language: a change of it
    counts the event's SEQUENCE up."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    path: str
    says: tuple
    alarms: tuple = ()
    busy: bool = False
    location: str = ""
    cancelled: bool = False

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self.says).encode()).hexdigest()


@dataclass
class CallDeadline:
    """One deadline of one call (its own or its stage-2 one) and the person's proposals that face it."""

    call: Call
    stage2: bool
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def moment(self) -> datetime | None:
        return self.call.stage2_deadline if self.stage2 else self.call.deadline


def feed_by_token(token: str) -> CalendarFeed:
    """The feed at this secret address, if its owner's account is active; `NotFound` otherwise."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise NotFound(_("Not found."))
    return feed


def holds(office: bool) -> str:
    """What a private feed holds, as the account page and the feed itself describe it."""
    if office:
        return _(
            "Every open and upcoming call's deadline, the deadlines of the calls your proposals are in, "
            "your review due dates, the consultations you attend and the events you are registered for "
            "or train at."
        )
    return _(
        "The deadlines of the calls your proposals are in, your review due dates, the consultations "
        "you attend and the events you are registered for or train at."
    )


# --- the feeds ---------------------------------------------------------------------------------------
def private_calendar(feed: CalendarFeed, site: Site) -> bytes:
    """The owner's feed, in their language; the times its descriptions name in their time zone."""
    user = feed.user
    personal = selectors.personal_settings(user)
    office = is_office_staff(user)
    with translation.override(personal.language):
        deadlines = _proposal_deadlines(user)
        if office:
            _add_published_deadlines(deadlines)
        entries = [
            *(_deadline_entry(item) for item in deadlines.values()),
            *_review_entries(user, personal.time_zone),
            *_consultation_entries(user, personal.time_zone),
            *_event_entries(user),
        ]
        name = _("%(union)s – %(person)s") % {"union": settings.UNION_NAME, "person": display_name(user)}
        return _calendar(entries, site, name=name, description=holds(office), uid=f"feed-{feed.pk}")


def calls_calendar(site: Site) -> bytes:
    """The public feed: the deadlines of open and upcoming calls, in the reader's language."""
    deadlines: dict[tuple[int, bool], CallDeadline] = {}
    _add_published_deadlines(deadlines)
    return _calendar(
        [_deadline_entry(item) for item in deadlines.values()],
        site,
        name=_("%(union)s – call deadlines") % {"union": settings.UNION_NAME},
        description=_("The deadlines of open and upcoming calls for proposals."),
        uid="calls",
    )


# --- what goes in ------------------------------------------------------------------------------------
def _proposal_deadlines(user) -> dict[tuple[int, bool], CallDeadline]:
    """The deadline each of the person's proposals faces, gathered per call (one query)."""
    proposals = my_proposals(user).filter(
        state__in=[*State.BEFORE_SUBMISSION, *State.RESUBMITTABLE], call__isnull=False
    )
    deadlines: dict[tuple[int, bool], CallDeadline] = {}
    for proposal in proposals.order_by("pk"):
        item = CallDeadline(proposal.call, proposal.works_to_stage2)
        if item.moment is not None:
            deadlines.setdefault((item.call.pk, item.stage2), item).proposals.append(proposal)
    return deadlines


def _add_published_deadlines(deadlines: dict[tuple[int, bool], CallDeadline]) -> None:
    """Every open or upcoming call's deadline, and its stage-2 one (one query)."""
    upcoming = Call.objects.filter(opens_on__gt=timezone.localdate())
    for call in (Call.objects.open() | upcoming).select_related("programme"):
        deadlines.setdefault((call.pk, False), CallDeadline(call, False))
        if call.stage2_deadline is not None:
            deadlines.setdefault((call.pk, True), CallDeadline(call, True))


def _deadline_entry(item: CallDeadline) -> Entry:
    call, moment = item.call, item.moment.astimezone(item.call.funder_tz)
    name = str(call)
    summary = _("Stage-2 deadline: %(call)s") if item.stage2 else _("Deadline: %(call)s")
    lines = [
        call.programme.name,
        _("The funder's deadline: %(deadline)s") % {"deadline": call.in_funder_time(moment)},
    ]
    if item.proposals:
        lines += [_("Proposals you work on in this call:"), *(f"– {proposal}" for proposal in item.proposals)]
    return Entry(
        uid=f"call-{call.pk}-{'stage2' if item.stage2 else 'deadline'}",
        start=moment,
        end=moment,
        summary=summary % {"call": name},
        description="\n".join(lines),
        path=reverse("calls:detail", args=[call.pk]),
        says=(moment.isoformat(), call.deadline_timezone, name),
        alarms=DEADLINE_ALARMS,
    )


def _when(moment: datetime, zone) -> str:
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def _review_entries(user, zone) -> list[Entry]:
    """The person's reviews still to be done, each at its due time (one query)."""
    assignments = ReviewAssignment.objects.filter(
        reviewer=user, state__in=AssignmentState.AWAITING, round__proposal__deleted_at__isnull=True
    ).select_related("round__proposal")
    entries = []
    for assignment in assignments:
        proposal, due = str(assignment.round.proposal), assignment.due_at
        entries.append(
            Entry(
                uid=f"review-{assignment.pk}",
                start=due,
                end=due,
                summary=_("Review due: %(proposal)s") % {"proposal": proposal},
                description=_("Your review of “%(proposal)s” is due on %(due)s.")
                % {"proposal": proposal, "due": _when(due, zone)},
                path=reverse("workflows:review-assignment", args=[assignment.pk]),
                says=(due.isoformat(), proposal),
                alarms=REVIEW_ALARMS,
            )
        )
    return entries


def _attended_by(user) -> Q:
    experts, team = Consultation.office_experts.through, Consultation.team_participants.through
    return Q(pk__in=experts.objects.filter(user_id=user.pk).values("consultation_id")) | Q(
        pk__in=team.objects.filter(user_id=user.pk).values("consultation_id")
    )


def _consultation_entries(user, zone) -> list[Entry]:
    """Consultations the person attends on proposals they still see, from 90 days back (one query)."""
    consultations = Consultation.objects.filter(
        _attended_by(user),
        held_at__gte=timezone.now() - CONSULTATIONS_SINCE,
        proposal__in=proposals_visible_to(user).values("pk"),
    ).select_related("proposal")
    entries = []
    for consultation in consultations:
        proposal, held_at = str(consultation.proposal), consultation.held_at
        entries.append(
            Entry(
                uid=f"consultation-{consultation.pk}",
                start=held_at,
                end=held_at + CONSULTATION_LENGTH,
                summary=_("Consultation on %(proposal)s") % {"proposal": proposal},
                description=_("A consultation on “%(proposal)s” is scheduled for %(held_at)s.")
                % {"proposal": proposal, "held_at": _when(held_at, zone)},
                path=reverse("workflows:proposal", args=[consultation.proposal_id]) + "#consultations",
                says=(held_at.isoformat(), proposal),
                busy=True,
            )
        )
    return entries


def _event_sessions(user):
    """The sessions, from 90 days back, of the announced events (no drafts) the person holds a live
    registration for or trains at, each with the state of theirs (one query, and one for programmes)."""
    registrations = Registration.objects.filter(person_id=user.pk, state__in=RegistrationState.LIVE)
    mine = registrations.filter(event_id=OuterRef("event_id")).values("state")[:1]
    trains = TrainingEvent.trainers.through.objects.filter(expertprofile__user_id=user.pk)
    return (
        Session.objects.filter(
            Q(event_id__in=registrations.values("event_id")) | Q(event_id__in=trains.values("event_id")),
            event__state__in=EventState.PUBLISHED,
            ends_at__gte=timezone.now() - CONSULTATIONS_SINCE,
        )
        .annotate(registration_state=Subquery(mine))
        .select_related("event")
        .prefetch_related("event__programmes")
        .order_by("starts_at", "pk")
    )


def _event_lines(event: TrainingEvent, state: str | None) -> list[str]:
    """What the description says: kind, programmes, the reader's place (or that they train), the link."""
    lines = [str(event.get_kind_display()), ", ".join(str(p) for p in event.programmes.all())]
    if state:
        lines.append(_("Your registration: %(state)s") % {"state": RegistrationState(state).label})
    else:
        lines.append(_("You train at this event."))
    if event.state == EventState.CANCELLED:
        lines.append(_("Cancelled: %(reason)s") % {"reason": event.cancellation_reason})
    return [line for line in [*lines, event.online_url] if line]


def _event_entries(user) -> list[Entry]:
    """One busy calendar event per session at its times in the event's zone; a cancelled event stays,
    marked cancelled, so calendars take it off."""
    entries = []
    for session in _event_sessions(user):
        event = session.event
        title = f"{event.title} – {session.title}" if session.title else event.title
        entries.append(
            Entry(
                uid=f"event-{event.pk}-session-{session.pk}",
                start=session.starts_at.astimezone(event.tz),
                end=session.ends_at.astimezone(event.tz),
                summary=title,  # the owner's language
                description="\n".join(_event_lines(event, session.registration_state)),
                path=reverse("events:event", args=[event.pk]),
                # alike for every reader and language: the entry's revision is shared
                says=(
                    session.starts_at.isoformat(),
                    session.ends_at.isoformat(),
                    event.time_zone,
                    event.title_tr,
                    event.title_en,
                    session.title,
                    event.place,
                    event.online_url,
                    event.state,
                ),
                busy=True,
                location=event.place or event.online_url,
                cancelled=event.state == EventState.CANCELLED,
            )
        )
    return entries


# --- the text ----------------------------------------------------------------------------------------
def _calendar(entries: list[Entry], site: Site, *, name: str, description: str, uid: str) -> bytes:
    revisions = services.calendar_revisions({entry.uid: entry.fingerprint for entry in entries})
    calendar = icalendar.Calendar.new(
        name=name,
        description=description,
        prodid=f"-//{settings.UNION_NAME}//grants_office//{translation.get_language().upper()}",
        uid=f"{uid}@{site.host}",
        refresh_interval=REFRESH,
    )
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))  # REFRESH-INTERVAL as Outlook reads it
    for entry in sorted(entries, key=lambda entry: (entry.start, entry.uid)):
        calendar.add_component(_event(entry, revisions[entry.uid], site))
    if entries:
        calendar.add_missing_timezones(
            first_date=(min(entry.start for entry in entries) - ZONE_MARGIN).date(),
            last_date=(max(entry.end for entry in entries) + ZONE_MARGIN).date(),
        )
    return calendar.to_ical()


def _event(entry: Entry, revision: CalendarEntry, site: Site) -> icalendar.Event:
    url = f"{site.base}{entry.path}"
    changed = revision.changed_at.astimezone(UTC)
    event = icalendar.Event.new(
        uid=f"{entry.uid}@{site.host}",
        summary=entry.summary,
        description=f"{entry.description}\n\n{url}",
        start=entry.start,
        end=entry.end,
        url=url,
        sequence=revision.sequence,
        stamp=changed,
        last_modified=changed,
    )
    event.add("TRANSP", "OPAQUE" if entry.busy else "TRANSPARENT")  # a deadline takes no time
    if entry.location:
        event.add("LOCATION", entry.location)
    if entry.cancelled:
        event.add("STATUS", "CANCELLED")  # calendars strike it out or remove it
    for before in entry.alarms:
        alarm = icalendar.Alarm.new(description=entry.summary)
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", -before)
        event.add_component(alarm)
    return event
