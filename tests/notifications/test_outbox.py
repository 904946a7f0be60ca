"""The outbox: an event commits with its change and is relayed once, whatever process dies when, and
a broker that is down does not hold up the write."""

import random
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from grants_office import celery as publishing
from grants_office.celery import app as celery_app
from notifications import outbox
from notifications.models import Notification, OutboxEvent
from tests.notifications.processes import require_postgres, run_script, start_script, stop, wait_for
from tests.ports import free_port
from workflows import services as workflow_services
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db(transaction=True)
TOLD_OF_REOPEN = ["coordinator", "partner", "teammate"]  # the lead reopens: everyone else concerned


def recipients():
    return sorted(Notification.objects.values_list("recipient__username", flat=True))


def ready(world):
    Proposal.objects.filter(pk=world["proposal"].pk).update(state=State.READY)
    return Proposal.objects.get(pk=world["proposal"].pk)


def later(minutes=1):
    return timezone.now() + timedelta(minutes=minutes)


def test_the_event_is_relayed_on_commit_and_a_second_relay_writes_nothing(world):
    workflow_services.perform_transition(ready(world), "reopen", world["lead"])

    event = OutboxEvent.objects.get()
    assert event.relayed_at is not None and event.attempts == 1
    assert recipients() == TOLD_OF_REOPEN
    # a redelivered task, or the sweep next to a live task: nothing more
    assert outbox.relay(event.pk) is False
    OutboxEvent.objects.filter(pk=event.pk).update(relayed_at=None)  # as if the mark had been lost
    assert outbox.relay(event.pk) is True
    assert recipients() == TOLD_OF_REOPEN


def test_a_failing_relay_keeps_the_event_for_later_with_its_error(world):
    event = OutboxEvent.objects.create(
        signal="proposal_transitioned", payload={"proposal": "not a reference"}
    )

    assert outbox.relay(event.pk) is False
    event.refresh_from_db()
    assert event.relayed_at is None and event.attempts == 1
    assert "TypeError" in event.last_error
    assert event.next_attempt_at > timezone.now()
    assert outbox.relay_waiting(now=later(0.5)) == 0  # not due yet: the backoff holds


def test_an_event_about_something_deleted_since_tells_nobody(world):
    proposal = world["proposal"]
    with transaction.atomic():
        # callbacks run in order: the proposal is gone when the relay is published
        transaction.on_commit(lambda: Proposal.objects.filter(pk=proposal.pk).delete())
        event = outbox.record("proposal_created", proposal=proposal, by=world["lead"])
    event.refresh_from_db()
    assert event.relayed_at is not None
    assert not Notification.objects.exists()


@pytest.mark.postgres
def test_a_process_killed_right_after_the_commit_loses_no_notification(world):
    require_postgres()
    proposal = ready(world)
    result = run_script(
        "import os, signal\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.db import transaction\n"
        "from workflows import services\n"
        "from workflows.models import Proposal\n"
        "with transaction.atomic():\n"
        "    # runs first after the commit: the process dies before the relay is published\n"
        "    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))\n"
        f"    services.perform_transition(Proposal.objects.get(pk={proposal.pk}), 'reopen',\n"
        f"        get_user_model().objects.get(pk={world['lead'].pk}))\n"
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]

    proposal.refresh_from_db()
    assert proposal.state == State.DRAFTING  # the move committed...
    event = OutboxEvent.objects.get()
    assert event.relayed_at is None  # ...and so did its event, which nobody relayed
    assert not Notification.objects.exists()

    assert outbox.relay_waiting(now=later()) == 1  # the sweep
    assert recipients() == TOLD_OF_REOPEN
    assert outbox.relay_waiting(now=later()) == 0
    assert recipients() == TOLD_OF_REOPEN


SWEEPER = (
    "import sys\n"
    "from datetime import timedelta\n"
    "from django.utils import timezone\n"
    "from notifications import outbox\n"
    "print('ready', flush=True)\n"
    "while outbox.relay_waiting(now=timezone.now() + timedelta(minutes=1), limit=10):\n"
    "    pass\n"
)


@pytest.mark.postgres
def test_relays_killed_at_random_moments_lose_nothing_and_double_nothing(world):
    require_postgres()
    count = 80
    reference = {"model": "workflows.proposal", "pk": world["proposal"].pk}
    lead = {"model": "auth.user", "pk": world["lead"].pk}
    payload = {"proposal": reference, "transition": "reopen", "source": "ready", "target": "drafting"}
    OutboxEvent.objects.bulk_create(
        OutboxEvent(signal="proposal_transitioned", payload={**payload, "by": lead}) for _ in range(count)
    )
    rng = random.Random(12)
    kills = 0
    for _ in range(12):
        if not OutboxEvent.objects.filter(relayed_at=None).exists():
            break
        process = start_script(SWEEPER)
        try:
            assert process.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.02, 0.3))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(10)
        finally:
            stop(process, signal.SIGKILL)
    # whatever is left, one undisturbed sweep finishes
    while outbox.relay_waiting(now=later()):
        pass

    assert kills >= 3
    assert not OutboxEvent.objects.filter(relayed_at=None).exists()
    per_event = Notification.objects.values_list("occasion", flat=True)
    assert len(per_event) == count * len(TOLD_OF_REOPEN)  # none lost, none twice
    assert len(set(per_event)) == count
    print(f"\n{count} events, {kills} sweepers killed, 0 lost, 0 doubled")


def _forget_connections():
    """Connections and producers of an earlier broker URL are not reused."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_process():
    """A real Redis on its own port as the broker, which the test may kill; no worker consumes it."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, f"redis://127.0.0.1:{port}/0"
    _forget_connections()
    try:
        assert wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ),
            10,
        )
        yield process
    finally:
        stop(process, signal.SIGKILL)
        conf.task_always_eager, conf.broker_url = saved
        _forget_connections()
        publishing._down_until = 0.0  # no publish back-off left for the tests that follow


def test_with_the_broker_down_a_write_does_not_wait_and_the_sweep_relays_it(world, broker_process):

    proposal = ready(world)
    workflow_services.perform_transition(proposal, "reopen", world["lead"])  # published to Redis
    assert OutboxEvent.objects.get().relayed_at is None  # no worker: waiting in the queue

    broker_process.kill()
    broker_process.wait(10)
    Proposal.objects.filter(pk=proposal.pk).update(state=State.READY)
    started = time.monotonic()
    workflow_services.perform_transition(Proposal.objects.get(pk=proposal.pk), "reopen", world["lead"])
    first = time.monotonic() - started
    Proposal.objects.filter(pk=proposal.pk).update(state=State.READY)
    started = time.monotonic()
    workflow_services.perform_transition(Proposal.objects.get(pk=proposal.pk), "reopen", world["lead"])
    second = time.monotonic() - started

    # no publish retries: the first write pays one refused connection, the next none (the backoff)
    assert first < 0.5 and second < 0.5, (first, second)
    assert publishing._down_until > time.monotonic()
    assert OutboxEvent.objects.filter(relayed_at=None).count() == 3
    assert not Notification.objects.exists()
    celery_app.conf.task_always_eager = True  # the sweep runs on a worker once the broker is back
    publishing._down_until = 0.0
    assert outbox.relay_waiting(now=later()) == 3
    assert Notification.objects.count() == 3 * len(TOLD_OF_REOPEN)
