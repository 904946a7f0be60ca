"""The little world the browser journeys run in: a union office, two municipalities, calls; and, for
the journeys with an expert review, a rubric, a theme and two experts (`with_reviewers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from grants_office.calls.models import DocumentKind
from grants_office.members.models import TeamMembership
from tests.factories import (
    PASSWORD,
    CallFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    RubricFactory,
    TeamMembershipFactory,
    ThemeFactory,
    expert,
    office_staff,
)


@dataclass
class World:
    office: object
    lead: object
    other_lead: object
    municipality: object
    other_municipality: object
    call: object
    late_call: object
    password: str = PASSWORD
    reviewer: object = None  # with_reviewers: the expert the office is suggested first


def build_world() -> World:
    municipality = MunicipalityFactory(name="Süleymanpaşa Belediyesi")
    other = MunicipalityFactory(name="Çorlu Belediyesi")
    programme = ProgrammeFactory(name="Interreg IPA Bulgaria–Türkiye", short_name="IPA BG-TR")
    return World(
        office=office_staff(username="koordinator", first_name="Ayşe", last_name="Yılmaz"),
        lead=TeamMembershipFactory(
            municipality=municipality,
            role=TeamMembership.Role.LEAD,
            user__username="ekiplideri",
            user__first_name="Mehmet",
            user__last_name="Demir",
        ).user,
        other_lead=TeamMembershipFactory(
            municipality=other, role=TeamMembership.Role.LEAD, user__username="baskaekip"
        ).user,
        municipality=municipality,
        other_municipality=other,
        call=CallFactory(
            programme=programme,
            reference="IPA-BG-TR-2027-1",
            title="Cross-border cooperation, priority 2",
            deadline=timezone.now() + timedelta(days=45, hours=2),
            deadline_timezone="Europe/Brussels",
            required_documents=[DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET],
        ),
        late_call=CallFactory(
            programme=programme,
            reference="IPA-BG-TR-2026-9",
            opens_on=timezone.localdate() - timedelta(days=120),
            deadline=timezone.now() - timedelta(days=2),
        ),
    )


def with_reviewers(world: World) -> World:
    """The call gets the EU rubric and the theme Water; two experts: Elif Kaya (Water), suggested first,
    and Kemal Yerel, affiliated with the lead municipality, so listed apart with his conflict."""
    water = ThemeFactory(code="water", name_en="Water", name_tr="Su")
    world.call.rubric = RubricFactory(name="Interreg IPA BG–TR")
    world.call.save()
    world.call.themes.set([water])
    world.reviewer = expert(
        [water], user__username="bilirkisi", user__first_name="Elif", user__last_name="Kaya"
    )
    expert(
        [],
        user__username="yerel",
        user__first_name="Kemal",
        user__last_name="Yerel",
        affiliation_municipality=world.municipality,
    )
    return world
