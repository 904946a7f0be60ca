"""Call watch's weekly digest: each team hears of the new calls its municipality may lead, in each
person's language, time zone and channel, and each call once."""

from datetime import UTC, date, datetime, timedelta

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import formats, timezone, translation

from cooperation.models import CallMatchNotice
from grants_office.schedule import BEAT_SCHEDULE
from notifications import kinds, tasks
from notifications.call_watch import send_call_watch
from notifications.models import Notification
from tests.factories import (
    CallEligibilityFactory,
    CallFactory,
    MunicipalityFactory,
    PartnerProfileFactory,
    PreferenceFactory,
    TeamMembershipFactory,
    ThemeFactory,
    UserFactory,
    UserProfileFactory,
)

pytestmark = pytest.mark.django_db

# A fixed Thursday noon (UTC): dates in the texts do not depend on when the suite runs.
AT = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)


def person(username, language, zone, municipality, **membership):
    user = UserFactory(username=username)
    UserProfileFactory(user=user, language=language, time_zone=zone)
    TeamMembershipFactory(user=user, municipality=municipality, **membership)
    return user


@pytest.fixture
def watch(db):
    tourism = ThemeFactory(code="tourism", name_en="Tourism", name_tr="Turizm")
    energy = ThemeFactory(code="energy", name_en="Energy", name_tr="Enerji")
    kesan = MunicipalityFactory(name="Keşan Belediyesi", province="Edirne")
    today = timezone.localdate()  # teams are those of today; calls are judged at AT
    PartnerProfileFactory(municipality=kesan, themes=[tourism])
    people = {
        "ayse": person("ayse", "tr", "Europe/Istanbul", kesan),
        "john": person("john", "en", "Europe/London", kesan),
        "deniz": person("deniz", "en", "Europe/Istanbul", kesan),
        "ended": person(
            "ended", "en", "Europe/Istanbul", kesan, starts_on=today - timedelta(60), ends_on=today
        ),
    }
    inactive = person("inactive", "en", "Europe/Istanbul", kesan)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    # 22:30 UTC on the 15th: the 16th in Istanbul, still the 15th in London
    ipa = CallFactory(
        reference="IPA-BG-TR", themes=[tourism], deadline=datetime(2030, 1, 15, 22, 30, tzinfo=UTC)
    )
    CallEligibilityFactory(call=ipa, lead_provinces=["Edirne", "Kırklareli"])
    upcoming = CallFactory(
        reference="CERV-TWIN",
        themes=[tourism],
        opens_on=date(2030, 1, 25),
        deadline=datetime(2030, 3, 20, 16, 0, tzinfo=UTC),
    )
    # not told: no shared theme; may not lead
    CallFactory(reference="LIFE-ENERGY", themes=[energy], deadline=AT + timedelta(days=40))
    tekirdag = CallFactory(reference="TEKIRDAG", themes=[tourism], deadline=AT + timedelta(days=40))
    CallEligibilityFactory(call=tekirdag, lead_provinces=["Tekirdağ"])
    return {"kesan": kesan, "ipa": ipa, "upcoming": upcoming, "tourism": tourism, **people}


def digests():
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kinds.CALL_WATCH)}


def told_calls(municipality):
    return set(
        CallMatchNotice.objects.filter(municipality=municipality).values_list("call__reference", flat=True)
    )


