"""A person's own two-factor settings: turning it on, new recovery codes, a new phone, turning it off
where the office does not require it; and the office admin's reset for someone who lost everything."""

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from grants_office.core.errors import Conflict
from grants_office.identity import selectors, services
from tests.factories import office_admin
from tests.factories import office_staff as factories_office_staff
from tests.factories.identity import app_code, with_second_factor

pytestmark = pytest.mark.django_db


def _trail(user) -> list:
    entries = LogEntry.objects.filter(object_pk=str(user.pk), changes__has_key="second_factor")
    return [entry.changes["second_factor"] for entry in entries.order_by("pk")]


def test_the_settings_page_says_whether_it_is_on_and_links_the_setup(client_for, member):
    page = client_for(member).get("/account/two-factor/")
    assert page.status_code == 200
    assert 'data-state="off"' in page.content.decode()
    assert 'href="/account/two-factor/setup/"' in page.content.decode()
    assert 'href="/account/two-factor/"' in client_for(member).get("/account/").content.decode()
    with_second_factor(member)
    page = client_for(member).get("/account/two-factor/").content.decode()
    assert 'data-state="on"' in page
    assert '<dd id="recovery-codes-left">10</dd>' in page
    assert 'action="/account/two-factor/off/"' in page


def test_a_wrong_first_code_turns_nothing_on(client_for, member):
    client = client_for(member)
    client.get("/account/two-factor/setup/")
    response = client.post("/account/two-factor/setup/", {"code": "000000"})
    assert response.status_code == 400
    assert not selectors.has_second_factor(member)
    assert not StaticDevice.objects.filter(user=member).exists()
    assert client.post("/account/two-factor/setup/", {"code": ""}).status_code == 400


def test_confirming_without_a_key_shown_is_refused(member):
    with pytest.raises(Conflict) as refusal:
        services.confirm_authenticator(member, "123456")
    assert refusal.value.code == "not_started"


def test_new_recovery_codes_replace_the_old_ones_and_need_the_apps_code(client_for, member):
    device, old = with_second_factor(member)
    client = client_for(member)
    refused = client.post("/account/two-factor/recovery-codes/", {"codes-code": old[0]})
    assert refused.status_code == 400  # a recovery code does not mint more
    assert StaticToken.objects.filter(device__user=member).count() == 10
    response = client.post("/account/two-factor/recovery-codes/", {"codes-code": app_code(device)})
    assert response.status_code == 200
    new = {token for token in StaticToken.objects.filter(device__user=member).values_list("token", flat=True)}
    assert len(new) == 10
    assert not new & {code.replace("-", "") for code in old}
    assert all(f"{code[:4]}-{code[4:]}" in response.content.decode() for code in new)
    assert _trail(member) == [["off", "authenticator app"], ["authenticator app", "new recovery codes"]]


def test_a_new_phone_replaces_the_app_and_the_codes(client_for, member):
    old_device, old_codes = with_second_factor(member)
    client = client_for(member)
    page = client.get("/account/two-factor/setup/").content.decode()
    assert 'id="two-factor-move"' in page
    new_device = TOTPDevice.objects.get(user=member, confirmed=False)
    assert new_device.key != old_device.key
    assert client.post("/account/two-factor/setup/", {"code": app_code(new_device)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=member).values_list("pk", "confirmed")) == [
        (new_device.pk, True)
    ]
    assert not StaticToken.objects.filter(token=old_codes[0].replace("-", "")).exists()
    assert _trail(member)[-1] == ["authenticator app", "new authenticator app"]


