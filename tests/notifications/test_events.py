"""Who hears about what: recipients per event, access, actor, preferences, language and time zone."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grants_office.members.models import UserProfile
from notifications import kinds
from notifications.models import Notification
from tests import factories
from tests.factories import (
    DocumentFactory,
    DocumentVersionFactory,
    LibrarySetFactory,
    PreferenceFactory,
    UserProfileFactory,
)
from workflows import services as workflow_services
from workflows.models import Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db


def recipients(kind=None):
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def at_state(proposal, state):
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    return Proposal.objects.get(pk=proposal.pk)


def move(proposal, name, user, capture, **data):
    with capture(execute=True):
        return workflow_services.perform_transition(proposal, name, user, **data)


def test_transition_tells_team_partner_and_coordinator_not_actor(world, django_capture_on_commit_callbacks):
    proposal = at_state(world["proposal"], State.CONSULTATION)

    move(
        proposal,
        "start_drafting",
        world["coordinator"],
        django_capture_on_commit_callbacks,
        call=world["call"].pk,
    )

    # the actor (coordinator), the other municipality, the ended membership, the inactive user and
    # the office staff not coordinating this proposal hear nothing
    assert recipients(kinds.PROPOSAL_TRANSITIONED) == ["lead", "partner", "teammate"]
    row = Notification.objects.get(recipient=world["lead"])
    assert row.actor == world["coordinator"]
    assert row.link == f"/proposals/{proposal.pk}/"
    assert row.object_id == proposal.pk


def test_transition_by_the_team_tells_the_coordinator(world, django_capture_on_commit_callbacks):
    proposal = at_state(world["proposal"], State.READY)

    move(proposal, "reopen", world["lead"], django_capture_on_commit_callbacks, comment="Budget changes")

    assert recipients() == ["coordinator", "partner", "teammate"]
    assert "Budget changes" in Notification.objects.get(recipient=world["coordinator"]).body


def test_without_a_coordinator_the_office_is_told(world, django_capture_on_commit_callbacks):
    Proposal.objects.filter(pk=world["proposal"].pk).update(coordinator=None)
    proposal = at_state(world["proposal"], State.READY)

    move(proposal, "reopen", world["lead"], django_capture_on_commit_callbacks)

    assert recipients() == ["coordinator", "office2", "partner", "teammate"]


def test_system_transition_tells_everyone_concerned(world, expire):
    proposal = world["proposal"]
    expire(proposal, by=None)
    assert recipients() == ["coordinator", "lead", "partner", "teammate"]
    assert Notification.objects.filter(actor__isnull=True).count() == 4


def test_person_without_access_is_not_told_even_if_named(world, expire):
    """A partner contact whose membership ended hears nothing although the partner is still listed."""
    from grants_office.members.models import TeamMembership

    proposal = world["proposal"]
    partner_org = proposal.partners.get().organisation
    TeamMembership.objects.filter(organisation=partner_org).update(
        starts_on=timezone.localdate() - timedelta(days=9), ends_on=timezone.localdate()
    )
    expire(proposal, by=None)
    assert "partner" not in recipients()


def test_new_idea_tells_the_office(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow_services.create_proposal(
            world["lead"], lead=world["proposal"].lead, title="Bisiklet yolları"
        )
    assert recipients(kinds.PROPOSAL_CREATED) == ["coordinator", "office2"]


def test_consultation_tells_participants_and_team(world, django_capture_on_commit_callbacks):
    expert = factories.office_staff(username="expert")
    proposal = world["proposal"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow_services.schedule_consultation(
            proposal,
            world["coordinator"],
            held_at=timezone.now() + timedelta(days=3),
            office_experts=[expert],
            team_participants=[world["lead"], world["other_team"]],
        )
    # other_team was listed as a participant but cannot see the proposal
    assert recipients(kinds.CONSULTATION_SCHEDULED) == ["expert", "lead", "partner", "teammate"]


def test_new_version_tells_team_but_not_uploader(world, send):
    from documents.signals import version_created

    proposal = world["proposal"]
    version = DocumentVersionFactory(uploaded_by=world["teammate"], document__title="Bütçe")
    proposal.document_set = version.document.set
    proposal.save()

    send(version_created, sender=type(version), version=version, by=world["teammate"])

    assert recipients(kinds.DOCUMENT_VERSION_CREATED) == ["coordinator", "lead", "partner"]
    row = Notification.objects.get(recipient=world["lead"])
    assert "Bütçe" in row.title
    assert row.email_status == Notification.EmailStatus.DIGEST  # the kind's default
    assert mail.outbox == []


def test_library_version_tells_nobody(world, send):
    from documents.signals import version_created

    version = DocumentVersionFactory(document=DocumentFactory(set=LibrarySetFactory()))
    send(version_created, sender=type(version), version=version, by=version.uploaded_by)
    assert not Notification.objects.exists()


# --- preferences -------------------------------------------------------------------------------------
def test_preference_off_writes_nothing(world, expire):
    PreferenceFactory(user=world["lead"], kind=kinds.PROPOSAL_TRANSITIONED, channel=kinds.Channel.OFF)
    proposal = world["proposal"]
    expire(proposal, by=None)
    assert "lead" not in recipients()
    assert [m.to for m in mail.outbox if m.to == [world["lead"].email]] == []


def test_preference_email_sends_one_mail_in_app_none(world, expire):
    PreferenceFactory(user=world["teammate"], kind=kinds.PROPOSAL_TRANSITIONED, channel=kinds.Channel.IN_APP)
    proposal = world["proposal"]
    expire(proposal)
    mailed = sorted(address for message in mail.outbox for address in message.to)
    assert mailed == sorted(u.email for u in (world["coordinator"], world["lead"], world["partner"]))
    teammate_row = Notification.objects.get(recipient=world["teammate"])
    assert teammate_row.email_status == Notification.EmailStatus.NONE
    lead_row = Notification.objects.get(recipient=world["lead"])
    assert lead_row.email_status == Notification.EmailStatus.SENT
    assert lead_row.email_attempts == 1
    message = next(m for m in mail.outbox if m.to == [world["lead"].email])
    assert message.subject == lead_row.title
    assert message.alternatives[0].mimetype == "text/html"
    assert f"/proposals/{proposal.pk}/" in message.body
    assert message.extra_headers["Message-ID"] == f"<notification.{lead_row.pk}@localhost>"


# --- language and time zone --------------------------------------------------------------------------
def test_each_recipient_reads_in_their_language_and_time_zone(world, django_capture_on_commit_callbacks):
    UserProfileFactory(user=world["lead"], language="tr", time_zone="Europe/Istanbul")
    UserProfileFactory(user=world["teammate"], language="en", time_zone="America/New_York")
    held_at = datetime(2027, 3, 5, 14, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_services.schedule_consultation(world["proposal"], world["coordinator"], held_at=held_at)

    turkish = Notification.objects.get(recipient=world["lead"])
    english = Notification.objects.get(recipient=world["teammate"])
    assert turkish.language == "tr" and english.language == "en"
    # Django's own Turkish month names and 17:00 in Istanbul; English and 09:00 in New York
    assert "5 Mart 2027 17:00" in turkish.body
    assert "March 5, 2027, 9 a.m." in english.body
    turkish_mail = next(m for m in mail.outbox if m.to == [world["lead"].email])
    assert "5 Mart 2027 17:00" in turkish_mail.body
    assert "(Europe/Istanbul)" in turkish_mail.body


def test_profile_absent_uses_site_defaults(world, expire):
    assert not UserProfile.objects.filter(user=world["lead"]).exists()
    proposal = world["proposal"]
    expire(proposal)
    assert Notification.objects.get(recipient=world["lead"]).language == "tr"
