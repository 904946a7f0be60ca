"""The little world the browser journeys run in: a union office, two municipalities, calls; and, for
the journeys with an expert review, a rubric, a theme and two experts (`with_reviewers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from grants_office.calls.models import DocumentKind
from grants_office.members.models import TeamMembership
from tests import factories


@dataclass
class World:
    office: object
    lead: object
    other_lead: object
    municipality: object
    other_municipality: object
    call: object
    late_call: object
    password: str = factories.PASSWORD
    reviewer: object = None  # with_reviewers: the expert the office is suggested first


def build_world() -> World:
    municipality = factories.MunicipalityFactory(name="Süleymanpaşa Belediyesi")
    other = factories.MunicipalityFactory(name="Çorlu Belediyesi")
    programme = factories.ProgrammeFactory(name="Interreg IPA Bulgaria–Türkiye", short_name="IPA BG-TR")
    return World(
        office=factories.office_staff(username="koordinator", first_name="Ayşe", last_name="Yılmaz"),
        lead=factories.TeamMembershipFactory(
            municipality=municipality,
            role=TeamMembership.Role.LEAD,
            user__username="ekiplideri",
            user__first_name="Mehmet",
            user__last_name="Demir",
        ).user,
        other_lead=factories.TeamMembershipFactory(
            municipality=other, role=TeamMembership.Role.LEAD, user__username="baskaekip"
        ).user,
        municipality=municipality,
        other_municipality=other,
        call=factories.CallFactory(
            programme=programme,
            reference="IPA-BG-TR-2027-1",
            title="Cross-border cooperation, priority 2",
            deadline=timezone.now() + timedelta(days=45, hours=2),
            deadline_timezone="Europe/Brussels",
            required_documents=[DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET],
        ),
        late_call=factories.CallFactory(
            programme=programme,
            reference="IPA-BG-TR-2026-9",
            opens_on=timezone.localdate() - timedelta(days=120),
            deadline=timezone.now() - timedelta(days=2),
        ),
    )


def with_reviewers(world: World) -> World:
    """The call gets the EU rubric and the theme Water; two experts: Elif Kaya (Water), suggested first,
    and Kemal Yerel, affiliated with the lead municipality, so listed apart with his conflict."""
    from tests.workflows.review import factories as review_factories

    water = factories.ThemeFactory(code="water", name_en="Water", name_tr="Su")
    world.call.rubric = factories.RubricFactory(name="Interreg IPA BG–TR")
    world.call.save()
    world.call.themes.set([water])
    world.reviewer = review_factories.expert(
        [water], user__username="bilirkisi", user__first_name="Elif", user__last_name="Kaya"
    )
    review_factories.expert(
        [],
        user__username="yerel",
        user__first_name="Kemal",
        user__last_name="Yerel",
        affiliation_municipality=world.municipality,
    )
    return world
