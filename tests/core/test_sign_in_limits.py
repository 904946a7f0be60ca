"""Sign-in limits that hold: lockouts per user and per address on the web and the API, the client address
from trusted proxies only, a throttle shared by all processes, limited password-reset mails."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from grants_office.core.security import client_ip
from tests.factories import PASSWORD, UserFactory, office_admin

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
LIMIT = 5  # AXES_FAILURE_LIMIT's default


@pytest.fixture
def ayse():
    return UserFactory(username="ayse")


def web_sign_in(username, password, address="10.0.0.1", **headers):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **headers)
    return client.post(LOGIN_URL, {"username": username, "password": password})


def api_sign_in(username, password, address="10.0.0.1", **headers):
    return APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **headers).post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )


def web_locked(response) -> bool:
    if response.status_code == 429:
        assert "Too many failed sign-in attempts" in response.content.decode()
        return True
    assert response.status_code in (200, 302), response.status_code
    return False


def api_locked(response) -> bool:
    if response.status_code == 429 and response.json()["code"] == "locked_out":
        return True
    assert response.status_code in (200, 400), response.content
    return False


# --- the client address ---------------------------------------------------------------------------


def request_from(remote="198.51.100.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_address_is_remote_addr_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(forwarded="203.0.113.5")) == "198.51.100.9"
    assert client_ip(request_from(forwarded="203.0.113.5, 203.0.113.6")) == "198.51.100.9"


def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded="1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from()) == "198.51.100.9"  # no header: the peer itself
    assert client_ip(request_from(forwarded="not-an-address")) == "198.51.100.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded="1.2.3.4, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_ip(request_from(forwarded=" 2001:db8::0:1 , 10.0.0.2")) == "2001:db8::1"


# --- lockouts -------------------------------------------------------------------------------------


def attempts_until_locked(attempt, locked, most=50) -> int:
    """How many wrong passwords are checked before the answer is "locked" (that one included)."""
    for number in range(1, most + 1):
        if locked(attempt(number)):
            return number
    return most


def test_the_web_sign_in_locks_a_user_name_after_the_limit_even_from_new_addresses(ayse):
    checked = attempts_until_locked(lambda n: web_sign_in("ayse", "wrong", address=f"10.0.1.{n}"), web_locked)
    assert checked == LIMIT  # the LIMIT-th failure already answers "locked"
    # the right password, from yet another address: still refused, with the reason on the page
    response = web_sign_in("ayse", PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts. Try again in 15 minutes" in page
    assert 'name="username"' in page and 'value="ayse"' in page  # the sign-in form, not a bare page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in response.wsgi_request.session  # nobody signed in


def test_the_web_sign_in_locks_an_address_that_tries_many_user_names(ayse):
    checked = attempts_until_locked(
        lambda n: web_sign_in(f"guess{n}", "wrong", address="10.0.3.3"), web_locked
    )
    assert checked == LIMIT
    assert web_locked(web_sign_in("ayse", PASSWORD, address="10.0.3.3"))
    # the person, from their own address, is not affected
    assert web_sign_in("ayse", PASSWORD, address="10.0.3.4").status_code == 302


def test_the_token_endpoint_locks_a_user_name_and_answers_429_with_our_error_body(ayse):
    checked = attempts_until_locked(lambda n: api_sign_in("ayse", "wrong", address=f"10.0.4.{n}"), api_locked)
    assert checked == LIMIT
    response = api_sign_in("ayse", PASSWORD, address="10.0.4.200")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and "Try again in 15 minutes" in body["detail"]
    assert response["Retry-After"] == "900"


def test_the_token_endpoint_locks_an_address(ayse):
    checked = attempts_until_locked(
        lambda n: api_sign_in(f"guess{n}", "wrong", address="10.0.5.5"), api_locked
    )
    assert checked == LIMIT
    assert api_locked(api_sign_in("ayse", PASSWORD, address="10.0.5.5"))
    assert api_sign_in("ayse", PASSWORD, address="10.0.5.6").status_code == 200


def test_failures_on_the_web_and_the_api_add_up(ayse):
    for attempt in range(3):
        assert not web_locked(web_sign_in("ayse", "wrong", address=f"10.0.6.{attempt}"))
    assert not api_locked(api_sign_in("ayse", "wrong", address="10.0.7.1"))
    assert api_locked(api_sign_in("ayse", "wrong", address="10.0.7.2"))  # the fifth failure
    assert api_locked(api_sign_in("ayse", PASSWORD, address="10.0.8.1"))
    assert web_locked(web_sign_in("ayse", PASSWORD, address="10.0.8.1"))


def test_a_success_forgives_the_accounts_failures(ayse):
    for _ in range(2):
        for _ in range(LIMIT - 1):
            assert not web_locked(web_sign_in("ayse", "wrong"))
        assert web_sign_in("ayse", PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        assert not api_locked(api_sign_in("ayse", "wrong"))
    assert api_sign_in("ayse", PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="ayse").exists()


def test_signing_in_to_ones_own_account_between_guesses_forgives_nothing_else(ayse):
    UserFactory(username="mallory")
    for _ in range(LIMIT - 1):
        assert not api_locked(api_sign_in("ayse", "guess", address="10.0.9.9"))
    assert api_sign_in("mallory", PASSWORD, address="10.0.9.9").status_code == 200
    assert api_locked(api_sign_in("ayse", "guess", address="10.0.9.9"))  # the fifth: mallory forgave nothing
    assert api_locked(api_sign_in("ayse", PASSWORD, address="10.0.10.10"))


def test_the_lockout_ends_after_the_cool_off(ayse):
    for attempt in range(LIMIT):
        web_sign_in("ayse", "wrong", address=f"10.0.11.{attempt}")
    assert web_locked(web_sign_in("ayse", PASSWORD))
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    assert web_sign_in("ayse", PASSWORD).status_code == 302


def test_an_office_admin_sees_the_lockouts_in_the_admin_and_unlocks(client_for, ayse):
    for attempt in range(LIMIT):
        api_sign_in("ayse", "wrong", address=f"10.0.12.{attempt}")
    assert api_locked(api_sign_in("ayse", PASSWORD))
    admin = client_for(office_admin(username="officeadmin"))
    assert b"/admin/axes/accessattempt/" in admin.get("/admin/").content
    attempts = list(AccessAttempt.objects.filter(username="ayse").values_list("pk", flat=True))
    assert len(attempts) == LIMIT + 1  # one row per address, the refused right password's too
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert api_sign_in("ayse", PASSWORD).status_code == 200


def test_a_spoofed_forwarded_for_does_not_change_the_counted_address(ayse, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    checked = attempts_until_locked(
        lambda n: api_sign_in(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), api_locked
    )
    assert checked == LIMIT
    assert api_locked(api_sign_in("ayse", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


def test_behind_one_trusted_proxy_the_forwarded_address_counts_and_its_spoofed_prefix_does_not(
    ayse, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # five people behind the proxy, one failure each: nobody's address is locked
    for attempt in range(LIMIT):
        api_sign_in(f"guess{attempt}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert api_sign_in("ayse", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 200
    # one client that writes its own X-Forwarded-For in front of what the proxy appends
    checked = attempts_until_locked(
        lambda n: api_sign_in(f"other{n}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7"),
        api_locked,
    )
    assert checked == LIMIT
    assert api_locked(api_sign_in("ayse", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.7"))


# --- the token endpoint's throttle ----------------------------------------------------------------


def throttled(response) -> bool:
    return response.status_code == 429 and response.json()["code"] == "throttled"


def test_the_token_throttle_counts_per_address_whatever_the_forwarded_for_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    results = [
        throttled(api_sign_in(f"nobody{n}", "x", address="10.1.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"))
        for n in range(25)
    ]
    assert results == [False] * 20 + [True] * 5
    response = api_sign_in("nobody", "x", address="10.1.0.1")
    assert throttled(response) and int(response["Retry-After"]) > 0
    assert not throttled(api_sign_in("nobody", "x", address="10.1.0.2"))


def test_the_token_throttle_in_the_database_cache_is_one_count_for_every_process(settings):
    """The embedded default: the counter is a row of the database's cache table, which every process reads."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}
    }
    call_command("createcachetable")
    results = [throttled(api_sign_in(f"nobody{n}", "x", address="10.1.1.1")) for n in range(21)]
    assert results == [False] * 20 + [True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_login_10.1.1.1" in key for key in keys)


def redis_db_11() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("REDIS_URL is not set on CI: the shared throttle must be tested against Redis")
        pytest.skip("REDIS_URL is not set")
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/11", "", ""))


CHILD = """
import django, json, sys
django.setup()
from django.test import RequestFactory
from rest_framework.request import Request
from grants_office.identity.api import LoginThrottle
allowed = 0
for _ in range(int(sys.argv[1])):
    request = Request(RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="10.2.2.2"))
    allowed += LoginThrottle().allow_request(request, None)
print(json.dumps(allowed))
"""


def test_two_processes_share_the_token_throttle_through_redis(settings, tmp_path):
    url = redis_db_11()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "grants_office",  # what the settings give the other process
        }
    }
    cache.clear()  # db 11 is this suite's own
    here = [throttled(api_sign_in(f"nobody{n}", "x", address="10.2.2.2")) for n in range(12)]
    assert not any(here)
    # another Python process, with its own connection to Redis, configured by the settings as in production
    env = {
        **{
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
        },
        "DJANGO_SETTINGS_MODULE": "grants_office.settings",
        "DEBUG": "true",
        "CACHE_URL": url,
        "VAR_DIR": str(tmp_path),
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, "20"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, child.stderr
    assert int(child.stdout.strip().splitlines()[-1]) == 8  # 20 a minute in all: 12 here, 8 there
    assert throttled(api_sign_in("nobody", "x", address="10.2.2.2"))
    cache.clear()


# --- password-reset mails -------------------------------------------------------------------------


def ask_reset(email, address="10.3.0.1"):
    response = Client(REMOTE_ADDR=address).post("/accounts/password-reset/", {"email": email})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    return response


def test_twenty_reset_requests_for_one_address_send_at_most_the_limit(ayse, settings):
    assert settings.PASSWORD_RESET_LIMIT_PER_HOUR == 3
    for attempt in range(20):
        ask_reset(ayse.email, address=f"10.3.1.{attempt}")  # the same "sent" page every time
    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {ayse.email}


def test_reset_requests_from_one_client_send_at_most_its_limit(settings):
    assert settings.PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR == 10
    people = [UserFactory(username=f"person{n}") for n in range(20)]
    for person in people:
        ask_reset(person.email, address="10.3.2.2")
    assert len(mail.outbox) == 10
    ask_reset(people[-1].email, address="10.3.2.3")  # another client is not held back
    assert len(mail.outbox) == 11


def test_one_recipient_however_written_is_counted_once_and_unknown_ones_look_the_same(ayse):
    for email in (ayse.email, ayse.email.upper(), ayse.email.capitalize(), ayse.email.upper()):
        ask_reset(email)
    assert len(mail.outbox) == 3
    ask_reset("nobody@example.org")  # no account: the same "sent" page, nothing sent
    assert len(mail.outbox) == 3
