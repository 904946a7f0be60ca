"""Fuzz every operation of the OpenAPI schema in-process, as an office, a team and a reviewer.

Schemathesis generates valid and invalid requests from the schema drf-spectacular serves; each goes
through the WSGI application with a real knox token and must answer without a server error, with a
status code, content type and body the schema declares. Every case runs in a savepoint that is rolled
back (after running its on-commit work), so a DELETE, a logout or a transition never changes the world
the next case sees, and path parameters point at real objects of a small world as often as at
made-up ids (three in four cases). Bounded (FUZZ_EXAMPLES per operation and mode, derandomized) so CI
stays within minutes (about 45 s a role on SQLite and on PostgreSQL); FUZZ_EXAMPLES=40 or more for a
longer local run. E-mail goes to the locmem outbox, files to a temporary directory.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from documents import services as document_services
from documents.models import DocumentSet, DocumentVersion
from events.states import EventState
from grants_office.calls.models import DocumentKind
from grants_office.members.models import TeamMembership
from notifications import kinds
from privacy import services as privacy_services
from privacy.models import DataExport
from tests.factories import (
    CertificateFactory,
    CooperationFactory,
    EventFactory,
    MunicipalityFactory,
    NotificationFactory,
    OrganisationFactory,
    PartnerRequestFactory,
    PartnerResponseFactory,
    ProposalFactory,
    RegistrationFactory,
    RubricFactory,
    TeamMembershipFactory,
    accepted,
    expert,
    full_call,
    office_admin,
    office_staff,
    proposal_set_with_version,
)
from workflows import lifecycle
from workflows.discussion import services as discussion_services
from workflows.discussion.models import Visibility
from workflows.models import Consultation, ProposalPartner, Submission
from workflows.review import services as review_services
from workflows.states import State

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
ASSIGNMENT_TRANSITIONS = ["accept", "decline", "withdraw", "submit"]
EVENT_TRANSITIONS = [
    "open_registration",
    "close_registration",
    "reopen_registration",
    "mark_held",
    "archive",
    "cancel",
]
# Path segment before "{id}" -> the world's key holding ids of that kind.
COLLECTIONS = {
    "calls": "calls",
    "comments": "comments",
    "cooperations": "cooperations",
    "data-exports": "data_exports",
    "document-versions": "versions",
    "documents": "documents",
    "certificates": "certificates",
    "event-registrations": "registrations",
    "events": "events",
    "library": "library",
    "municipalities": "municipalities",
    "notifications": "notifications",
    "organisations": "organisations",
    "partner-requests": "partner_requests",
    "partner-responses": "partner_responses",
    "partners": "partners",
    "people": "people",
    "programmes": "programmes",
    "proposals": "proposals",
    "review-assignments": "assignments",
    "review-rounds": "rounds",
    "uploads": "uploads",
}


def build_world() -> dict:
    """A small union: a call with its rubric and checklist, proposals from idea to rejected, a team, the
    office, a reviewer past the declaration and one only invited, documents with versions, a pending
    upload, comments, a consultation, a submission, a library set and notifications."""
    office = office_staff(username="fuzz-office", first_name="Ofis", last_name="Uzmanı")
    lead = MunicipalityFactory(name="Süleymanpaşa Belediyesi")
    partner_org = OrganisationFactory(name="Haskovo Municipality", country="BG")
    team = TeamMembershipFactory(
        user__username="fuzz-team", municipality=lead, role=TeamMembership.Role.LEAD
    ).user
    reviewer = expert(user__username="fuzz-reviewer")
    invited_expert = expert(user__username="fuzz-invited")
    call = full_call(rubric=RubricFactory())

    def proposal(state, **kwargs):
        made = ProposalFactory(lead=lead, call=call, state=state, coordinator=office, **kwargs)
        ProposalPartner.objects.create(proposal=made, organisation=partner_org)
        return made

    idea = proposal(State.IDEA, requested_amount=100_000)
    drafting = proposal(State.DRAFTING)
    in_review = proposal(State.DRAFTING)
    submitted = proposal(State.SUBMITTED)
    rejected = proposal(State.REJECTED, funder_feedback="Impact not shown.")
    drafting_version = proposal_set_with_version(drafting, uploaded_by=team, number=2)
    proposal_set_with_version(in_review, uploaded_by=team)
    submitted_version = proposal_set_with_version(submitted, uploaded_by=team)

    review_round = review_services.open_round(in_review, office)
    assignment = review_services.assign_reviewer(review_round, office, reviewer=reviewer)
    assignment = accepted(assignment)
    invited = review_services.assign_reviewer(review_round, office, reviewer=invited_expert)
    review_services.save_review(
        assignment, reviewer, scores={"excellence": {"score": "4", "comment": "Clear."}}, comment="Draft."
    )

    submission = Submission.objects.create(
        proposal=submitted,
        stage=1,
        funder_reference="IPA-2027-0042",
        submitted_at=timezone.now() - timedelta(days=1),
        recorded_by=office,
    )
    submission.versions.set([submitted_version])
    consultation = Consultation.objects.create(
        proposal=idea, held_at=timezone.now() - timedelta(days=2), notes="First meeting.", created_by=office
    )
    consultation.team_participants.set([team])

    thread = discussion_services.post_comment(drafting, team, body="@fuzz-office is the budget right?")
    reply = discussion_services.post_comment(drafting, office, body="Yes.", parent=thread)
    internal = discussion_services.post_comment(
        in_review, reviewer, body="Weak impact section.", visibility=Visibility.INTERNAL
    )
    on_version = discussion_services.post_comment(
        drafting, team, body="Version 2 fixes the totals.", version=drafting_version
    )

    library = document_services.create_library_set(
        office, title="Rehberler", audience=DocumentSet.Audience.ALL_MEMBERS
    )
    library_document = document_services.create_document(
        library, office, kind=DocumentKind.BUDGET, title="Model budget"
    )
    budget = document_services.create_document(drafting.document_set, team, kind=DocumentKind.BUDGET)
    pending, _signed = document_services.request_upload(
        budget, team, filename="Bütçe.pdf", size=1234, content_type="application/pdf", sha256="a" * 64
    )

    for version in DocumentVersion.objects.all():  # the bytes of every version, in the test's storage
        storages["default"].save(version.storage_key, ContentFile(b"%PDF-1.4 fuzz"))
    notifications = [
        NotificationFactory(recipient=user, proposal=drafting, kind=kinds.PROPOSAL_TRANSITIONED)
        for user in (office, team, reviewer)
    ]
    # cooperation: a partner request with an answer, a twinning
    partner_request = PartnerRequestFactory(municipality=lead, proposal=drafting, call=call, created_by=team)
    partner_response = PartnerResponseFactory(request=partner_request, organisation=partner_org)
    cooperation = CooperationFactory(municipalities=[lead], organisations=[partner_org])
    # events: a training open for registration with the team lead on it, a camp held with a certificate
    training = EventFactory(created_by=office)
    seat = RegistrationFactory(event=training, person=team, municipality=lead)
    camp = EventFactory(created_by=office, state=EventState.HELD, sessions=2)
    attended = RegistrationFactory(event=camp, person=team, municipality=lead)
    certificate = CertificateFactory(registration=attended, issued_by=office)
    # personal data: the team lead's own export, ready, and one the office asked for, being prepared
    former = TeamMembershipFactory(user__username="fuzz-former", municipality=lead).user
    own = privacy_services.build_export(DataExport.objects.create(subject=team, requested_by=team).pk)
    asked = DataExport.objects.create(subject=reviewer, requested_by=office)
    return {
        "data_exports": [own.pk, asked.pk],
        "events": [training.pk, camp.pk],
        "registrations": [seat.pk, attended.pk],
        "certificates": [certificate.pk],
        "users": {
            "office": office,
            "team": team,
            "reviewer": reviewer,
            "admin": office_admin(username="fuzz-admin"),
        },
        # held back in every way, and one who can be erased (a former team member)
        "people": [team.pk, reviewer.pk, invited_expert.pk, office.pk, former.pk],
        "partner_requests": [partner_request.pk],
        "partner_responses": [partner_response.pk],
        "cooperations": [cooperation.pk],
        "partners": [lead.partner_profile.pk, partner_org.partner_profile.pk],
        "calls": [call.pk],
        "comments": [thread.pk, reply.pk, internal.pk, on_version.pk],
        "versions": [drafting_version.pk, submitted_version.pk],
        "documents": [drafting_version.document_id, library_document.pk, budget.pk],
        "library": [library.pk],
        "municipalities": [lead.pk],
        "notifications": [n.pk for n in notifications],
        "organisations": [partner_org.pk],
        "programmes": [call.programme_id],
        "proposals": [idea.pk, drafting.pk, in_review.pk, submitted.pk, rejected.pk],
        "assignments": [assignment.pk, invited.pk],
        "rounds": [review_round.pk],
        "uploads": [str(pending.pk)],
    }


def _path_parameters(path: str, world: dict) -> st.SearchStrategy[dict] | None:
    """Real ids (and transition names) for the operation's path parameters, drawn by index."""
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return None
    drawn = {}
    for name in names:
        if name == "id":
            collection = re.search(r"/([\w-]+)/{id}", path).group(1)
            drawn[name] = st.sampled_from(world[COLLECTIONS[collection]])
        elif name == "name":
            if path.startswith("/api/v1/review-assignments/"):
                choices = ASSIGNMENT_TRANSITIONS
            elif path.startswith("/api/v1/events/"):
                choices = EVENT_TRANSITIONS
            else:
                choices = sorted({t.name for t in lifecycle.all_transitions()})
            drawn[name] = st.sampled_from(choices)
        else:
            return None
    return st.fixed_dictionaries(drawn)


