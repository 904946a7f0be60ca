"""Capacity building: the events of `data.EVENTS`, written through the services as the office and the
members would on the pages: announced, registered for, attendance taken per day, held, certificates.

One thing is done by hand, as for the calls' deadlines: an event that was held is announced, registered
for and closed while it still lies ahead, then its days move to the past (the calendar, not anyone's
history); attendance and certificates follow, at their time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django_fsm_log.models import StateLog

from demo import data
from demo.loader.shared import Demo
from events.models import Certificate, Event, Registration, Session
from events.services import attendance, certificates, registrations
from events.services import events as event_services
from grants_office.members.models import Municipality
from workflows import services as proposal_services
from workflows.states import State

ZONE = ZoneInfo("Europe/Istanbul")
FIELDS = ("kind", "title_tr", "title_en", "description_tr", "description_en", "place", "online_url", "agenda")


def events(demo: Demo) -> None:
    teams = [demo.municipalities[key].pk for key in data.PROJECT_TEAMS]
    Municipality.objects.filter(pk__in=teams).update(has_project_team=True)  # the office, in the admin
    office = demo.users[data.K]
    for spec in data.EVENTS:
        _event(demo, office, spec)


def _sessions(spec: dict, first_day) -> list[dict]:
    start, end = (time.fromisoformat(hhmm) for hhmm in spec["hours"])
    days = [first_day + timedelta(days=n) for n in range(spec["days"])]
    return [
        {
            "title": f"{n + 1}. gün / Day {n + 1}" if spec["days"] > 1 else "",
            "starts_at": datetime.combine(day, start, ZONE),
            "ends_at": datetime.combine(day, end, ZONE),
        }
        for n, day in enumerate(days)
    ]


def _event(demo: Demo, office, spec: dict) -> None:
    held = spec.get("held", False)
    when = demo.moment(spec["start"])
    # a held event is first announced a month ahead (see the module's note)
    first_day = (demo.now + timedelta(days=30) if held else when).astimezone(ZONE).date()
    sessions = _sessions(spec, first_day)
    event = event_services.create_event(
        office,
        **{name: spec.get(name, "") for name in FIELDS},
        sessions=sessions,
        time_zone="Europe/Istanbul",
        capacity=spec.get("capacity"),
        seats_per_municipality=spec.get("seats_per_municipality"),
        audience=spec.get("audience", Event.Audience.ALL_MEMBERS),
        trains_project_managers=spec.get("trains_project_managers", False),
        registration_opens_at=demo.now - timedelta(days=2),
        registration_closes_at=sessions[0]["starts_at"] - timedelta(days=1),
        programmes=[demo.programmes[key] for key in spec["programmes"]],
        themes=[demo.themes[code] for code in spec["themes"]],
        trainers=[demo.users[name].expert_profile for name in spec.get("trainers", [])],
    )
    if spec.get("draft"):
        return
    event_services.transition_event(office, event, "open_registration")
    for username, by in spec["registrations"]:
        registrations.register(demo.users[by], event, person=demo.users[username])
    if not held:
        return
    event_services.transition_event(office, event, "close_registration")
    event = _to_the_past(
        event,
        datetime.combine(when.astimezone(ZONE).date(), time(), ZONE)
        - datetime.combine(first_day, time(), ZONE),
    )
    _attendance(demo, office, event, spec["present"])
    event_services.transition_event(office, event, "mark_held")
    issued = certificates.issue_certificates(office, event)
    Certificate.objects.filter(pk__in=[c.pk for c in issued]).update(
        issued_at=event.ends_at + timedelta(days=1)
    )
    for key, notes, actions in spec.get("discussed", []):
        _discussed(demo, office, event, key, notes, actions)


def _to_the_past(event: Event, shift: timedelta) -> Event:
    """Move the event, its sessions, registrations and log by `shift` (negative): the calendar."""
    moved = {"starts_at": F("starts_at") + shift, "ends_at": F("ends_at") + shift}
    Session.objects.filter(event=event).update(**moved)
    Event.objects.filter(pk=event.pk).update(
        **moved,
        registration_opens_at=F("registration_opens_at") + shift,
        registration_closes_at=F("registration_closes_at") + shift,
    )
    Registration.objects.filter(event=event).update(created_at=F("created_at") + shift)
    StateLog.objects.for_(event).update(timestamp=F("timestamp") + shift)
    return Event.objects.get(pk=event.pk)


def _attendance(demo: Demo, office, event: Event, present: dict[str, list[int]]) -> None:
    seats = {
        r.person.username: r.pk
        for r in event.registrations.select_related("person").filter(state="confirmed")
    }
    for day, session in enumerate(event.sessions.order_by("starts_at"), start=1):
        here = [pk for name, pk in seats.items() if day in present.get(name, [])]
        away = [pk for pk in seats.values() if pk not in here]
        attendance.record_attendance(office, event, session=session, present=here, absent=away)


def _discussed(demo: Demo, office, event: Event, key: str, notes: str, actions: str) -> None:
    proposal = demo.proposals[key]
    proposal.refresh_from_db()
    if proposal.state not in State.PREPARATION:
        return
    proposal_services.schedule_consultation(
        proposal,
        office,
        held_at=event.starts_at,
        event=event,
        notes=notes,
        agreed_actions=actions,
        office_experts=[trainer.user for trainer in event.trainers.select_related("user")],
        team_participants=[r.person for r in event.registrations.filter(municipality=proposal.lead)],
    )
