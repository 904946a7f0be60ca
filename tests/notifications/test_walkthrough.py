"""A whole proposal, idea to award: exactly the expected notifications for each person."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grants_office.members.models import TeamMembership
from notifications import kinds, services
from notifications.models import Notification
from tests import factories
from workflows import services as workflow_services

pytestmark = pytest.mark.django_db


def test_walkthrough_notifies_each_person_exactly_as_expected(django_capture_on_commit_callbacks):
    town = factories.MunicipalityFactory(name="Kapaklı Belediyesi")
    partner_org = factories.OrganisationFactory(name="Yambol Municipality", country="BG")
    coordinator = factories.office_staff(username="coordinator")
    factories.office_staff(username="office2")
    lead = factories.TeamMembershipFactory(municipality=town, role=TeamMembership.Role.LEAD).user
    teammate = factories.TeamMembershipFactory(municipality=town).user
    partner = factories.TeamMembershipFactory(municipality=None, organisation=partner_org).user
    factories.TeamMembershipFactory()  # someone on another municipality's team
    call = factories.CallFactory(deadline=timezone.now() + timedelta(days=20))

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    proposal = run(
        lambda: workflow_services.create_proposal(
            lead, lead=town, title="Sınır ötesi sel erken uyarı", partners=[{"organisation": partner_org}]
        )
    )
    from workflows.models import Proposal

    Proposal.objects.filter(pk=proposal.pk).update(coordinator=coordinator)
    proposal = Proposal.objects.get(pk=proposal.pk)
    run(lambda: workflow_services.perform_transition(proposal, "start_consultation", coordinator))
    run(
        lambda: workflow_services.schedule_consultation(
            proposal, coordinator, held_at=timezone.now() + timedelta(days=2), team_participants=[lead]
        )
    )
    run(lambda: workflow_services.perform_transition(proposal, "start_drafting", coordinator, call=call.pk))
    run(lambda: services.scan_reminders())  # 20 days before the deadline: the 30-day reminder
    run(lambda: services.scan_reminders())
    run(lambda: workflow_services.perform_transition(proposal, "mark_ready", coordinator))
    run(
        lambda: workflow_services.perform_transition(
            proposal, "submit", lead, funder_reference="IPA-123", submitted_at=timezone.now()
        )
    )
    run(lambda: workflow_services.perform_transition(proposal, "award", coordinator, awarded_amount="100000"))

    got = Counter(Notification.objects.values_list("recipient__username", "kind"))
    moved = kinds.PROPOSAL_TRANSITIONED
    assert got == {
        ("coordinator", kinds.PROPOSAL_CREATED): 1,
        ("office2", kinds.PROPOSAL_CREATED): 1,
        # start_consultation, start_drafting, mark_ready, award (by the coordinator) and submit (by the lead)
        (lead.username, moved): 4,
        (teammate.username, moved): 5,
        (partner.username, moved): 5,
        ("coordinator", moved): 1,
        (lead.username, kinds.CONSULTATION_SCHEDULED): 1,
        (teammate.username, kinds.CONSULTATION_SCHEDULED): 1,
        (partner.username, kinds.CONSULTATION_SCHEDULED): 1,
        (lead.username, kinds.CALL_DEADLINE): 1,
        (teammate.username, kinds.CALL_DEADLINE): 1,
        (partner.username, kinds.CALL_DEADLINE): 1,
        ("coordinator", kinds.CALL_DEADLINE): 1,
    }
    assert len(mail.outbox) == sum(got.values())  # every default here is e-mail
