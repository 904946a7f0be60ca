"""Two admins erasing the same person at the same moment: one erasure, one pseudonym, one refusal."""

import pytest
from django.utils import timezone

from grants_office.core.errors import Conflict
from privacy import services
from privacy.models import Erasure
from tests import factories
from tests.concurrency import at_once
from tests.notifications.processes import require_postgres
from workflows.models import Proposal
from workflows.states import State


@pytest.mark.django_db(transaction=True)
def test_two_admins_erasing_at_once_erase_once(held):
    require_postgres()
    person = held["person"]
    Proposal.objects.filter(pk=held["proposal"].pk).update(
        state=State.REJECTED, decided_on=timezone.localdate()
    )
    admins = [factories.office_admin(), factories.office_admin()]

    def erase(admin):
        try:
            return services.erase_person(admin, person, "Asked twice").pseudonym
        except Conflict as refusal:
            return refusal.code

    results = at_once(*(lambda admin=admin: erase(admin) for admin in admins), timeout=10)

    assert sorted(result.startswith("Anonim") for result in results) == [False, True]
    assert "already_erased" in results
    assert Erasure.objects.count() == 1
    person.refresh_from_db()
    assert person.get_full_name() == Erasure.objects.get().pseudonym
