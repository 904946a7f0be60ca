"""Single sign-on (OpenID Connect) against a real provider on loopback (tests/identity/oidc_provider): a
browser (requests.Session) goes from the service's sign-in button to the provider's own sign-in form and
back to the service's live server, which checks the state, nonce, PKCE and the ID token's signature."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from axes.models import AccessLog
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model, user_logged_in
from django.contrib.sessions.backends.db import SessionStore

from grants_office.identity.oidc import BACKEND
from tests.factories import PASSWORD, UserFactory, office_staff
from tests.factories.identity import app_code, with_second_factor
from tests.identity.oidc_provider import fixtures
from tests.identity.oidc_provider.fixtures import PROVIDER_NAME, to_callback
from tests.ports import free_port

pytestmark = pytest.mark.django_db(transaction=True)
# the provider and the settings pointing at it, as fixtures of this module
oidc_provider = fixtures.oidc_provider
sso = fixtures.sso
User = get_user_model()


def browser() -> requests.Session:
    session = requests.Session()
    session.cookies.set("django_language", "en")
    return session


def signed_in_as(browser_: requests.Session) -> tuple[str | None, str | None]:
    """The account and backend of the service's session in this browser."""
    key = browser_.cookies.get("sessionid")
    if not key:
        return None, None
    session = SessionStore(session_key=key)
    return session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)


def assert_refused(answer: requests.Response, live_server, sentence: str) -> None:
    assert all(step.status_code < 500 for step in [*answer.history, answer])
    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/accounts/login/?next=%2Faccount%2F"
    assert sentence in html.unescape(answer.text)


def test_sign_in_page_offers_the_provider_when_configured(sso, live_server):
    page = browser().get(f"{live_server.url}/accounts/login/?next=/account/", timeout=10)

    assert page.status_code == 200
    assert f"Sign in with {PROVIDER_NAME}" in html.unescape(page.text)
    assert 'href="/oidc/authenticate/?next=/account/"' in page.text.replace("%2F", "/")


def test_verified_email_signs_in_its_account(sso, live_server):
    """The provider's address differs in case from the account's: it matches, and nothing is changed."""
    account = UserFactory(
        username="ayse", first_name="Ayşe", last_name="Yılmaz", email="ayse.yilmaz@example.org"
    )
    others = User.objects.count()
    signed_in = []

    def seen(sender, request, user, **kwargs):
        signed_in.append((user.pk, request.path))

    user_logged_in.connect(seen)
    try:
        visitor = browser()
        answer = visitor.get(to_callback(visitor, live_server.url, "ayse"), timeout=10)
    finally:
        user_logged_in.disconnect(seen)

    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/account/"
    assert signed_in_as(visitor) == (str(account.pk), BACKEND)
    assert signed_in == [(account.pk, "/oidc/callback/")]
    assert AccessLog.objects.filter(username="ayse", path_info="/oidc/callback/").count() == 1
    again = visitor.get(f"{live_server.url}/account/", allow_redirects=False, timeout=10)
    assert again.status_code == 200
    account.refresh_from_db()
    assert (account.first_name, account.last_name, account.email) == (
        "Ayşe",
        "Yılmaz",
        "ayse.yilmaz@example.org",
    )
    assert account.last_login is not None
    assert User.objects.count() == others


def test_unverified_email_is_refused(sso, live_server):
    UserFactory(username="mehmet", email="mehmet.kaya@example.org")
    visitor = browser()

    answer = visitor.get(to_callback(visitor, live_server.url, "mehmet"), timeout=10)

    assert_refused(answer, live_server, f"Your e-mail address is not verified at {PROVIDER_NAME}")
    assert signed_in_as(visitor)[0] is None


def test_unknown_email_is_refused_and_no_account_is_created(sso, live_server):
    UserFactory(username="stranger", email="someone.else@example.org")
    others = User.objects.count()
    visitor = browser()

    answer = visitor.get(to_callback(visitor, live_server.url, "stranger"), timeout=10)

    assert_refused(answer, live_server, "No account here has the e-mail address stranger@example.org.")
    assert signed_in_as(visitor)[0] is None
    assert User.objects.count() == others
    assert not User.objects.filter(email__iexact="stranger@example.org").exists()


def test_closed_account_is_refused(sso, live_server):
    UserFactory(username="closed", email="closed@example.org", is_active=False)
    visitor = browser()

    answer = visitor.get(to_callback(visitor, live_server.url, "closed"), timeout=10)

    assert_refused(answer, live_server, "The account with the e-mail address closed@example.org is closed.")
    assert signed_in_as(visitor)[0] is None


def test_two_accounts_with_the_email_are_refused(sso, live_server):
    UserFactory(username="twin1", email="twin@example.org")
    UserFactory(username="twin2", email="Twin@Example.org")
    visitor = browser()

    answer = visitor.get(to_callback(visitor, live_server.url, "twin"), timeout=10)

    assert_refused(answer, live_server, "More than one account here has the e-mail address twin@example.org")
    assert signed_in_as(visitor)[0] is None


