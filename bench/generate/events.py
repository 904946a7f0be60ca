"""Capacity building over the years: camps, trainings and info days with their sessions, the teams'
registrations (confirmed, on the waiting list, refused, cancelled), attendance of the held ones and the
certificates it earned, shaped as the events services leave them (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bench.generate.bulk import bulk, copy_rows, reserve_ids
from events.models import CODE_ALPHABET, CODE_LENGTH, Attendance, Certificate, Event, Registration, Session
from events.states import EventState, RegistrationState

if TYPE_CHECKING:
    from bench.generate.driver import Generator

KINDS = (
    [Event.Kind.TRAINING] * 4
    + [Event.Kind.PROJECT_CAMP] * 2
    + [Event.Kind.INFO_DAY, Event.Kind.ONLINE_SESSION]
)
# Most events lie in the past; the rest are announced or still drafts.
PAST = 0.85


def events(gen: Generator) -> int:
    rows, sessions = [], []
    for i in range(gen.scale.events):
        past = gen.rng.random() < PAST
        starts = gen.now + (-1 if past else 1) * timedelta(days=gen.rng.randint(3, 3_000 if past else 120))
        starts = starts.replace(hour=9, minute=0, second=0, microsecond=0)
        days = gen.rng.choice([1, 1, 2, 3, 5])
        state = (
            (EventState.ARCHIVED if gen.rng.random() < 0.7 else EventState.HELD)
            if past
            else gen.rng.choice([EventState.OPEN, EventState.OPEN, EventState.CLOSED, EventState.DRAFT])
        )
        if gen.rng.random() < 0.03:
            state = EventState.CANCELLED
        rows.append(
            Event(
                kind=gen.rng.choice(KINDS),
                title_tr=f"Eğitim {i:05d} proje yazımı",
                title_en=f"Training {i:05d} proposal writing",
                starts_at=starts,
                ends_at=starts + timedelta(days=days - 1, hours=8),
                time_zone="Europe/Istanbul",
                place=f"Salon {i % 40}",
                capacity=gen.rng.choice([20, 30, 40, 60]),
                seats_per_municipality=gen.rng.choice([None, 2, 3]),
                registration_opens_at=starts - timedelta(days=40),
                registration_closes_at=starts - timedelta(days=3),
                state=state,
                cancellation_reason="Yeterli katılım yok." if state == EventState.CANCELLED else "",
                trains_project_managers=i % 3 == 0,
                created_by=gen.rng.choice(gen.office),
                created_at=starts - timedelta(days=60),
            )
        )
    made = bulk(Event, rows)
    for event in made:
        days = (event.ends_at - event.starts_at).days + 1
        for day in range(days):
            start = event.starts_at + timedelta(days=day)
            sessions.append(
                Session(
                    event=event, title=f"Gün {day + 1}", starts_at=start, ends_at=start + timedelta(hours=8)
                )
            )
    sessions = bulk(Session, sessions)
    by_event: dict[int, list] = {}
    for session in sessions:
        by_event.setdefault(session.event_id, []).append(session)
    return len(made) + len(sessions) + _registrations(gen, made, by_event)


def _registrations(gen: Generator, made, by_event) -> int:
    """Seats of the announced events, the waiting list where one filled up; attendance and certificates
    where the event was held (a certificate for attending at least 80 % of the sessions)."""
    teams = [(municipality, people) for municipality, people in gen.team_of_municipality.items() if people]
    registrations, attendance, certificates = [], [], []
    first = reserve_ids(Registration, sum(e.capacity + 5 for e in made if e.state != EventState.DRAFT))
    next_id = first
    for event in made:
        if event.state == EventState.DRAFT:
            continue
        held = event.state in (EventState.HELD, EventState.ARCHIVED)
        wanted = event.capacity + gen.rng.randint(-event.capacity // 2, 5)
        taken = set()
        for n in range(wanted):
            municipality, people = teams[gen.rng.randrange(len(teams))]
            person = gen.rng.choice(people)
            if person.pk in taken:
                continue
            taken.add(person.pk)
            state = RegistrationState.CONFIRMED if n < event.capacity else RegistrationState.WAITLISTED
            if held and state == RegistrationState.WAITLISTED:
                state = RegistrationState.CANCELLED
            elif gen.rng.random() < 0.05:
                state = gen.rng.choice([RegistrationState.CANCELLED, RegistrationState.REFUSED])
            at = event.registration_opens_at + timedelta(hours=gen.rng.randint(1, 800))
            decided = at if state in (RegistrationState.CONFIRMED, RegistrationState.REFUSED) else None
            reason = "Kontenjan dolu." if state == RegistrationState.REFUSED else ""
            cancelled = at + timedelta(days=1) if state == RegistrationState.CANCELLED else None
            registrations.append(
                (
                    next_id,
                    event.pk,
                    person.pk,
                    municipality,
                    person.pk,
                    state,
                    at,
                    decided,
                    reason,
                    cancelled,
                    None,
                )
            )
            if held and state == RegistrationState.CONFIRMED:
                present = [gen.rng.random() < 0.9 for _ in by_event[event.pk]]
                for session, here in zip(by_event[event.pk], present, strict=True):
                    attendance.append((session.pk, next_id, here, event.created_by_id, session.ends_at))
                if sum(present) * 100 >= 80 * len(present):
                    code = "".join(gen.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                    hours = Decimal(8 * sum(present))
                    issued = event.ends_at + timedelta(days=2)
                    certificates.append(
                        (
                            next_id,
                            code,
                            f"Ad Soyad {person.pk}",
                            sum(present),
                            len(present),
                            hours,
                            issued,
                            event.created_by_id,
                            "",
                        )
                    )
            next_id += 1
    fields = ["id", "event", "person", "municipality", "registered_by", "state", "created_at", "decided_at"]
    copy_rows(Registration, [*fields, "refusal_reason", "cancelled_at", "moved_to"], registrations)
    copy_rows(Attendance, ["session", "registration", "present", "marked_by", "marked_at"], attendance)
    copy_rows(
        Certificate,
        [
            "registration",
            "code",
            "holder_name",
            "sessions_attended",
            "sessions_total",
            "hours",
            "issued_at",
            "issued_by",
            "revocation_reason",
        ],
        certificates,
    )
    return len(registrations) + len(attendance) + len(certificates)