def test_each_team_member_gets_one_digest_in_their_language_and_zone(
    watch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        written = send_call_watch(AT)

    rows = digests()
    assert written == 3
    assert set(rows) == {"ayse", "john", "deniz"}  # not the one who left, nor the inactive account
    opens = watch["upcoming"].opens_on
    with translation.override("tr"):
        opens_tr = formats.date_format(opens, "j F")
    with translation.override("en"):
        opens_en = formats.date_format(opens, "j F")
    ayse, john, deniz = rows["ayse"], rows["john"], rows["deniz"]
    assert ayse.language == "tr" and "Turizm" in ayse.body and "Tourism" not in ayse.body
    assert opens_tr in ayse.body and opens_tr != opens_en
    assert john.title == "Call watch: 2 new calls for Keşan Belediyesi"
    assert "Themes you follow: Tourism" in john.body and f"Opens on {opens_en}" in john.body
    assert "Open to municipalities in Edirne, Kırklareli" in john.body
    # the days left count in the reader's zone
    assert "Deadline in 5 days" in john.body
    assert "Deadline in 6 days" in deniz.body
    # the best match first; calls that share no theme or that it may not lead are left out
    assert john.body.index("IPA-BG-TR") < john.body.index("CERV-TWIN")
    assert "LIFE-ENERGY" not in john.body and "TEKIRDAG" not in john.body
    assert john.link == f"/calls/matches/?municipality={watch['kesan'].pk}"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ayse@example.org",
        "deniz@example.org",
        "john@example.org",
    ]
    assert told_calls(watch["kesan"]) == {"IPA-BG-TR", "CERV-TWIN"}


def test_a_second_run_or_a_retry_sends_nothing_new(watch):
    send_call_watch(AT)
    first = Notification.objects.count()

    assert send_call_watch(AT) == 0
    assert send_call_watch(AT + timedelta(days=7)) == 0  # next week, nothing new
    assert Notification.objects.count() == first
    assert CallMatchNotice.objects.count() == 2


def test_a_new_call_goes_out_alone_the_next_week(watch):
    send_call_watch(AT)
    CallFactory(reference="NEW-TOURISM", themes=[watch["tourism"]], deadline=AT + timedelta(days=60))
    Notification.objects.all().delete()

    send_call_watch(AT + timedelta(days=7))

    john = digests()["john"]
    assert john.title == "Call watch: 1 new call for Keşan Belediyesi"
    assert "NEW-TOURISM" in john.body and "IPA-BG-TR" not in john.body
    assert told_calls(watch["kesan"]) == {"IPA-BG-TR", "CERV-TWIN", "NEW-TOURISM"}


def test_a_person_who_turned_call_watch_off_hears_nothing(watch):
    PreferenceFactory(user=watch["john"], kind=kinds.CALL_WATCH, channel="off")

    send_call_watch(AT)

    assert set(digests()) == {"ayse", "deniz"}


def test_the_in_app_channel_writes_the_row_without_an_email(watch, django_capture_on_commit_callbacks):
    PreferenceFactory(user=watch["john"], kind=kinds.CALL_WATCH, channel="in_app")

    with django_capture_on_commit_callbacks(execute=True):
        send_call_watch(AT)

    assert digests()["john"].email_status == Notification.EmailStatus.NONE
    assert "john@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_municipality_without_themes_or_a_team_is_not_told(watch):
    themeless = MunicipalityFactory(province="Edirne")
    TeamMembershipFactory(municipality=themeless, user=UserFactory(username="themeless"))
    teamless = MunicipalityFactory(province="Edirne")
    PartnerProfileFactory(municipality=teamless, themes=[watch["tourism"]])

    send_call_watch(AT)

    assert "themeless" not in digests()
    assert not CallMatchNotice.objects.filter(municipality__in=[themeless, teamless]).exists()


def test_a_call_whose_deadline_passed_is_never_told(watch):
    assert send_call_watch(datetime(2030, 3, 21, tzinfo=UTC)) == 0
    assert CallMatchNotice.objects.count() == 0


def test_the_weekly_task_runs_the_digest(watch, settings):
    assert BEAT_SCHEDULE["call-watch"]["task"] == "notifications.send_call_watch"
    assert BEAT_SCHEDULE["call-watch"]["schedule"] == crontab(hour=8, minute=30, day_of_week="mon")
    # the task judges at the moment it runs (today): only calls still open then are told
    CallFactory(reference="OPEN-TODAY", themes=[watch["tourism"]])

    assert tasks.send_call_watch.delay().get() == 3
    assert told_calls(watch["kesan"]) == {"IPA-BG-TR", "OPEN-TODAY"}  # the 2030 call is open today too
