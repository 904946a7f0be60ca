"""People: the office, the experts, the partners' contacts and the municipalities' teams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from bench.generate.bulk import bulk
from grants_office.members.models import ExpertProfile, TeamMembership
from grants_office.members.roles import OFFICE_STAFF

if TYPE_CHECKING:
    from bench.generate.driver import Generator

User = get_user_model()


def people(gen: Generator) -> int:
    password = make_password("bench12345")
    n_office = 40
    n_experts = max(10, gen.scale.users // 20)
    n_org = gen.scale.organisations * 2
    users = [
        User(username=f"user{i:06d}", first_name="Ad", last_name=f"Soyad {i}", password=password)
        for i in range(gen.scale.users)
    ]
    users = bulk(User, users)
    gen.office = users[:n_office]
    gen.experts = users[n_office : n_office + n_experts]
    org_users = users[n_office + n_experts : n_office + n_experts + n_org]
    team_users = users[n_office + n_experts + n_org :]
    office_group = Group.objects.get(name=OFFICE_STAFF)
    memberships = []
    gen.team_of_municipality = {}
    for i, user in enumerate(team_users):
        municipality = gen.municipalities[i % len(gen.municipalities)]
        role = TeamMembership.Role.LEAD if i < len(gen.municipalities) else TeamMembership.Role.MEMBER
        memberships.append(TeamMembership(user=user, municipality=municipality, role=role))
        gen.team_of_municipality.setdefault(municipality.pk, []).append(user)
    for i, user in enumerate(org_users):
        organisation = gen.organisations[i % len(gen.organisations)]
        memberships.append(TeamMembership(user=user, organisation=organisation))
    bulk(TeamMembership, memberships)
    # The office role is the group (grants_office.members.roles), given as the admin gives it.
    office_group.user_set.add(*gen.office)
    profiles = bulk(
        ExpertProfile,
        [
            ExpertProfile(
                user=user,
                title="Dr.",
                affiliation_municipality=gen.rng.choice(gen.municipalities) if i % 5 == 0 else None,
            )
            for i, user in enumerate(gen.experts)
        ],
    )
    gen.expert_profiles = profiles
    return len(users) + len(memberships) + len(gen.office) + len(profiles)
