"""Every party's partner profile and the text partner search reads (`PartnerProfile.search_document`).

The document holds the party's name, place, country, kind in English and Turkish, the profile's themes
in both languages, its description and priorities, and the titles of the party's past projects in the
service (funded proposals it led or partnered). It is Turkish-case-folded (`turkish_fold`), so "İZMİR"
and "izmir" meet in both modes and PostgreSQL's dictionaries never see a dotted capital İ.

The functions take an app registry (`apps`), so the data migration that gave existing parties their
profiles runs the same code on its historical models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.utils import translation

from grants_office.members.provinces import turkish_fold
from workflows.states import State

FUNDED = State.AWARDED  # a past project is a funded one
BATCH = 500


def _models(apps):
    get = apps.get_model
    return (
        get("cooperation", "PartnerProfile"),
        get("members", "Municipality"),
        get("members", "Organisation"),
        get("workflows", "Proposal"),
        get("workflows", "ProposalPartner"),
    )


def _labels(model, value: str) -> list[str]:
    """The label of a choice in English and in Turkish (historical models keep the English msgid)."""
    label = dict(model._meta.get_field("kind").choices).get(value, value)
    with translation.override("en"):
        english = str(label)
    with translation.override("tr"):
        turkish = translation.gettext(english)
    return [english, turkish]


def _party_parts(profile) -> list[str]:
    if profile.municipality_id:
        municipality = profile.municipality
        return [
            municipality.name,
            municipality.province,
            municipality.district,
            "TR Türkiye Turkey",
            *_labels(type(municipality), municipality.kind),
        ]
    organisation = profile.organisation
    return [
        organisation.name,
        organisation.city,
        organisation.country,
        *_labels(type(organisation), organisation.kind),
    ]


def document_text(profile, themes: Iterable, titles: Iterable[str]) -> str:
    parts = _party_parts(profile)
    for theme in themes:
        parts += [theme.name_en, theme.name_tr]
    parts += [profile.description, profile.priorities, *titles]
    return turkish_fold(" ".join(part for part in parts if part))


def _past_titles(profiles, apps) -> dict[tuple[str, int], list[str]]:
    """Titles of the funded proposals of these profiles' parties, keyed ("m", id) or ("o", id)."""
    _, _, _, Proposal, ProposalPartner = _models(apps)
    municipalities = [p.municipality_id for p in profiles if p.municipality_id]
    organisations = [p.organisation_id for p in profiles if p.organisation_id]
    titles: dict[tuple[str, int], list[str]] = defaultdict(list)
    funded = {"state": FUNDED, "deleted_at__isnull": True}
    if municipalities:
        led = Proposal.objects.filter(lead_id__in=municipalities, **funded).values_list("lead_id", "title")
        for party, title in led:
            titles["m", party].append(title)
    partnered = ProposalPartner.objects.filter(
        **{f"proposal__{key}": value for key, value in funded.items()}
    ).values_list("municipality_id", "organisation_id", "proposal__title")
    if municipalities or organisations:
        partnered = partnered.filter(municipality_id__in=municipalities) | partnered.filter(
            organisation_id__in=organisations
        )
        for municipality, organisation, title in partnered:
            titles[("m", municipality) if municipality else ("o", organisation)].append(title)
    return titles


def rebuild_documents(profile_ids: Iterable[int] | None = None, *, apps=django_apps) -> int:
    """Rebuild the search documents of these profiles (every profile when None), in batches with a
    fixed number of queries each; answers how many changed."""
    PartnerProfile = _models(apps)[0]
    profiles = PartnerProfile.objects.select_related("municipality", "organisation").order_by("pk")
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=list(profile_ids))
    changed = 0
    for start in range(0, profiles.count(), BATCH):
        batch = list(profiles.prefetch_related("themes")[start : start + BATCH])
        titles = _past_titles(batch, apps)
        stale = []
        for profile in batch:
            key = (
                ("m", profile.municipality_id) if profile.municipality_id else ("o", profile.organisation_id)
            )
            document = document_text(profile, profile.themes.all(), titles.get(key, ()))
            if document != profile.search_document:
                profile.search_document = document
                stale.append(profile)
        PartnerProfile.objects.bulk_update(stale, ["search_document"])
        changed += len(stale)
    return changed


def ensure_profiles(*, apps=django_apps) -> int:
    """Give every municipality and organisation without a profile its profile, with its document.

    For the paths that write parties with `bulk_create` (no post_save): the member import, the demo
    loader, the bench generator. Answers how many profiles it created."""
    PartnerProfile, Municipality, Organisation, _, _ = _models(apps)
    new = [
        PartnerProfile(municipality_id=pk)
        for pk in Municipality.objects.filter(partner_profile__isnull=True).values_list("pk", flat=True)
    ] + [
        PartnerProfile(organisation_id=pk)
        for pk in Organisation.objects.filter(partner_profile__isnull=True).values_list("pk", flat=True)
    ]
    created = PartnerProfile.objects.bulk_create(new, batch_size=BATCH)
    if created:
        rebuild_documents([profile.pk for profile in created], apps=apps)
    return len(created)
