"""The people: accounts with their office groups, profiles, team memberships and expert profiles."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from demo import data
from demo.loader.shared import Demo, User, bulk_create
from grants_office.members.models import (
    ExpertProfile,
    Municipality,
    Organisation,
    TeamMembership,
    UserProfile,
)
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF


def people(demo: Demo) -> None:
    hashed = make_password(data.PASSWORD)  # hashed once: the demo's users share the password
    groups = {group.name: group for group in Group.objects.filter(name__in=[OFFICE_ADMIN, OFFICE_STAFF])}
    rows = [
        User(
            username=spec["username"],
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email=f"{spec['username']}@example.org",
            password=hashed,
            is_staff=spec.get("office") in ("admin", "staff"),
            is_superuser=spec.get("superuser", False),
        )
        for spec in data.USERS
    ]
    bulk_create(User, rows)
    for spec, user in zip(data.USERS, rows, strict=True):
        demo.users[spec["username"]] = user
        if spec.get("office") == "admin":
            user.groups.add(groups[OFFICE_ADMIN])
        elif spec.get("office") == "staff":
            user.groups.add(groups[OFFICE_STAFF])
    UserProfile.objects.bulk_create(
        UserProfile(
            user=demo.users[spec["username"]],
            language=spec.get("language", "en" if spec.get("superuser") else "tr"),
            time_zone=spec.get("time_zone", "Europe/Istanbul"),
        )
        for spec in data.USERS
    )

    memberships = []
    for spec in data.USERS:
        if "team" not in spec:
            continue
        party_key, role = spec["team"]
        party = demo.party(party_key)
        memberships.append(
            TeamMembership(
                user=demo.users[spec["username"]],
                municipality=party if isinstance(party, Municipality) else None,
                organisation=party if isinstance(party, Organisation) else None,
                role=role,
                starts_on=data.TEAMS_SINCE,
            )
        )
    TeamMembership.objects.bulk_create(memberships)

    for spec in data.USERS:
        expert = spec.get("expert")
        if not expert:
            continue
        profile = ExpertProfile.objects.create(
            user=demo.users[spec["username"]],
            title=expert["title"],
            bio=expert["bio"],
            is_board_member=expert["board"],
            affiliation_municipality=demo.municipalities.get(expert.get("municipality", "")),
            affiliation_organisation=demo.organisations.get(expert.get("organisation", "")),
        )
        profile.themes.set([demo.themes[code] for code in expert["themes"]])
