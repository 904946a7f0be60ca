"""The page guard of tests/nplusone.py: a page that reads a relation row by row fails its test."""

import pytest
from django.http import HttpResponse
from django.urls import include, path
from zeal import NPlusOneError

from tests.factories import ProposalFactory
from workflows.models import Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _leads(request):
    """The leads of every proposal; joined in the one query only when asked."""
    proposals = Proposal.objects.order_by("pk")
    if request.GET.get("joined"):
        proposals = proposals.select_related("lead")
    return HttpResponse(", ".join(proposal.lead.name for proposal in proposals))


urlpatterns = [
    path("leads/", _leads),
    path("", include("grants_office.urls")),
]


def test_a_page_reading_a_relation_row_by_row_fails(client_for, office_user):
    ProposalFactory.create_batch(2)
    with pytest.raises(NPlusOneError, match=r"N\+1 detected on workflows\.Proposal\.lead"):
        client_for(office_user).get("/leads/")


def test_the_same_page_joining_the_relation_passes(client_for, office_user):
    ProposalFactory.create_batch(2)
    assert client_for(office_user).get("/leads/?joined=1").status_code == 200


def test_writes_are_not_watched(client_for, office_user):
    ProposalFactory.create_batch(2)
    assert client_for(office_user).post("/leads/").status_code == 200
