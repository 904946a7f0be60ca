"""The people of the lifecycle tests (one per role), shared with the workflows tests; and a person with a
record of every kind the service holds, beside another person who acted on all of it."""

from datetime import timedelta

import pytest
from auditlog.context import set_actor
from axes.models import AccessAttempt, AccessLog
from django.utils import timezone
from knox.models import AuthToken

from documents.models import DocumentVersion, DownloadLog
from notifications import kinds
from notifications.models import CalendarFeed
from tests import factories
from tests.factories import review as review_factories
from tests.factories.identity import with_second_factor
from tests.notifications.conftest import broker, celery_worker
from tests.workflows.conftest import people
from workflows.models import Comment, CommentRevision, Consultation, Mention, SavedFilter
from workflows.review import services as review_services
from workflows.states import State

__all__ = ["broker", "celery_worker", "held", "people"]

FILE_BYTES = b"%PDF-1.7 the budget of Aylin\n" * 50


def _upload(person, proposal, media):
    version = review_factories.proposal_set_with_version(proposal, uploaded_by=person, title="Bütçe tablosu")
    path = media / version.storage_key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FILE_BYTES)
    DocumentVersion.objects.filter(pk=version.pk).update(
        size=len(FILE_BYTES)
    )  # as stored: versions are immutable
    return version


def _discussion(person, other, proposal):
    comment = Comment.objects.create(
        proposal=proposal, author=person, visibility="shared", body="Bütçe tablosunu güncelledim."
    )
    CommentRevision.objects.create(comment=comment, body="Bütçeyi güncelledim.", edited_by=person)
    reply = Comment.objects.create(
        proposal=proposal,
        author=other,
        parent=comment,
        visibility="shared",
        body="Teşekkürler Zübeyde'den, @aylin",
    )
    Mention.objects.create(comment=reply, user=person)
    consultation = Consultation.objects.create(
        proposal=proposal,
        held_at=timezone.now() - timedelta(days=3),
        notes="Zübeyde's notes",
        created_by=other,
    )
    consultation.team_participants.add(person)
    consultation.office_experts.add(other)


def _review(person, other, proposal):
    factories.ExpertProfileFactory(user=person, bio="Su yönetimi uzmanı")
    review_round = review_services.open_round(proposal, other)
    assignment = review_services.assign_reviewer(review_round, other, reviewer=person)
    codes = list(review_round.criteria.values_list("code", flat=True))
    review_factories.submitted(assignment, dict.fromkeys(codes, 4), comment="İyi bir öneri.")


def _gatherings(person, other):
    registration = factories.RegistrationFactory(person=person, registered_by=other)
    session = registration.event.sessions.get()
    factories.AttendanceFactory(session=session, registration=registration, marked_by=other)
    factories.CertificateFactory(
        registration__person=person, registration__registered_by=other, issued_by=other
    )
    factories.PartnerRequestFactory(created_by=person, title="Looking for a water partner")
    factories.PartnerResponseFactory(responder=person, message="We can join.")
    factories.CooperationFactory(created_by=person, title="Twinning with Kavala")
    factories.PartnerProfileFactory(contact_name="Aylin Şahin", contact_email=person.email)


def _account(person, other, proposal):
    factories.NotificationFactory(
        recipient=person, proposal=proposal, actor=other, title="Zübeyde Kaçaroğlu moved it", body="Zübeyde"
    )
    factories.PreferenceFactory(user=person, kind=kinds.COMMENT_SHARED)
    CalendarFeed.objects.create(user=person)
    SavedFilter.objects.create(user=person, name="Benim görünümüm", query="state=drafting")
    AuthToken.objects.create(person)
    with_second_factor(person)
    AccessLog.objects.create(username=person.username, ip_address="192.0.2.7", user_agent="Firefox")
    AccessAttempt.objects.create(
        username=person.username, ip_address="192.0.2.8", user_agent="Firefox", failures_since_start=2
    )
    with set_actor(other):
        person.first_name = "Aylin"
        person.save()
    with set_actor(person):
        proposal.summary = "Havza için bir özet."
        proposal.save()


@pytest.fixture
def held(people, make_proposal, disk_storage):
    """Aylin, a team lead with a record of every kind; Zübeyde, office staff, who acted on each of them."""
    person = people["lead"]
    person.username, person.first_name, person.last_name = "aylin", "Ay", "Şahin"
    person.email = "aylin.sahin@suleymanpasa.example"
    person.save()
    other = factories.office_staff(
        username="zkacaroglu", first_name="Zübeyde", last_name="Kaçaroğlu", email="zubeyde@office.example"
    )
    proposal = make_proposal(title="Ergene su havzası", created_by=person, coordinator=other)
    version = _upload(person, proposal, disk_storage)
    DownloadLog.objects.create(version=version, user=person)
    _discussion(person, other, proposal)
    reviewed = make_proposal(
        title="Başka bir öneri",
        lead=factories.MunicipalityFactory(name="Kapaklı Belediyesi"),
        coordinator=other,
        state=State.DRAFTING,
        call=factories.CallFactory(rubric=factories.RubricFactory(name="Interreg IPA BG–TR")),
    )
    theirs = review_factories.proposal_set_with_version(reviewed, uploaded_by=other)
    (disk_storage / theirs.storage_key).parent.mkdir(parents=True, exist_ok=True)
    (disk_storage / theirs.storage_key).write_bytes(b"%PDF-1.7 the office's form")
    _review(person, other, reviewed)
    _gatherings(person, other)
    _account(person, other, proposal)
    return {"person": person, "other": other, "proposal": proposal, "version": version}
