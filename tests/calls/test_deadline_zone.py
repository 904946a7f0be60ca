"""A call's deadlines are typed and shown in the call's own zone, whatever the admin user's zone is."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from grants_office.calls.models import Call
from tests.factories import CallFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/calls/call/add/"


def change_url(call):
    return f"/admin/calls/call/{call.pk}/change/"


def form_data(programme, *, deadline=("2027-03-30", "17:00"), zone="Europe/Brussels", **extra):
    data = {
        "programme": programme.pk,
        "reference": "LIFE-2027-CLIMA",
        "title": "LIFE Climate Action 2027",
        "opens_on": "2026-11-01",
        "deadline_0": deadline[0],
        "deadline_1": deadline[1],
        "deadline_timezone": zone,
        "stage2_deadline_0": "",
        "stage2_deadline_1": "",
        "currency": "EUR",
        "checklist-TOTAL_FORMS": "0",
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def errors_of(response):
    form = response.context["adminform"].form
    return form.errors


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [("2027-03-30", 15), ("2027-01-15", 16)],  # Brussels summer time (UTC+2), winter time (UTC+1)
)
def test_admin_reads_the_deadline_in_the_calls_zone(admin_client, day, utc_hour):
    programme = ProgrammeFactory()
    response = admin_client.post(ADD, form_data(programme, deadline=(day, "17:00")))
    assert response.status_code == 302, errors_of(response)
    call = Call.objects.get(reference="LIFE-2027-CLIMA")
    assert call.deadline == datetime.fromisoformat(f"{day}T{utc_hour:02d}:00").replace(tzinfo=UTC)
    assert call.deadline_display() == f"{day} 17:00 (Europe/Brussels)"


def test_admin_change_form_shows_the_deadline_in_the_calls_zone_with_the_zone(admin_client):
    call = CallFactory(deadline=datetime(2027, 3, 30, 15, 0, tzinfo=UTC), deadline_timezone="Europe/Brussels")
    response = admin_client.get(change_url(call))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["deadline"].value() == datetime(2027, 3, 30, 17, 0)  # not 18:00, Istanbul time
    html = response.content.decode()
    assert 'name="deadline_1" value="17:00:00"' in html
    assert "(Europe/Brussels)" in str(form.fields["deadline"].help_text)
    assert str(form.fields["deadline"].help_text) in html.replace("&#x27;", "'")


def test_admin_saving_unchanged_keeps_the_instant(admin_client):
    call = CallFactory(deadline=datetime(2027, 1, 15, 16, 0, tzinfo=UTC), deadline_timezone="Europe/Brussels")
    data = form_data(call.programme, deadline=("2027-01-15", "17:00:00"), reference=call.reference)
    response = admin_client.post(change_url(call), data)
    assert response.status_code == 302, errors_of(response)
    call.refresh_from_db()
    assert call.deadline == datetime(2027, 1, 15, 16, 0, tzinfo=UTC)


def test_admin_changing_the_zone_reads_the_time_in_the_new_zone(admin_client):
    call = CallFactory(deadline=datetime(2027, 3, 30, 15, 0, tzinfo=UTC), deadline_timezone="Europe/Brussels")
    data = form_data(
        call.programme, deadline=("2027-03-30", "18:00"), zone="Europe/Istanbul", reference=call.reference
    )
    response = admin_client.post(change_url(call), data)
    assert response.status_code == 302, errors_of(response)
    call.refresh_from_db()
    assert call.deadline == datetime(2027, 3, 30, 15, 0, tzinfo=UTC)
    assert call.deadline_display() == "2027-03-30 18:00 (Europe/Istanbul)"


def test_admin_refuses_a_time_the_clocks_skip(admin_client):
    programme = ProgrammeFactory()
    # Brussels goes from 02:00 to 03:00 on 28 March 2027.
    response = admin_client.post(ADD, form_data(programme, deadline=("2027-03-28", "02:30")))
    assert response.status_code == 200
    assert "does not exist in Europe/Brussels" in str(errors_of(response)["deadline"])
    assert not Call.objects.filter(reference="LIFE-2027-CLIMA").exists()


def test_admin_takes_the_earlier_of_a_time_that_occurs_twice(admin_client):
    programme = ProgrammeFactory()
    # Brussels goes back from 03:00 to 02:00 on 31 October 2027: 02:30 happens at 00:30 and 01:30 UTC.
    response = admin_client.post(ADD, form_data(programme, deadline=("2027-10-31", "02:30")))
    assert response.status_code == 302, errors_of(response)
    call = Call.objects.get(reference="LIFE-2027-CLIMA")
    assert call.deadline == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_admin_reads_the_stage2_deadline_in_the_calls_zone(admin_client):
    programme = ProgrammeFactory()
    data = form_data(
        programme,
        is_two_stage="on",
        stage2_deadline_0="2027-09-16",
        stage2_deadline_1="17:00",
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)
    call = Call.objects.get(reference="LIFE-2027-CLIMA")
    assert call.stage2_deadline == datetime(2027, 9, 16, 15, 0, tzinfo=UTC)
    html = admin_client.get(change_url(call)).content.decode()
    assert 'name="stage2_deadline_1" value="17:00:00"' in html


def test_admin_stage2_deadline_must_follow_stage_one(admin_client):
    programme = ProgrammeFactory()
    data = form_data(programme, is_two_stage="on", stage2_deadline_0="2027-03-30", stage2_deadline_1="16:59")
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "after the stage-1 deadline" in str(errors_of(response)["stage2_deadline"])
    assert not Call.objects.exists()


def test_admin_stage2_deadline_only_on_a_two_stage_call(admin_client):
    programme = ProgrammeFactory()
    data = form_data(programme, stage2_deadline_0="2027-09-16", stage2_deadline_1="17:00")
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "two-stage" in str(errors_of(response)["stage2_deadline"])
    assert not Call.objects.exists()


def test_call_api_shows_the_stage2_deadline_in_the_funder_zone(api_client, office_user):
    stage2 = timezone.now().replace(microsecond=0) + timedelta(days=200)
    call = CallFactory(is_two_stage=True, stage2_deadline=stage2, deadline_timezone="Europe/Brussels")
    body = api_client(office_user).get(f"/api/v1/calls/{call.pk}/").json()
    assert datetime.fromisoformat(body["stage2_deadline"]) == stage2
    local = stage2.astimezone(call.funder_tz)
    assert body["stage2_deadline_local"] == local.isoformat()
    assert body["stage2_deadline_display"] == f"{local:%Y-%m-%d %H:%M} (Europe/Brussels)"
    single = api_client(office_user).get(f"/api/v1/calls/{CallFactory().pk}/").json()
    assert (single["stage2_deadline"], single["stage2_deadline_display"]) == (None, None)


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_deadline_no_zone_can_convert_is_a_form_error(admin_client, day):
    programme = ProgrammeFactory()
    response = admin_client.post(
        ADD, form_data(programme, deadline=(day, "17:00"), zone="Pacific/Kiritimati")
    )
    assert response.status_code == 200  # the form again
    assert errors_of(response)["deadline"] == ["Give a moment between the years 1980 and 9999."]
    assert not Call.objects.exists()
