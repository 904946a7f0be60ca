"""Notification preferences and notification rows."""

import uuid

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from notifications import kinds
from notifications.models import Notification, NotificationPreference
from tests.factories.members import UserFactory
from tests.factories.workflows import ProposalFactory


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    kind = kinds.PROPOSAL_TRANSITIONED
    channel = kinds.Channel.EMAIL


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification about a proposal, as `services.notify` writes it."""

    class Meta:
        model = Notification
        exclude = ["proposal"]

    recipient = factory.SubFactory(UserFactory)
    proposal = factory.SubFactory(ProposalFactory)
    kind = kinds.PROPOSAL_TRANSITIONED
    content_type = factory.LazyFunction(
        lambda: ContentType.objects.get(app_label="workflows", model="proposal")
    )
    object_id = factory.LazyAttribute(lambda n: n.proposal.pk)
    occasion = factory.LazyFunction(lambda: f"event {uuid.uuid4().hex}")
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened."
    link = factory.LazyAttribute(lambda n: f"/proposals/{n.proposal.pk}/")
    language = "en"
    email_status = Notification.EmailStatus.NONE
    # As `services.notify` writes them: a row waiting for its e-mail always has a time, which is what
    # the stall sweep looks for when the task was lost (Redis drops a message whose worker dies between
    # taking it and recording it as unacknowledged).
    email_next_attempt_at = factory.LazyAttribute(
        lambda n: timezone.now() if n.email_status == Notification.EmailStatus.PENDING else None
    )
