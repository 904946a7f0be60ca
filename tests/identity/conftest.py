"""People who sign in through the real pages: the password form, then the second factor."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory, office_staff


@pytest.fixture
def member():
    return UserFactory(username="ayse", email="ayse@example.org")


@pytest.fixture
def coordinator():
    return office_staff(username="murat", email="murat@example.org")


@pytest.fixture
def browser():
    """An anonymous browser that reads the pages in English."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def sign_in_with_password(client, user, **extra):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, **extra})
