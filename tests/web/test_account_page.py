"""The person's own settings page: language and time zone, used by the pages and the e-mails."""

import pytest
from django.conf import settings

from grants_office.members.models import UserProfile

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_choice_is_saved_and_used_by_the_next_pages(client_for, people):
    client = client_for(people["lead"], language=None)
    page = client.get("/account/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'value="Europe/Istanbul" selected' in page.content
    response = client.post("/account/", {"language": "en", "time_zone": "Europe/Sofia"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    profile = UserProfile.objects.get(user=people["lead"])
    assert (profile.language, profile.time_zone) == ("en", "Europe/Sofia")
    # the next page speaks English and shows times in Sofia
    page = client.get("/account/")
    assert page.content.decode().count("Your settings are saved.") == 1
    assert b"Times are shown in Europe/Sofia" in page.content


def test_bad_values_are_400_next_to_the_field_and_change_nothing(client_for, people):
    client = client_for(people["lead"], language=None)
    response = client.post(
        "/account/", {"language": "de", "time_zone": "Mars/Olympus"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="account-language-error"' in body and 'id="account-time-zone-error"' in body
    assert "Choose a time zone from the list" in body
    assert not UserProfile.objects.filter(user=people["lead"]).exists()


def test_the_language_switch_is_kept_on_the_profile(client_for, people):
    client = client_for(people["member"], language=None)
    client.post("/language/", {"language": "en", "next": "/"})
    assert UserProfile.objects.get(user=people["member"]).language == "en"


def test_the_page_costs_a_few_queries(client_for, people, django_assert_num_queries):
    client = client_for(people["lead"], language=None)
    client.get("/account/")  # warms the caches of the process (content types)
    # session, user, profile, the user's groups (office or not, for the menu), the unread badge, and the
    # address of the person's calendar feed (made by the first visit)
    with django_assert_num_queries(6):
        assert client.get("/account/").status_code == 200
