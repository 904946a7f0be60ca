"""A real OpenID Connect provider for the single sign-on tests: the Django project beside this file
(django-oauth-toolkit), started as a subprocess on a free loopback port, with its users and the service's
client (redirect URI: the live server's /oidc/callback/). It never skips: a provider that does not start
fails the test, locally as on CI."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings

from tests.ports import free_port

ROOT = Path(django_settings.BASE_DIR)
PROVIDER_PASSWORD = "provider-pass-4711"
CLIENT_ID = "grants-office"
CLIENT_SECRET = "grants-office-client-secret"
PROVIDER_NAME = "the union's directory"
# The provider's people: (user name, e-mail there, verified there). The service's accounts with (some of)
# these addresses are each test's own.
PROVIDER_USERS = [
    ("ayse", "Ayse.Yilmaz@Example.ORG", True),
    ("mehmet", "mehmet.kaya@example.org", False),
    ("stranger", "stranger@example.org", True),
    ("closed", "closed@example.org", True),
    ("twin", "twin@example.org", True),
]


@dataclass
class Provider:
    url: str
    log: Path

    def endpoint(self, path: str) -> str:
        return f"{self.url}/o/{path}"


def _wait_until_ready(process: subprocess.Popen, provider: Provider, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the OpenID Connect provider exited ({process.returncode}):\n{provider.log.read_text()}"
            )
        try:
            if requests.get(provider.endpoint(".well-known/openid-configuration"), timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the OpenID Connect provider did not answer in {seconds} s:\n{provider.log.read_text()}")


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider, running for the whole session: migrated, its users and the client created."""
    data = tmp_path_factory.mktemp("oidc-provider")
    setup = data / "setup.json"
    setup.write_text(
        json.dumps(
            {
                "users": [
                    {"username": name, "password": PROVIDER_PASSWORD, "email": email, "verified": verified}
                    for name, email, verified in PROVIDER_USERS
                ],
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uri": f"{live_server.url}/oidc/callback/",
                },
            }
        )
    )
    port = free_port()
    provider = Provider(url=f"http://127.0.0.1:{port}", log=data / "provider.log")
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "CACHE_URL"}
    }
    environment.update(OIDC_PROVIDER_DATA=str(data), PYTHONPATH=str(ROOT))
    with provider.log.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.identity.oidc_provider.serve", str(port), str(setup)],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_ready(process, provider)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on on, against the provider (settings changed at run time, as the views read them)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("authorize/")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.endpoint("token/")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.endpoint("userinfo/")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.endpoint(".well-known/jwks.json")
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    # Browsers send Secure cookies to http://localhost (a secure context); requests does not.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return oidc_provider


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} in the form:\n{page}"
    return html.unescape(match.group(1))


def to_callback(
    browser: requests.Session, base_url: str, username: str, *, next_url: str = "/account/"
) -> str:
    """Starts single sign-on at the service, signs in at the provider's own form as `username`, and
    follows the provider's redirects up to the service's callback, whose address it answers (not yet
    visited, so a test may change it or the settings first)."""
    page = browser.get(f"{base_url}/oidc/authenticate/", params={"next": next_url}, timeout=10)
    assert page.status_code == 200 and "Provider sign-in" in page.text, (page.url, page.status_code)
    answer = browser.post(
        page.url,
        data={
            "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
            "next": hidden(page.text, "next"),
            "username": username,
            "password": PROVIDER_PASSWORD,
        },
        allow_redirects=False,
        timeout=10,
    )
    for _ in range(5):
        assert answer.status_code == 302, (answer.status_code, answer.text[:2000])
        location = requests.compat.urljoin(answer.url, answer.headers["Location"])
        if location.startswith(f"{base_url}/oidc/callback/"):
            return location
        answer = browser.get(location, allow_redirects=False, timeout=10)
    pytest.fail(f"the provider never sent the browser back to the callback (last: {answer.url})")
