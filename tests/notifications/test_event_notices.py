"""Notifications of events from their signals (events/signals.py), sent here as the events services send
them (inside the transaction of the change) and relayed through the outbox once it commits: who is
told, who not, and what each reads in their language and time zone."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise

from events import signals
from events.models import Certificate, Registration
from events.models import Event as TrainingEvent
from events.states import RegistrationState
from notifications import kinds
from notifications.models import Notification
from tests.factories import (
    CertificateFactory,
    EventFactory,
    RegistrationFactory,
    UserFactory,
    UserProfileFactory,
    office_staff,
)

pytestmark = pytest.mark.django_db

EVENT_KINDS = [
    kinds.EVENT_REGISTERED,
    kinds.EVENT_WAITLISTED,
    kinds.EVENT_PENDING,
    kinds.EVENT_PROMOTED,
    kinds.EVENT_REFUSED,
    kinds.EVENT_REGISTRATION_CANCELLED,
    kinds.EVENT_MOVED,
    kinds.EVENT_CHANGED,
    kinds.EVENT_CANCELLED,
    kinds.EVENT_REMINDER,
    kinds.CERTIFICATE_ISSUED,
]
# 07:00-14:00 UTC on a January day: 10:00-17:00 in Istanbul, 08:00-15:00 in Brussels.
STARTS = datetime(2027, 1, 12, 7, 0, tzinfo=UTC)
ENDS = datetime(2027, 1, 12, 14, 0, tzinfo=UTC)
ISTANBUL_EN = "Jan. 12, 2027, 10 a.m. – 5 p.m. (Europe/Istanbul time)"
ISTANBUL_TR = "12 Ocak 2027 10:00 – 17:00"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a signal as an events service does: inside its transaction, relayed once it commits."""

    def send(signal, **arguments):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            signal.send(**arguments)

    return send


def reader(language="en", zone="Europe/Istanbul", **user):
    profile = UserProfileFactory(user=UserFactory(**user), language=language, time_zone=zone)
    return profile.user


@pytest.fixture
def office():
    user = office_staff(username="ofis", first_name="Ayşe", last_name="Demir")
    UserProfileFactory(user=user, language="en")
    return user


@pytest.fixture
def camp():
    return EventFactory(
        title_en="Project camp",
        title_tr="Proje kampı",
        starts_at=STARTS,
        ends_at=ENDS,
        place="Kıyıköy",
        capacity=2,
    )


def told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def row_of(kind, user) -> Notification:
    return Notification.objects.get(kind=kind, recipient=user)


def test_every_event_kind_is_read_in_the_recipients_language():
    # a lazy string joined to another with + is fixed in the language active at import
    for code in EVENT_KINDS:
        kind = kinds.get(code)
        assert all(isinstance(text, Promise) for text in (kind.label, kind.title, kind.body)), code
        assert kind.default == kinds.Channel.EMAIL


# --- a registration's person ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "kind", "title", "says"),
    [
        (RegistrationState.CONFIRMED, kinds.EVENT_REGISTERED, "Registered: Project camp", "is confirmed"),
        (
            RegistrationState.WAITLISTED,
            kinds.EVENT_WAITLISTED,
            "Waiting list: Project camp",
            "number 1 on the waiting list",
        ),
        (
            RegistrationState.PENDING,
            kinds.EVENT_PENDING,
            "Waiting for approval: Project camp",
            "the office will decide on it",
        ),
    ],
)
def test_being_registered_by_someone_else_tells_the_place_one_got(
    send, office, camp, state, kind, title, says
):
    person = reader(username="selin")
    registration = RegistrationFactory(event=camp, person=person, registered_by=office, state=state)

    send(signals.registration_created, sender=Registration, registration=registration, by=office)

    (row,) = Notification.objects.all()
    assert (row.kind, row.recipient, row.actor, row.title) == (kind, person, office, title)
    assert row.body.startswith("Ayşe Demir registered you for “Project camp”")
    assert says in row.body
    assert f"When: {ISTANBUL_EN}\nWhere: Kıyıköy" in row.body
    assert row.link == f"/events/{camp.pk}/"
    assert (row.content_type.model, row.object_id) == ("registration", registration.pk)


def test_the_waiting_list_notice_gives_the_position_in_the_order_people_registered(send, office, camp):
    for _ahead in range(2):
        RegistrationFactory(event=camp, state=RegistrationState.WAITLISTED)
    person = reader(username="selin")
    third = RegistrationFactory(event=camp, person=person, state=RegistrationState.WAITLISTED)

    send(signals.registration_created, sender=Registration, registration=third, by=office)

    assert "number 3 on the waiting list" in row_of(kinds.EVENT_WAITLISTED, person).body


