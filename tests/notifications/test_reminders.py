"""Call deadline reminders: 30, 14, 7 and 1 days before, each exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grants_office.calls.models import Call
from notifications import kinds, reminders, services
from notifications.models import Notification
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db


def deadline_in(world, delta):
    now = timezone.now()
    Call.objects.filter(pk=world["call"].pk).update(deadline=now + delta)
    return now


def reminder_rows():
    return Notification.objects.filter(kind=kinds.CALL_DEADLINE)


def test_two_scans_write_one_reminder_per_person(world, django_capture_on_commit_callbacks):
    now = deadline_in(world, timedelta(days=6, hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.scan_reminders(now)
        second = services.scan_reminders(now + timedelta(minutes=15))
    assert first == 4 and second == 0
    assert sorted(reminder_rows().values_list("recipient__username", flat=True)) == [
        "coordinator",
        "lead",
        "partner",
        "teammate",
    ]
    assert set(reminder_rows().values_list("occasion", flat=True)) == {
        reminders.occasion(Call.objects.get().deadline, 7)
    }
    assert len(mail.outbox) == 4


def test_one_reminder_per_offset_over_the_whole_run_up(world):
    deadline = timezone.now() + timedelta(days=40)
    Call.objects.filter(pk=world["call"].pk).update(deadline=deadline)
    # every 15 minutes... sampled every 6 hours from 40 days before to after the deadline, scanned twice
    moment = deadline - timedelta(days=40)
    while moment < deadline + timedelta(days=2):
        services.scan_reminders(moment)
        services.scan_reminders(moment)
        moment += timedelta(hours=6)
    lead_rows = reminder_rows().filter(recipient=world["lead"]).order_by("created_at")
    assert [row.occasion.rsplit(" ", 1)[1] for row in lead_rows] == ["-30d", "-14d", "-7d", "-1d"]
    assert reminder_rows().count() == 4 * 4


def test_scan_after_the_deadline_writes_nothing(world):
    now = deadline_in(world, -timedelta(minutes=1))
    assert services.scan_reminders(now) == 0
    assert not reminder_rows().exists()


def test_scan_far_from_the_deadline_writes_nothing(world):
    now = deadline_in(world, timedelta(days=31))
    assert services.scan_reminders(now) == 0


def test_late_proposal_gets_only_the_nearest_reminder(world):
    now = deadline_in(world, timedelta(days=3))
    services.scan_reminders(now)
    assert set(reminder_rows().values_list("occasion", flat=True)) == {
        reminders.occasion(Call.objects.get().deadline, 7)
    }
    lead_row = reminder_rows().get(recipient=world["lead"])
    assert lead_row.language == "tr"
    assert "3" in lead_row.title


@pytest.mark.parametrize("state", [State.SUBMITTED, State.WITHDRAWN, State.EXPIRED])
def test_no_reminder_for_proposals_past_preparation(world, state):
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=state)
    now = deadline_in(world, timedelta(days=1))
    assert services.scan_reminders(now) == 0


def test_soft_deleted_proposal_gets_no_reminder(world):
    Proposal.objects.filter(pk=world["proposal"].pk).update(deleted_at=timezone.now())
    now = deadline_in(world, timedelta(days=1))
    assert services.scan_reminders(now) == 0


def test_moved_deadline_reminds_again(world):
    now = deadline_in(world, timedelta(days=6))
    services.scan_reminders(now)
    deadline_in(world, timedelta(days=6, hours=5))  # the funder extends the deadline
    services.scan_reminders(now)
    assert reminder_rows().filter(recipient=world["lead"]).count() == 2


def test_scan_that_died_half_way_is_completed_once(world, django_capture_on_commit_callbacks):
    """A scan killed after writing some reminders: the next one writes the rest, nothing twice."""
    second = Proposal.objects.get(pk=world["proposal"].pk)
    second.pk = None
    second.id = None
    second.document_set = None
    second.save()
    now = deadline_in(world, timedelta(days=13))

    due = list(reminders.call_deadlines(now))
    assert len(due) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(due[0])  # ...and the worker dies here
        services.scan_reminders(now)  # the next scan (or the redelivered task)
        services.scan_reminders(now)

    # lead, teammate, partner, coordinator on the first; no partner on the copy
    assert reminder_rows().count() == 4 + 3
    assert reminder_rows().values("recipient", "object_id", "occasion").distinct().count() == 7
    assert len(mail.outbox) == 7


def test_notify_twice_with_the_same_occasion_is_harmless(world):
    now = deadline_in(world, timedelta(days=1))
    event = next(iter(reminders.call_deadlines(now)))
    services.notify(event)
    services.notify(event)
    assert reminder_rows().count() == 4


def test_offsets_come_from_settings(world, settings):
    settings.NOTIFICATIONS_DEADLINE_OFFSETS = [3]
    now = deadline_in(world, timedelta(days=6))
    assert services.scan_reminders(now) == 0
    assert services.scan_reminders(now + timedelta(days=3, minutes=1)) == 4
