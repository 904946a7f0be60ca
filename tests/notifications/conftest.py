"""Fixtures of the notifications tests: a small world of people around one proposal, and a real
Celery worker on Redis (REDIS_URL) for the tests that need one."""

import asyncio
import os
import threading
from datetime import timedelta
from email import message_from_bytes

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from grants_office.celery import app as celery_app
from grants_office.members.models import TeamMembership
from tests import factories
from tests.ports import free_port
from workflows.models import ProposalPartner
from workflows.signals import proposal_transitioned


@pytest.fixture
def world(db):
    """One proposal in drafting and everyone who may or may not hear about it."""
    lead_municipality = factories.MunicipalityFactory(name="Süleymanpaşa Belediyesi")
    partner_org = factories.OrganisationFactory(name="Haskovo Municipality", country="BG")
    coordinator = factories.office_staff(username="coordinator", email="coordinator@example.org")
    other_office = factories.office_staff(username="office2")
    today = timezone.localdate()

    def member(username, role=TeamMembership.Role.MEMBER, *, municipality=None, organisation=None, **kwargs):
        user = factories.UserFactory(username=username)
        factories.TeamMembershipFactory(
            user=user, role=role, municipality=municipality, organisation=organisation, **kwargs
        )
        return user

    lead = member("lead", TeamMembership.Role.LEAD, municipality=lead_municipality)
    teammate = member("teammate", municipality=lead_municipality)
    partner = member("partner", organisation=partner_org)
    other_team = member("other_team", municipality=factories.MunicipalityFactory(name="Çorlu Belediyesi"))
    # Left the team today: the end date takes effect without anyone running anything.
    ended = member(
        "ended", municipality=lead_municipality, starts_on=today - timedelta(days=60), ends_on=today
    )
    inactive = member("inactive", municipality=lead_municipality)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    call = factories.CallFactory(deadline=timezone.now() + timedelta(days=60))
    proposal = factories.ProposalFactory(lead=lead_municipality, call=call, coordinator=coordinator)
    ProposalPartner.objects.create(proposal=proposal, organisation=partner_org)
    return {
        "proposal": proposal,
        "call": call,
        "coordinator": coordinator,
        "other_office": other_office,
        "lead": lead,
        "teammate": teammate,
        "partner": partner,
        "other_team": other_team,
        "ended": ended,
        "inactive": inactive,
    }


def _require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        message = "a real Celery worker needs Redis: set REDIS_URL"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


def _close_worker_connections(**kwargs):
    # The worker thread has its own database connections: close them after each task so the test
    # database can be flushed and dropped.
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.fixture
def broker():
    """Tasks go to Redis instead of running eagerly; the queues start empty."""
    url = _require_redis()
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = url
    celery_app.control.purge()
    try:
        yield celery_app
    finally:
        celery_app.control.purge()
        conf.task_always_eager, conf.broker_url = saved


@pytest.fixture
def celery_worker(broker):
    """A real Celery worker in a thread of this process, consuming the default and mail queues."""
    task_postrun.connect(_close_worker_connections, weak=False, dispatch_uid="tests.close_worker_db")
    try:
        with start_worker(
            broker, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(dispatch_uid="tests.close_worker_db")


class SMTPInbox:
    """What a real SMTP server on loopback received; `answer` sets its reply to DATA."""

    def __init__(self):
        self.messages = []
        self.answer = "250 OK"
        self.hold = None  # a threading.Event: the first DATA waits on it (a worker "dies" meanwhile)
        self.held = False
        self.entered = threading.Event()
        self.delay = 0.0  # seconds before answering each DATA (a slow server)

    async def handle_DATA(self, server, session, envelope):
        self.entered.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold is not None and not self.held:
            self.held = True  # only the first DATA waits (the coroutine is cancelled if the client dies)
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait, 30)
            return "451 4.3.0 Connection lost"
        if self.answer.startswith("250"):
            self.messages.append(message_from_bytes(envelope.content))
        return self.answer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, with the site's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = SMTPInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    inbox.port = port
    try:
        yield inbox
    finally:
        if inbox.hold is not None:
            inbox.hold.set()
        controller.stop()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a domain signal as a service does: inside a transaction, relayed once it commits."""

    def send(signal, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            signal.send(**kwargs)

    return send


@pytest.fixture
def expire(send):
    """The system expires a proposal in drafting (its deadline passed): the transition's signal, sent
    as the service sends it and relayed once it commits. Arguments such as `by=None` go with it."""

    def expire(proposal, **arguments):
        send(
            proposal_transitioned,
            sender=type(proposal),
            proposal=proposal,
            transition="expire",
            source="drafting",
            target="expired",
            **arguments,
        )

    return expire