def test_registering_oneself_tells_nobody(send, camp):
    person = reader(username="selin")
    registration = RegistrationFactory(event=camp, person=person)
    send(signals.registration_created, sender=Registration, registration=registration, by=person)
    assert Notification.objects.count() == 0


def test_a_registration_cancelled_before_the_relay_tells_nothing(send, office, camp):
    registration = RegistrationFactory(event=camp, person=reader(), state=RegistrationState.CANCELLED)
    send(signals.registration_created, sender=Registration, registration=registration, by=office)
    send(signals.registration_confirmed, sender=Registration, registration=registration, by=office)
    assert Notification.objects.count() == 0


def test_an_inactive_person_is_told_nothing(send, office, camp):
    person = reader(username="gone", is_active=False)
    registration = RegistrationFactory(event=camp, person=person)
    send(signals.registration_created, sender=Registration, registration=registration, by=office)
    send(signals.event_cancelled, sender=TrainingEvent, event=camp, by=office, reason="Rain.")
    assert Notification.objects.count() == 0


def test_a_place_off_the_waiting_list_or_approved_tells_the_person(send, office, camp):
    person = reader(username="selin")
    registration = RegistrationFactory(event=camp, person=person)

    send(signals.registration_confirmed, sender=Registration, registration=registration, by=None)

    row = row_of(kinds.EVENT_PROMOTED, person)
    assert row.title == "Your place is confirmed: Project camp" and row.actor is None
    assert row.body.startswith("Your place at “Project camp” is confirmed.\n\nWhen: ")


def test_a_refusal_tells_the_person_with_the_reason(send, office, camp):
    person = reader(username="selin")
    registration = RegistrationFactory(event=camp, person=person, state=RegistrationState.REFUSED)

    send(
        signals.registration_refused,
        sender=Registration,
        registration=registration,
        by=office,
        reason="One seat per municipality.",
    )

    row = row_of(kinds.EVENT_REFUSED, person)
    assert row.title == "Registration refused: Project camp"
    assert row.body == (
        "The office refused your registration for “Project camp”.\n\nReason: One seat per municipality."
    )


def test_a_cancellation_tells_the_person_only_when_someone_else_did_it(send, office, camp):
    person = reader(username="selin")
    registration = RegistrationFactory(event=camp, person=person, state=RegistrationState.CANCELLED)

    send(signals.registration_cancelled, sender=Registration, registration=registration, by=person)
    assert told(kinds.EVENT_REGISTRATION_CANCELLED) == []

    send(signals.registration_cancelled, sender=Registration, registration=registration, by=office)
    row = row_of(kinds.EVENT_REGISTRATION_CANCELLED, person)
    assert row.body == "Ayşe Demir cancelled your registration for “Project camp”."


def test_a_move_tells_the_person_of_the_other_event_and_their_place_there(send, office, camp):
    person = reader(username="selin")
    later = EventFactory(title_en="Project camp, second date", place="Vize")
    there = RegistrationFactory(event=later, person=person, state=RegistrationState.WAITLISTED)
    here = RegistrationFactory(event=camp, person=person, state=RegistrationState.CANCELLED, moved_to=there)

    send(signals.registration_moved, sender=Registration, registration=here, by=office)

    row = row_of(kinds.EVENT_MOVED, person)
    assert (row.content_type.model, row.object_id) == ("registration", there.pk)
    assert row.link == f"/events/{later.pk}/"
    assert row.title == "Moved to Project camp, second date"
    assert row.body.startswith(
        "Ayşe Demir moved you from “Project camp” to “Project camp, second date”: On the waiting list."
    )
    assert "Where: Vize" in row.body


# --- everyone registered -------------------------------------------------------------------------
@pytest.fixture
def registered(camp, office):
    """Everyone with a registration for the camp, live or not; the office registered too."""
    people = {}
    for state in RegistrationState.values:
        people[state] = reader(username=state)
        RegistrationFactory(event=camp, person=people[state], state=state)
    people["inactive"] = reader(username="inactive", is_active=False)
    RegistrationFactory(event=camp, person=people["inactive"])
    RegistrationFactory(event=camp, person=office)
    return people


LIVE = sorted(RegistrationState.LIVE)


