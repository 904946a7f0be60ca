"""Cooperation: every party's profile (a member's themes are what call watch matches), the union's
agreements and networks, and Edirne's open partner request with Svilengrad's answer. Written through the
services, as the office and the teams would on the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cooperation.models import PartnerProfile
from cooperation.search_documents import ensure_profiles
from cooperation.services import agreements, profiles, requests
from demo import data
from demo.loader.shared import Demo


def cooperation(demo: Demo) -> None:
    ensure_profiles()  # the registry's parties came in bulk
    office = demo.users[data.K]
    for key, spec in data.PROFILES.items():
        party = demo.party(key)
        profile = PartnerProfile.objects.get(**{_field(party): party})
        profiles.update_profile(office, profile, **spec)
    for kind, title, municipalities, organisations, union_wide, signed_on, scope in data.COOPERATIONS:
        agreements.record_cooperation(
            office,
            kind=kind,
            title=title,
            municipalities=[demo.municipalities[key] for key in municipalities],
            organisations=[demo.organisations[key] for key in organisations],
            union_wide=union_wide,
            signed_on=signed_on,
            scope=scope,
        )
    for spec in data.PARTNER_REQUESTS:
        _partner_request(demo, spec)


def _field(party) -> str:
    return "municipality" if party._meta.model_name == "municipality" else "organisation"


def _partner_request(demo: Demo, spec: dict) -> None:
    partner_request = requests.publish_request(
        demo.users[spec["by"]],
        municipality=demo.municipalities[spec["municipality"]],
        proposal=demo.proposals[spec["proposal"]],
        title=spec["title"],
        description=spec["description"],
        role_wanted=spec["role_wanted"],
        countries=spec["countries"],
        kinds=spec["kinds"],
        themes=[demo.themes[code] for code in spec["themes"]],
        answer_by=timezone.localdate(demo.now) + timedelta(days=spec["answer_in_days"]),
    )
    for party_key, username, message in spec["responses"]:
        party = demo.party(party_key)
        requests.respond(demo.users[username], partner_request, message=message, **{_field(party): party})
