"""A review enters the audit trail when it is submitted, not while the expert drafts it."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from tests.factories import review as review_factories
from workflows.review import services
from workflows.review.models import Review

pytestmark = pytest.mark.django_db


def entries(model):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))


def test_drafts_are_not_logged_and_the_submission_is(assign, experts):
    assignment = review_factories.accepted(assign(experts["ayse"]))
    services.save_review(assignment, experts["ayse"], scores={"excellence": 2}, comment="İlk düşünceler")
    services.save_review(assignment, experts["ayse"], comment="İkinci taslak")
    assert not entries(Review).exists()

    services.save_review(
        assignment,
        experts["ayse"],
        scores={"excellence": 4, "impact": 3, "implementation": 3},
        recommendation="revise",
        submit=True,
    )
    [entry] = entries(Review)
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes["submitted_at"][0] == "None"