def test_a_change_tells_everyone_with_a_live_registration_once_but_the_actor(send, office, camp, registered):
    camp.place, camp.online_url = "Edirne", "https://meet.example/kamp"
    camp.save()

    send(signals.event_changed, sender=TrainingEvent, event=camp, by=office, changes=["starts_at", "place"])

    assert told(kinds.EVENT_CHANGED) == LIVE  # not refused, cancelled, inactive, nor the office
    row = row_of(kinds.EVENT_CHANGED, registered["confirmed"])
    assert row.title == "Changed: Project camp"
    assert row.body == (
        "Ayşe Demir changed “Project camp”: the start, the place.\n\n"
        f"When: {ISTANBUL_EN}\nWhere: Edirne (online: https://meet.example/kamp)"
    )


def test_a_change_of_nothing_announced_tells_nobody(send, office, camp, registered):
    send(signals.event_changed, sender=TrainingEvent, event=camp, by=office, changes=[])
    assert told(kinds.EVENT_CHANGED) == []


def test_a_cancelled_event_tells_everyone_with_a_live_registration_with_the_reason(
    send, office, camp, registered
):
    send(signals.event_cancelled, sender=TrainingEvent, event=camp, by=office, reason="The trainer is ill.")

    assert told(kinds.EVENT_CANCELLED) == LIVE
    row = row_of(kinds.EVENT_CANCELLED, registered["waitlisted"])
    assert row.title == "Cancelled: Project camp"
    assert row.body == (
        f"“Project camp”, planned for {ISTANBUL_EN}, is cancelled.\n\nReason: The trainer is ill."
    )


def test_an_online_event_says_its_link_as_the_place(send, office):
    online = EventFactory(title_en="Webinar", place="", online_url="https://meet.example/w")
    person = reader(username="selin")
    RegistrationFactory(event=online, person=person)
    send(signals.event_changed, sender=TrainingEvent, event=online, by=office, changes=["online_url"])
    body = row_of(kinds.EVENT_CHANGED, person).body
    assert "changed “Webinar”: the online link." in body and body.endswith("Where: https://meet.example/w")


# --- the holder ----------------------------------------------------------------------------------
def test_a_certificate_tells_its_holder_with_the_page_and_the_public_check(send, office, camp):
    person = reader(username="selin")
    certificate = CertificateFactory(registration=RegistrationFactory(event=camp, person=person))

    send(signals.certificate_issued, sender=Certificate, certificate=certificate, by=office)

    row = row_of(kinds.CERTIFICATE_ISSUED, person)
    assert row.link == "/certificates/" and row.title == "Certificate: Project camp"
    verify = f"{settings.SITE_URL.rstrip('/')}/verify/{certificate.display_code}/"
    assert row.body == (
        f"Your certificate for “Project camp” is in “My certificates”; anyone can check it at {verify}"
    )


def test_a_certificate_revoked_before_the_relay_tells_nothing(send, office, camp):
    certificate = CertificateFactory(registration=RegistrationFactory(event=camp, person=reader()))
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=STARTS, revoked_by=office, revocation_reason="Issued by mistake."
    )
    send(signals.certificate_issued, sender=Certificate, certificate=certificate, by=office)
    assert Notification.objects.count() == 0


# --- language and time zone, per recipient -------------------------------------------------------
def test_each_recipient_reads_the_event_in_their_language_and_time_zone(send, office, camp):
    turkish, english = reader("tr", username="ayse"), reader("en", "Europe/Brussels", username="jan")
    for person in (turkish, english):
        RegistrationFactory(event=camp, person=person)

    send(signals.event_cancelled, sender=TrainingEvent, event=camp, by=office, reason="Snow.")

    in_turkish, in_english = row_of(kinds.EVENT_CANCELLED, turkish), row_of(kinds.EVENT_CANCELLED, english)
    assert (in_turkish.language, in_english.language) == ("tr", "en")
    assert "Proje kampı" in in_turkish.title and "Project camp" not in in_turkish.body
    assert "Project camp" in in_english.title and "Proje kampı" not in in_english.body
    assert ISTANBUL_TR in in_turkish.body  # Turkish dates, the event's own zone
    # another clock: the reader's time first, then the event's, named
    assert "Jan. 12, 2027, 8 a.m. – 3 p.m. your time (Jan. 12, 2027, 10 a.m. – 5 p.m. Europe/Istanbul" in (
        in_english.body
    )


def test_labels_are_read_in_the_recipients_language(send, camp):
    turkish, english = reader("tr", username="ayse"), reader("en", username="jan")
    for person in (turkish, english):
        registration = RegistrationFactory(event=camp, person=person, state=RegistrationState.CANCELLED)
        send(signals.registration_cancelled, sender=Registration, registration=registration, by=None)

    assert row_of(kinds.EVENT_REGISTRATION_CANCELLED, turkish).body.startswith("Sistem ")
    assert row_of(kinds.EVENT_REGISTRATION_CANCELLED, english).body.startswith("The system ")
