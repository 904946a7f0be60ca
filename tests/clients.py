"""The one way to get a client for a user: a browser's (pages, session) or a script's (the API).

Tests take them as the fixtures `client_for` and `api_client` (tests/conftest.py); helpers that are not
fixtures (query counts, a page fetched inside a loop) call these functions directly.
"""

from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient


def page_client(user=None, *, language: str | None = "en", **options) -> Client:
    """A browser signed in as `user` (None: anonymous). It reads the pages in `language` (its cookie;
    None: no language chosen yet), so assertions on texts do not depend on the Turkish catalogue.
    `options` go to Django's Client (enforce_csrf_checks=True, default headers)."""
    client = Client(**options)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def script_client(user=None) -> APIClient:
    """A script calling the API as `user` (None: anonymous), in English."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client
