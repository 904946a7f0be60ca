"""The same code given twice at the same moment (a stolen code raced against its owner, or a double
click): it signs in once."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.concurrency import at_once
from tests.factories import PASSWORD, UserFactory
from tests.factories.identity import app_code, with_second_factor
from tests.notifications.processes import require_postgres


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["app", "recovery"])
def test_one_code_given_twice_at_once_gives_one_token(kind):
    require_postgres()
    person = UserFactory(username="ayse")
    device, codes = with_second_factor(person)
    code = app_code(device) if kind == "app" else codes[0]

    def ask():
        credentials = {"username": "ayse", "password": PASSWORD, "otp_code": code}
        return APIClient().post("/api/v1/auth/token/", credentials, format="json").status_code

    results = at_once(ask, ask, ask, timeout=10)

    assert sorted(results) == [200, 400, 400]
    assert AuthToken.objects.filter(user=person).count() == 1
