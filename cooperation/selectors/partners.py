"""Partner search and partner profiles: the reads of `/api/v1/partners/` and `/partners/`.

Every signed-in person sees every profile (`permissions.sees_partner_profiles`). On PostgreSQL the
words are matched by full-text search in both the Turkish and the English configuration, through the
stored vector and GIN index of migration `0002_partners_profiles`. In the embedded mode (SQLite) every
word must appear in the Turkish-case-folded document. Partners in an agreement with the asker's
municipality come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import permissions
from cooperation.models import Cooperation, PartnerProfile
from cooperation.search_documents import FUNDED
from grants_office.calls.models import FundingProgramme, Theme
from grants_office.core.errors import NotFound
from grants_office.members.models import Organisation
from grants_office.members.provinces import turkish_fold
from grants_office.members.selectors import teams_today
from workflows.models import Proposal, ProposalPartner

MUNICIPALITY = Organisation.Kind.MUNICIPALITY  # the union's municipalities count as this kind
UNION_COUNTRY = "TR"  # the union's municipalities are in Türkiye
AGREEMENTS = (Cooperation.Kind.SISTER_CITY, Cooperation.Kind.AGREEMENT)  # not network memberships


# The document in Turkish and in English, stored by migration 0002 in a generated column with a GIN
# index (PostgreSQL only, not a model field): matching and ranking read it, never compute it per row.
VECTOR = RawSQL('"cooperation_partnerprofile"."search_vector"', [], output_field=SearchVectorField())


class WebQuery(Func):
    """The words as people type them (quotes, or, -) in one configuration."""

    output_field = SearchQueryField()

    def __init__(self, text: str, config: str):
        super().__init__(Value(text))
        self.template = f"websearch_to_tsquery('{config}'::regconfig, %(expressions)s)"


class Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class PrefixQuery(Func):
    """Every word as a prefix (`turizm:*` finds "turizmi", which the Turkish stemmer leaves whole)."""

    output_field = SearchQueryField()

    def __init__(self, prefixes: str, config: str):
        super().__init__(Value(prefixes))
        self.template = f"to_tsquery('{config}'::regconfig, %(expressions)s)"


# quotes, a leading minus or "or": the words are a web search expression, not a list of prefixes
OPERATORS = re.compile(r'"|(^|\s)-|\sor\s')
WORD = re.compile(r"[^\W_]+")


def _either(*queries) -> CombinedExpression:
    combined = queries[0]
    for query in queries[1:]:
        combined = CombinedExpression(combined, "||", query, output_field=SearchQueryField())
    return combined


def _text_query(words: str) -> CombinedExpression:
    """`websearch_to_tsquery` in Turkish or English; for plain words also every word as a prefix in
    both, because the Turkish stemmer leaves many case endings on ("turizmi", "belediyesi")."""
    queries = [WebQuery(words, "turkish"), WebQuery(words, "english")]
    prefixes = " & ".join(f"{word}:*" for word in WORD.findall(words))
    if prefixes and not OPERATORS.search(f" {words} "):
        queries += [PrefixQuery(prefixes, "turkish"), PrefixQuery(prefixes, "english")]
    return _either(*queries)


def funded_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.alive().filter(state=FUNDED)


def funded_partnerships() -> QuerySet[ProposalPartner]:
    return ProposalPartner.objects.filter(proposal__state=FUNDED, proposal__deleted_at__isnull=True)


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _in_agreement(user):
    """True for the parties of an agreement in force with one of the asker's municipalities."""
    mine = teams_today(user)[0]
    if not mine:
        return Value(False, output_field=BooleanField())
    today = timezone.localdate()
    agreements = Cooperation.objects.filter(kind__in=AGREEMENTS, municipalities__in=mine).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    municipalities = Cooperation.municipalities.through.objects.filter(
        cooperation__in=agreements.values("pk")
    ).exclude(municipality_id__in=mine)
    organisations = Cooperation.organisations.through.objects.filter(cooperation__in=agreements.values("pk"))
    return ExpressionWrapper(
        # never NULL (which PostgreSQL sorts first): each side is false for the other kind of party
        Q(municipality_id__isnull=False, municipality_id__in=municipalities.values("municipality_id"))
        | Q(organisation_id__isnull=False, organisation_id__in=organisations.values("organisation_id")),
        output_field=BooleanField(),
    )


