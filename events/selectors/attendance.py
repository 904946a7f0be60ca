"""The attendance sheet of an event: per confirmed registration its mark at each session, the sessions
attended, their share and hours, whether that earns a certificate and whether one was issued — in three
queries whatever the numbers of people and sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from events.models import Attendance, Certificate, Event, Registration, Session
from events.states import RegistrationState


def qualifies(attended: int, total: int, percent: int) -> bool:
    """Whether `attended` of `total` sessions reach `percent` %: in integers, so 2 of 3 (66.7 %) makes
    66 % and not 67 %; an event without sessions earns nobody a certificate."""
    return total > 0 and attended * 100 >= percent * total


@dataclass
class Line:
    """One confirmed registration on the sheet. `marks` are its Attendance rows (by session start),
    `session_marks` its mark at each session of the sheet: True, False or None (not marked yet)."""

    registration: Registration
    total: int
    marks: list[Attendance] = field(default_factory=list)
    session_marks: list[bool | None] = field(default_factory=list)
    hours: Decimal = Decimal("0.0")
    certificate: Certificate | None = None

    @property
    def person(self):
        return self.registration.person

    @property
    def municipality(self):
        return self.registration.municipality

    @property
    def attended(self) -> int:
        return sum(1 for mark in self.marks if mark.present)

    @property
    def share(self) -> Decimal:
        """The share of the sessions attended, in per cent (one decimal)."""
        if not self.total:
            return Decimal("0.0")
        return (Decimal(100 * self.attended) / self.total).quantize(Decimal("0.1"))

    @property
    def qualifies(self) -> bool:
        return qualifies(self.attended, self.total, self.registration.event.min_attendance_percent)

    @property
    def has_certificate(self) -> bool:
        return self.certificate is not None


class AttendanceSheet(list):
    """The lines (a list, in the order of the people's names) with the event's sessions in order, which
    each line's `session_marks` follow."""

    def __init__(self, lines, sessions: list[Session]):
        super().__init__(lines)
        self.sessions = sessions


def attendance_sheet(event: Event) -> AttendanceSheet:
    sessions = list(Session.objects.filter(event=event).order_by("starts_at", "id"))
    registrations = (
        Registration.objects.filter(event=event, state=RegistrationState.CONFIRMED)
        .select_related("person", "municipality", "certificate")
        .order_by("person__last_name", "person__first_name", "id")
    )
    lines: dict[int, Line] = {}
    for registration in registrations:
        registration.event = event  # the line's threshold, without a query per line
        lines[registration.pk] = Line(
            registration,
            total=len(sessions),
            session_marks=[None] * len(sessions),
            certificate=getattr(registration, "certificate", None),  # None: a reverse one-to-one missing
        )
    position = {session.pk: index for index, session in enumerate(sessions)}
    marks = Attendance.objects.filter(registration__in=list(lines), session__event=event).order_by(
        "session__starts_at", "session_id"
    )
    for mark in marks:
        line = lines[mark.registration_id]
        line.marks.append(mark)
        line.session_marks[position[mark.session_id]] = mark.present
        if mark.present:
            line.hours += sessions[position[mark.session_id]].hours
    return AttendanceSheet(lines.values(), sessions)
