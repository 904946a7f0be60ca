"""Capacity building: events with their sessions, registrations, attendance and certificates."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Attendance, Certificate, Event, Registration, Session
from events.states import EventState, RegistrationState
from tests.factories.members import MunicipalityFactory, UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A one-day training three weeks away, open for registration now, with one session (`sessions=n`
    makes n daily sessions instead, the event spanning them). The state is set directly: tests of the
    machine move it through the services."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.TRAINING
    title_tr = factory.Sequence(lambda n: f"Eğitim {n}")
    title_en = factory.Sequence(lambda n: f"Training {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=21)).replace(hour=7, minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=7))
    place = "Tekirdağ"
    capacity = 30
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda e: e.starts_at - timedelta(days=2))
    state = EventState.OPEN
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if not create:
            return
        days = 1 if extracted is None else extracted
        length = self.ends_at - self.starts_at
        for day in range(days):
            start = self.starts_at + timedelta(days=day)
            Session.objects.create(event=self, title=f"{day + 1}", starts_at=start, ends_at=start + length)
        if days > 1:
            self.ends_at = self.starts_at + timedelta(days=days - 1) + length
            Event.objects.filter(pk=self.pk).update(ends_at=self.ends_at)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory, sessions=0)
    starts_at = factory.LazyAttribute(lambda s: s.event.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=3))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    registered_by = factory.SelfAttribute("person")
    state = RegistrationState.CONFIRMED


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.LazyAttribute(lambda a: a.registration.event.sessions.first())
    present = True
    marked_by = factory.SubFactory(UserFactory)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    registration = factory.SubFactory(RegistrationFactory, event__state=EventState.HELD)
    holder_name = factory.LazyAttribute(lambda c: c.registration.person.get_full_name() or "Ad Soyad")
    sessions_attended = 1
    sessions_total = 1
    hours = 7
    issued_by = factory.SubFactory(UserFactory)
