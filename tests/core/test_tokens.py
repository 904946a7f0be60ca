"""API tokens: sign-out of one or all, revoked on every password change and on deactivation, the cap."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from grants_office.core.tasks import delete_expired_tokens
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(user, password=PASSWORD, **extra) -> str:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": password}, **extra)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def works(token: str) -> bool:
    status = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/calls/").status_code
    assert status in (200, 401)
    return status == 200


@pytest.fixture
def user():
    return UserFactory(username="ayse")


@pytest.fixture
def more_sign_ins(settings):
    """More sign-ins a minute than the address throttle allows (its own tests are in test_sign_in_limits)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "1000/min"}}


def test_logout_revokes_the_token_used_and_keeps_the_others(user):
    used, other = sign_in(user), sign_in(user)
    response = APIClient(HTTP_AUTHORIZATION=f"Token {used}").post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert not works(used)
    assert works(other)
    assert AuthToken.objects.filter(user=user).count() == 1


def test_logout_all_revokes_every_token_of_the_user_and_no_one_elses(user):
    mine = [sign_in(user) for _ in range(3)]
    someone_elses = sign_in(UserFactory(username="mehmet"))
    response = APIClient(HTTP_AUTHORIZATION=f"Token {mine[0]}").post("/api/v1/auth/logout-all/")
    assert response.status_code == 204
    assert not any(works(token) for token in mine)
    assert works(someone_elses)


def test_logout_needs_a_token_and_a_session_cannot_name_one(user):
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    client = APIClient()
    client.force_login(user)
    assert client.post("/api/v1/auth/logout/").status_code == 401


def test_the_account_page_revokes_every_token_and_keeps_the_browser_signed_in(client_for, user):
    tokens = [sign_in(user), sign_in(user)]
    client = client_for(user, language=None)
    page = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'action="/account/api-tokens/revoke/"' in page.content
    response = client.post("/account/api-tokens/revoke/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "2 API tokens were revoked." in response.content.decode()
    assert not any(works(token) for token in tokens)
    assert client.get("/account/").status_code == 200  # still signed in on the web


def test_web_sign_out_still_works_and_leaves_api_tokens_alone(client_for, user):
    token = sign_in(user)
    client = client_for(user, language=None)
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert works(token)


def test_a_password_reset_through_the_web_revokes_every_token(user):
    tokens = [sign_in(user), sign_in(user)]
    client = Client()
    assert client.post("/accounts/password-reset/", {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Yeni-parola-2027", "new_password2": "Yeni-parola-2027"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert not any(works(token) for token in tokens)
    assert works(sign_in(user, "Yeni-parola-2027"))


def test_set_password_and_save_revokes_every_token(user):
    token = sign_in(user)
    user.set_password("another-long-password")
    user.save()
    assert not works(token)
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_new_hash_written_directly_revokes_every_token(user):
    """An import or a shell that writes the hash itself (no set_password) changes the password too."""
    token = sign_in(user)
    other = UserFactory(username="other", password="copied-password-123")
    fresh = get_user_model().objects.get(pk=user.pk)  # a fresh instance, as an import would load it
    fresh.password = other.password
    fresh.save(update_fields=["password"])
    assert not works(token)


def test_an_unusable_password_revokes_every_token(user):
    token = sign_in(user)
    user.set_unusable_password()
    user.save()
    assert not works(token)


def test_the_admin_changing_a_password_revokes_every_token(client_for, user):
    token = sign_in(user)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(superuser, language=None)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Admin-set-2027-x", "password2": "Admin-set-2027-x", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(token)


def test_deactivating_the_account_revokes_every_token(user):
    token = sign_in(user)
    user.is_active = False
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert not works(token)


def test_saving_other_fields_keeps_the_tokens(user):
    token = sign_in(user)
    user.first_name = "Ayşe"
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    user.is_active = True  # unchanged
    user.save()
    assert works(token)


def test_rehashing_the_same_password_at_sign_in_keeps_the_tokens(user, settings):
    """A Django upgrade raises the hasher's work factor and re-hashes each password at the next sign-in:
    that is not a new password, nobody is signed out."""
    token = sign_in(user)
    old_hash = get_user_model().objects.get(pk=user.pk).password
    assert old_hash.startswith("md5$")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    sign_in(user)  # checks the password with the new preferred hasher and re-hashes it
    assert get_user_model().objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    assert works(token)


def test_at_the_cap_the_oldest_tokens_make_room_for_new_ones(user, more_sign_ins, settings):
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    assert limit == 20
    tokens = [sign_in(user) for _ in range(25)]
    assert AuthToken.objects.filter(user=user).count() == 20
    assert [works(token) for token in tokens] == [False] * 5 + [True] * 20


def test_expired_tokens_are_purged_before_counting(user, more_sign_ins):
    for _ in range(20):
        sign_in(user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(minutes=1))
    live = [sign_in(user) for _ in range(3)]
    assert AuthToken.objects.filter(user=user).count() == 3
    assert all(works(token) for token in live)


def test_a_request_checks_only_its_own_token_and_the_hourly_task_deletes_the_expired(user, more_sign_ins):
    """Issue 18: knox read every token of the holder on every request to delete the expired ones; the
    presented token is refused once expired, the others wait for the hourly task."""
    first, second, third = (sign_in(user) for _ in range(3))
    AuthToken.objects.filter(
        token_key__in=[first[: CONSTANTS.TOKEN_KEY_LENGTH], second[: CONSTANTS.TOKEN_KEY_LENGTH]]
    ).update(expiry=timezone.now() - timedelta(minutes=1))
    assert works(third)
    assert AuthToken.objects.filter(user=user).count() == 3  # the request left the others alone
    assert not works(first)
    assert AuthToken.objects.filter(user=user).count() == 2  # the presented one, expired, is gone
    assert delete_expired_tokens() == 1
    assert AuthToken.objects.filter(user=user).count() == 1
    assert works(third)
