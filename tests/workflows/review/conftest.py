import pytest

from tests import factories
from tests.factories import review as review_factories
from workflows.review import services
from workflows.states import State


@pytest.fixture
def themes(db):
    return {
        code: factories.ThemeFactory(code=code)
        for code in ("climate-adaptation", "water", "tourism", "digital", "culture")
    }


@pytest.fixture
def eu_call(db, themes):
    return factories.CallFactory(
        rubric=factories.RubricFactory(name="Interreg IPA BG–TR"),
        themes=[themes["climate-adaptation"], themes["water"]],
    )


@pytest.fixture
def drafting(make_proposal, eu_call, people):
    """A drafting proposal on the EU call, with one uploaded document (version 2 is the latest)."""
    proposal = make_proposal(state=State.DRAFTING, call=eu_call)
    review_factories.proposal_set_with_version(proposal, uploaded_by=people["lead"], number=2)
    return proposal


@pytest.fixture
def experts(db, themes):
    """Three active experts: two matching the call's themes, one not."""
    make = review_factories.expert
    return {
        "ayse": make(
            [themes["climate-adaptation"], themes["water"]],
            user__username="ayse",
            user__first_name="Ayşe",
            user__last_name="Yılmaz",
        ),
        "mehmet": make(
            [themes["water"]], user__username="mehmet", user__first_name="Mehmet", user__last_name="Demir"
        ),
        "elena": make(
            [themes["tourism"]], user__username="elena", user__first_name="Elena", user__last_name="Petrova"
        ),
    }


@pytest.fixture
def open_round(drafting, people):
    return services.open_round(drafting, people["office"])


@pytest.fixture
def assign(open_round, people):
    def make(reviewer, review_round=None):
        return services.assign_reviewer(review_round or open_round, people["office"], reviewer=reviewer)

    return make