class Findings:
    """Every failed check of the run, by operation, so one run reports all problems at once."""

    def __init__(self):
        self.by_operation: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[tuple[str, str], str] = {}
        self.cases = 0

    def add(self, label: str, check: str, message: str) -> None:
        self.by_operation[label][check] += 1
        self.examples.setdefault((label, check), message)

    def totals(self) -> Counter:
        total = Counter()
        for counter in self.by_operation.values():
            total.update(counter)
        return total

    def report(self) -> str:
        lines = [f"{self.cases} cases; failures by check: {dict(self.totals())}"]
        for (label, check), message in sorted(self.examples.items()):
            lines.append(f"--- {label} [{check}] x{self.by_operation[label][check]}\n{message[:1500]}")
        return "\n".join(lines)


def _check_name(failure) -> str:
    return type(failure).__name__


def _run_case(case, token: str, findings: Findings) -> None:
    findings.cases += 1
    # The throttles count per cache; a fresh count per case keeps the run about the input, not the rate.
    for cache in caches.all():
        cache.clear()
    headers = {"Authorization": f"Token {token}"}
    try:
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):
                response = case.call(headers=headers)
            transaction.set_rollback(True)
    except Exception as error:  # an on-commit handler failed: after the answer, but still a server bug
        findings.add(case.operation.label, "on_commit", repr(error))
        return
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            findings.add(case.operation.label, _check_name(failure), str(group))


