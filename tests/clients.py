"""The one way to get a client for a user: a browser's (pages, session) or a script's (the API).

Tests take them as the fixtures `client_for` and `api_client` (tests/conftest.py); helpers that are not
fixtures (query counts, a page fetched inside a loop) call these functions directly.
"""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

VERIFIED = "tests.clients.page_client/verified"


def page_client(user=None, *, language: str | None = "en", **options) -> Client:
    """A browser signed in as `user` (None: anonymous). It reads the pages in `language` (its cookie;
    None: no language chosen yet), so assertions on texts do not depend on the Turkish catalogue.
    `options` go to Django's Client (enforce_csrf_checks=True, default headers)."""
    client = Client(**options)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
        second_factor_given(client)
    return client


def second_factor_given(client) -> None:
    """The signed-in session of `client` as if its second factor was given too (the office's pages and
    their API calls require it); tests/identity sign in for real."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = VERIFIED
    session.save()


def script_client(user=None) -> APIClient:
    """A script calling the API as `user` (None: anonymous), in English."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client
