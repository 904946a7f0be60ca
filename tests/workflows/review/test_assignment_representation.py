"""The assignments list's written-out representation says what the declared fields say, in every state
the brief and the declaration take, for the office and for the reviewer, read as the list reads."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers as drf_serializers

from tests.factories import review as review_factories
from workflows.review import selectors, services
from workflows.review.api.assignments import AssignmentSerializer


def _both(user, assignment_ids, language):
    request = RequestFactory().get("/api/v1/review-assignments/")
    request.user = user
    serializer = AssignmentSerializer(context={"request": request})
    pairs = []
    with translation.override(language):
        for assignment in selectors.listed_assignments(user).filter(pk__in=assignment_ids):
            declared = drf_serializers.ModelSerializer.to_representation(serializer, assignment)
            pairs.append((serializer.to_representation(assignment), dict(declared)))
    return pairs


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_written_out_assignment_equals_the_declared_fields(assign, experts, people, language):
    invited = assign(experts["ayse"])
    accepted = assign(experts["mehmet"])
    services.transition_assignment(
        accepted, "accept", experts["mehmet"], declaration="Çıkar çatışmam yok.", no_conflict=True
    )
    nameless = review_factories.expert([], user__username="uzman", user__first_name="", user__last_name="")
    declined = assign(nameless)
    services.transition_assignment(declined, "decline", nameless)
    ids = [invited.pk, accepted.pk, declined.pk]

    office = _both(people["office"], ids, language)
    assert len(office) == 3
    for written, declared in office:
        assert written == declared
    briefs = {written["id"]: written["proposal"] for written, _ in office}
    assert briefs[invited.pk]["partners"] == [{"name": "Haskovo Municipality (BG)", "role": "partner"}]
    declarations = {written["id"]: written["declaration"] for written, _ in office}
    assert declarations[accepted.pk]["text"] == "Çıkar çatışmam yok." and declarations[invited.pk] is None

    [(written, declared)] = _both(nameless, [declined.pk], language)
    assert written == declared
    assert written["proposal"] is None and written["reviewer"]["name"] == "uzman"