def fuzz_operation(operation, mode, real, token: str, findings: Findings) -> None:
    """EXAMPLES cases of one operation in one mode; most name objects of the world (`real`), the rest
    keep the made-up ids."""

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    def run(case, data):
        if real is not None and data.draw(st.integers(0, 3)):
            case.path_parameters = {**case.path_parameters, **data.draw(real)}
        _run_case(case, token, findings)

    try:
        run()
    except Unsatisfiable:
        # nothing to negate (no parameters, no body): the positive cases cover the operation
        assert mode.is_negative, operation.label


def fuzz(schema, world: dict, token: str, findings: Findings) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        real = _path_parameters(operation.path, world)
        for mode in MODES:
            fuzz_operation(operation, mode, real, token, findings)


@pytest.fixture
def wsgi_app(settings):
    """The WSGI application as gunicorn runs it, on the test database connection: like Django's test
    client, requests must not close the connection that holds the test transaction."""
    settings.ALLOWED_HOSTS = ["localhost"]
    # thousands of expected 4xx; a 5xx still logs its traceback at ERROR
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        request_log.setLevel(level)


@pytest.mark.parametrize("role", ["office", "team", "reviewer", "admin"])
def test_every_operation_answers_as_the_schema_says(role, db, disk_storage, mailoutbox, wsgi_app):
    world = build_world()
    _instance, token = AuthToken.objects.create(world["users"][role])
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, config=config, headers={"Authorization": f"Token {token}"}
    )
    findings = Findings()
    assert len(list(schema.get_all_operations())) >= 60  # every operation, the auth ones included
    fuzz(schema, world, token, findings)
    assert AuthToken.objects.filter(user=world["users"][role]).exists()  # logouts were rolled back
    assert findings.cases > 0
    assert not findings.by_operation, findings.report()
