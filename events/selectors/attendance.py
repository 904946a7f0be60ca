"""The attendance sheet of an event: per confirmed registration its marks, the sessions attended, their
hours, and whether that is enough for a certificate (in three queries, whatever the numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from events.models import Attendance, Certificate, Event, Registration, Session
from events.states import RegistrationState


@dataclass
class Line:
    registration: Registration
    total: int
    marks: list[Attendance] = field(default_factory=list)
    hours: Decimal = Decimal("0.0")
    certificate: Certificate | None = None

    @property
    def attended(self) -> int:
        return sum(1 for mark in self.marks if mark.present)

    @property
    def share(self) -> Decimal:
        return Decimal(100 * self.attended) / self.total if self.total else Decimal(0)

    def qualifies_at(self, percent: int) -> bool:
        # integers: 2 of 3 is 66.67 % and does not make 67 %
        return self.total > 0 and self.attended * 100 >= percent * self.total

    @property
    def qualifies(self) -> bool:
        return self.qualifies_at(self.registration.event.min_attendance_percent)


def attendance_sheet(event: Event) -> list[Line]:
    sessions = {s.pk: s for s in Session.objects.filter(event=event)}
    registrations = list(
        Registration.objects.filter(event=event, state=RegistrationState.CONFIRMED)
        .select_related("person", "municipality", "certificate")
        .order_by("person__last_name", "person__first_name", "id")
    )
    lines = {}
    for registration in registrations:
        registration.event = event
        lines[registration.pk] = Line(
            registration, total=len(sessions), certificate=getattr(registration, "certificate", None)
        )
    for mark in Attendance.objects.filter(registration__in=lines.keys()).order_by("session__starts_at"):
        line = lines[mark.registration_id]
        line.marks.append(mark)
        if mark.present and mark.session_id in sessions:
            line.hours += sessions[mark.session_id].hours
    return list(lines.values())