def test_a_member_turns_it_off_with_a_code(client_for, member):
    device, _codes = with_second_factor(member)
    client = client_for(member)
    assert client.post("/account/two-factor/off/", {"off-code": "12"}).status_code == 400
    assert selectors.has_second_factor(member)
    response = client.post("/account/two-factor/off/", {"off-code": app_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    assert _trail(member)[-1] == ["authenticator app", "off"]


def test_the_office_cannot_turn_it_off(client_for, coordinator):
    device, _codes = with_second_factor(coordinator)
    client = client_for(coordinator)
    page = client.get("/account/two-factor/").content.decode()
    assert 'action="/account/two-factor/off/"' not in page
    response = client.post("/account/two-factor/off/", {"off-code": app_code(device)})
    assert response.status_code == 409
    assert 'data-reason="required_for_office"' in response.content.decode()
    assert selectors.has_second_factor(coordinator)


def test_an_admin_resets_a_lost_second_factor_and_signs_the_person_out_everywhere(client_for, coordinator):
    admin = office_admin(username="mudur")
    with_second_factor(coordinator)
    client_for(coordinator)  # a browser signed in as them
    AuthToken.objects.create(coordinator)
    sessions = Session.objects.count()
    counts = services.reset_second_factor(admin, coordinator, "Phone lost, ticket 42")
    assert counts == {"devices": 2, "sessions": 1, "api_tokens": 1}
    assert Session.objects.count() == sessions - 1
    assert not selectors.has_second_factor(coordinator)
    entry = (
        LogEntry.objects.filter(object_pk=str(coordinator.pk), changes__has_key="second_factor")
        .order_by("pk")
        .last()
    )
    assert entry.actor == admin
    assert entry.additional_data["reason"] == "Phone lost, ticket 42"


def test_a_reset_is_refused_to_others_to_oneself_without_a_reason_and_with_nothing_to_reset(coordinator):
    admin = office_admin(username="mudur")
    with_second_factor(coordinator)
    with_second_factor(admin)
    for actor, person, reason in [(coordinator, admin, "x"), (admin, admin, "x")]:
        with pytest.raises(Conflict) as refusal:
            services.reset_second_factor(actor, person, reason)
        assert refusal.value.code == "not_permitted"
    with pytest.raises(Exception, match="Say why"):
        services.reset_second_factor(admin, coordinator, "  ")
    assert selectors.has_second_factor(coordinator) and selectors.has_second_factor(admin)
    services.reset_second_factor(admin, coordinator, "lost")
    with pytest.raises(Conflict) as refusal:
        services.reset_second_factor(admin, coordinator, "again")
    assert refusal.value.code == "not_on"


def test_the_operator_resets_from_the_command_line(coordinator, capsys):
    with_second_factor(coordinator)
    call_command("reset_two_factor", "murat@example.org", "--reason", "ticket 7")
    assert "The second factor of murat is reset." in capsys.readouterr().out
    assert not selectors.has_second_factor(coordinator)
    with pytest.raises(CommandError, match="no second factor"):
        call_command("reset_two_factor", "murat", "--reason", "ticket 7")
    with pytest.raises(CommandError, match="No single person"):
        call_command("reset_two_factor", "nobody", "--reason", "x")


def test_an_admin_resets_from_the_persons_page_and_the_office_cannot(client_for, coordinator):
    admin = office_admin(username="mudur")
    with_second_factor(coordinator)
    other = factories_office_staff(username="selin")
    page = client_for(admin).get(f"/privacy/people/{coordinator.pk}/").content.decode()
    assert 'id="person-second-factor"' in page and 'data-state="on"' in page
    assert f'action="/people/{coordinator.pk}/two-factor/reset/"' in page
    assert (
        "two-factor/reset/"
        not in client_for(other).get(f"/privacy/people/{coordinator.pk}/").content.decode()
    )
    url = f"/people/{coordinator.pk}/two-factor/reset/"
    assert client_for(other).post(url, {"reason": "x"}).status_code == 403
    assert client_for(admin).post("/people/999999/two-factor/reset/", {"reason": "x"}).status_code == 404
    refused = client_for(admin).post(url, {"reason": ""}, follow=True)
    assert "Say why." in refused.content.decode()
    assert selectors.has_second_factor(coordinator)
    done = client_for(admin).post(url, {"reason": "Lost phone"}, follow=True)
    assert done.redirect_chain[-1][0] == f"/privacy/people/{coordinator.pk}/"
    assert "Their second factor is reset" in done.content.decode()
    assert 'data-state="required"' in done.content.decode()
    assert not selectors.has_second_factor(coordinator)