def test_tampered_state_is_refused(sso, live_server):
    UserFactory(username="ayse", email="ayse.yilmaz@example.org")
    visitor = browser()
    callback = urlsplit(to_callback(visitor, live_server.url, "ayse"))
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    query["state"] = query["state"][::-1]

    answer = visitor.get(urlunsplit(callback._replace(query=urlencode(query))), timeout=10)

    assert_refused(answer, live_server, f"The sign-in through {PROVIDER_NAME} could not be checked")
    assert signed_in_as(visitor)[0] is None


def test_callback_in_another_browser_is_refused(sso, live_server):
    """The provider's answer (a real code and state) taken to another browser signs nobody in there."""
    UserFactory(username="ayse", email="ayse.yilmaz@example.org")
    callback = to_callback(browser(), live_server.url, "ayse")
    thief = browser()

    answer = thief.get(callback, timeout=10)

    assert all(step.status_code < 500 for step in [*answer.history, answer])
    assert answer.url == f"{live_server.url}/accounts/login/"
    assert f"The sign-in through {PROVIDER_NAME} did not complete" in html.unescape(answer.text)
    assert signed_in_as(thief)[0] is None


def test_callback_used_twice_is_refused(sso, live_server):
    """The state is spent at its first use: the same answer again is refused (the person stays signed in
    from the first, and the sign-in page sends them on)."""
    account = UserFactory(username="ayse", email="ayse.yilmaz@example.org")
    visitor = browser()
    callback = to_callback(visitor, live_server.url, "ayse")
    assert visitor.get(callback, timeout=10).url == f"{live_server.url}/account/"

    answer = visitor.get(callback, timeout=10)

    assert all(step.status_code < 500 for step in [*answer.history, answer])
    assert answer.history[0].headers["Location"] == "/accounts/login/"
    assert f"The sign-in through {PROVIDER_NAME} could not be checked" in html.unescape(answer.text)
    assert signed_in_as(visitor) == (str(account.pk), BACKEND)


def test_callback_without_a_sign_in_begun_here_is_refused(sso, live_server):
    visitor = browser()

    answer = visitor.get(f"{live_server.url}/oidc/callback/?code=made-up&state=made-up", timeout=10)

    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/accounts/login/"
    assert f"The sign-in through {PROVIDER_NAME} did not complete" in html.unescape(answer.text)
    assert signed_in_as(visitor)[0] is None


def test_provider_down_is_refused_without_an_error(sso, live_server, settings):
    """The provider signs the person in, then cannot be reached for the token: refused, no 500."""
    UserFactory(username="ayse", email="ayse.yilmaz@example.org")
    visitor = browser()
    callback = to_callback(visitor, live_server.url, "ayse")
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/o/token/"  # nothing listens there

    answer = visitor.get(callback, timeout=30)

    assert_refused(answer, live_server, f"No answer came from {PROVIDER_NAME}.")
    assert signed_in_as(visitor)[0] is None


def test_password_sign_in_still_works_with_single_sign_on(sso, client_for):
    account = UserFactory(username="local", email="local@example.org")
    client = client_for(None)

    answer = client.post("/accounts/login/", {"username": "local", "password": PASSWORD})

    assert answer.status_code == 302
    assert client.session[SESSION_KEY] == str(account.pk)
    assert client.get("/account/").status_code == 200


def test_password_sign_in_works_without_single_sign_on(client_for, db):
    account = UserFactory(username="local", email="local@example.org")
    client = client_for(None)

    answer = client.post("/accounts/login/", {"username": "local", "password": PASSWORD})

    assert answer.status_code == 302
    assert client.session[SESSION_KEY] == str(account.pk)


@pytest.mark.parametrize("configured", [{}, {"OIDC_RP_CLIENT_ID": "grants-office"}])
def test_without_configuration_there_is_no_button_and_no_oidc_address(settings, client_for, configured):
    for name, value in configured.items():
        setattr(settings, name, value)
    client = client_for(None)

    page = client.get("/accounts/login/")

    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()
    assert "/oidc/" not in page.content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_single_sign_on_asks_for_the_second_factor_of_an_account_that_has_one(sso, live_server):
    """The directory's sign-in is the first step, as the password is: the code still comes after it."""
    account = UserFactory(username="ayse", email="ayse.yilmaz@example.org")
    device, _codes = with_second_factor(account)
    visitor = browser()
    answer = visitor.get(to_callback(visitor, live_server.url, "ayse"), timeout=10)

    assert answer.url == f"{live_server.url}/accounts/login/second-factor/"
    assert signed_in_as(visitor) == (None, None)
    page = visitor.get(f"{live_server.url}/accounts/login/second-factor/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = visitor.post(
        f"{live_server.url}/accounts/login/second-factor/",
        data={"code": app_code(device), "csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/accounts/login/second-factor/"},
        timeout=10,
    )
    assert done.url == f"{live_server.url}/account/"
    assert signed_in_as(visitor) == (str(account.pk), BACKEND)


def test_an_office_account_signed_in_by_the_directory_sets_up_its_second_factor(sso, live_server):
    office_staff(username="ayse", email="ayse.yilmaz@example.org")
    visitor = browser()
    answer = visitor.get(to_callback(visitor, live_server.url, "ayse"), timeout=10)

    assert answer.url == f"{live_server.url}/account/two-factor/setup/?next=%2Faccount%2F"
