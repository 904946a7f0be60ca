"""Every documents list costs the same number of queries for one row and for five."""

import pytest

from documents.models import DocumentSet
from tests.factories import (
    CallFactory,
    DocumentFactory,
    DocumentVersionFactory,
    LibrarySetFactory,
    MunicipalityFactory,
    TeamMembershipFactory,
    office_staff,
)
from tests.querycount import measure
from workflows.document_policy import document_set_for
from workflows.states import State

pytestmark = pytest.mark.django_db


def count(user, url) -> int:
    return measure(user, url, api=True).queries


def with_versions(document_set, rows):
    for _ in range(rows):
        document = DocumentFactory(set=document_set)
        for number in (1, 2):
            DocumentVersionFactory(document=document, number=number)


@pytest.mark.parametrize("role", ["office", "lead"])
def test_proposal_documents_cost_the_same_for_one_and_five(people, make_proposal, role):
    call = CallFactory(required_documents=["budget", "work_plan"])
    small = make_proposal(state=State.DRAFTING, call=call)
    large = make_proposal(state=State.DRAFTING, call=call)
    with_versions(document_set_for(small), 1)
    with_versions(document_set_for(large), 5)
    one = count(people[role], f"/api/v1/proposals/{small.pk}/documents/")
    five = count(people[role], f"/api/v1/proposals/{large.pk}/documents/")
    assert one == five


@pytest.mark.parametrize("role", ["office", "member"])
def test_library_lists_cost_the_same_for_one_and_five(role):
    municipality = MunicipalityFactory()
    user = office_staff() if role == "office" else TeamMembershipFactory(municipality=municipality).user
    LibrarySetFactory(title="A")
    one_sets = count(user, "/api/v1/library/")
    for n in range(4):
        LibrarySetFactory(title=f"B{n}", audience=DocumentSet.Audience.CHOSEN, municipalities=[municipality])
    five_sets = count(user, "/api/v1/library/")
    assert one_sets == five_sets

    small, large = LibrarySetFactory(title="small"), LibrarySetFactory(title="large")
    with_versions(small, 1)
    with_versions(large, 5)
    one = count(user, f"/api/v1/library/{small.pk}/documents/")
    five = count(user, f"/api/v1/library/{large.pk}/documents/")
    assert one == five


def test_one_document_costs_the_same_with_one_and_five_versions(people, make_proposal):
    proposal = make_proposal(state=State.DRAFTING)
    document_set = document_set_for(proposal)
    few, many = DocumentFactory(set=document_set), DocumentFactory(set=document_set)
    DocumentVersionFactory(document=few, number=1)
    for number in range(1, 6):
        DocumentVersionFactory(document=many, number=number)
    one = count(people["lead"], f"/api/v1/documents/{few.pk}/")
    five = count(people["lead"], f"/api/v1/documents/{many.pk}/")
    assert one == five
