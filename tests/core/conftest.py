from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CallFactory, ProposalFactory, office_staff
from workflows.states import State

SORTABLE = 17


@pytest.fixture
def sortable_office(db):
    """The office, and 17 proposals whose every sort key has ties and empty values (no call, no amount),
    titles that sort differently in Turkish, and stage-2 deadlines: for the list's pages and cursors."""
    now = timezone.now()
    calls = [CallFactory(deadline=now + timedelta(days=d)) for d in (4, 4, 30)]  # ties on the deadline
    states = [State.IDEA, State.DRAFTING, State.SUBMITTED, State.AWARDED, State.INVITED_STAGE2]
    for n in range(SORTABLE):
        ProposalFactory(
            call=None if n % 5 == 0 else calls[n % 3],
            state=states[n % 5],
            title=["Çevre", "Cevap", "Şehir", "Su", "İklim", "Irmak"][n % 6] + f" {n // 6}",
            requested_amount=None if n % 4 == 0 else 1000 * (n % 3),
        )
    return office_staff()