def profiles(user) -> QuerySet[PartnerProfile]:
    """Every profile, with what a row of the list shows: the party, its themes, whether it is in an
    agreement with the asker's municipality and how many past projects it has (constant queries)."""
    if not permissions.sees_partner_profiles(user):
        return PartnerProfile.objects.none()
    party = Q(lead_id=OuterRef("municipality_id"))
    partnered = Q(municipality_id=OuterRef("municipality_id")) | Q(
        organisation_id=OuterRef("organisation_id")
    )
    return (
        PartnerProfile.objects.select_related("municipality", "organisation")
        .prefetch_related("themes")
        .annotate(
            in_agreement=_in_agreement(user),
            past_projects=_count(funded_proposals().filter(party))
            + _count(funded_partnerships().filter(partnered)),
            party_name=Coalesce("municipality__name", "organisation__name"),
        )
    )


@dataclass(frozen=True)
class Filters:
    q: str = ""
    country: str = ""
    kind: str = ""
    theme: Theme | None = None
    programme: FundingProgramme | None = None


def _filtered(rows: QuerySet[PartnerProfile], filters: Filters) -> QuerySet[PartnerProfile]:
    if filters.country == UNION_COUNTRY:
        rows = rows.filter(Q(municipality__isnull=False) | Q(organisation__country=UNION_COUNTRY))
    elif filters.country:
        rows = rows.filter(organisation__country=filters.country)
    if filters.kind == MUNICIPALITY:
        rows = rows.filter(Q(municipality__isnull=False) | Q(organisation__kind=MUNICIPALITY))
    elif filters.kind:
        rows = rows.filter(organisation__kind=filters.kind)
    if filters.theme is not None:
        rows = rows.filter(themes=filters.theme)
    if filters.programme is not None:
        partners = funded_partnerships().filter(proposal__call__programme=filters.programme)
        rows = rows.filter(
            Q(
                municipality_id__in=funded_proposals()
                .filter(call__programme=filters.programme)
                .values("lead_id")
            )
            | Q(municipality_id__in=partners.values("municipality_id"))
            | Q(organisation_id__in=partners.values("organisation_id"))
        )
    return rows


def _full_text(rows: QuerySet[PartnerProfile], words: str) -> QuerySet[PartnerProfile]:
    query = _text_query(words)
    return (
        rows.filter(Matches(VECTOR, query))
        .annotate(rank=Func(VECTOR, query, function="ts_rank", output_field=FloatField()))
        .order_by("-in_agreement", "-rank", "party_name", "pk")
    )


def _every_word(rows: QuerySet[PartnerProfile], words: str) -> QuerySet[PartnerProfile]:
    for word in words.split():
        rows = rows.filter(search_document__contains=word)
    return rows


def search_partners(
    user,
    q: str = "",
    country: str = "",
    kind: str = "",
    theme: Theme | None = None,
    programme: FundingProgramme | None = None,
) -> QuerySet[PartnerProfile]:
    """The profiles that match, best first: those in an agreement with the asker's municipality,
    then by relevance (PostgreSQL) and name."""
    rows = _filtered(profiles(user), Filters(q, (country or "").upper(), kind, theme, programme))
    words = turkish_fold(q or "")
    if words and connection.vendor == "postgresql":
        return _full_text(rows, words)
    if words:
        rows = _every_word(rows, words)
    return rows.order_by("-in_agreement", "party_name", "pk")


def partner_profile(user, pk) -> PartnerProfile:
    """One profile for its page and the API; 404 for what the person may not see."""
    try:
        return profiles(user).get(pk=pk)
    except (PartnerProfile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Not found.")) from None


@dataclass(frozen=True)
class PastProject:
    title: str
    call_reference: str
    year: int | None
    role: str
    role_label: str


def _year(proposal: Proposal) -> int | None:
    if proposal.decided_on:
        return proposal.decided_on.year
    moment = proposal.submitted_at or (proposal.call.deadline if proposal.call else None)
    return timezone.localtime(moment).year if moment else None


def past_projects(profile: PartnerProfile) -> list[PastProject]:
    """The party's funded proposals in the service, newest first: led (municipalities) or partnered."""
    rows: list[tuple[Proposal, str, str]] = []
    if profile.municipality_id:
        for proposal in funded_proposals().filter(lead_id=profile.municipality_id).select_related("call"):
            rows.append((proposal, "lead", _("Lead")))
    partnerships = funded_partnerships().select_related("proposal__call")
    if profile.municipality_id:
        partnerships = partnerships.filter(municipality_id=profile.municipality_id)
    else:
        partnerships = partnerships.filter(organisation_id=profile.organisation_id)
    for partner in partnerships:
        rows.append((partner.proposal, partner.role, partner.get_role_display()))
    projects = [
        PastProject(
            proposal.title, proposal.call.reference if proposal.call else "", _year(proposal), role, label
        )
        for proposal, role, label in rows
    ]
    return sorted(projects, key=lambda project: (-(project.year or 0), project.title))
