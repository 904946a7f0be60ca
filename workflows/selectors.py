"""Read queries for proposals: the one query every list uses, and the pieces a page shows."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Collate
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from documents import owners
from documents import selectors as document_selectors
from documents.models import DocumentVersion
from grants_office.calls.models import ChecklistItem, DocumentKind
from grants_office.core.errors import NotFound, Reason
from grants_office.core.people import signed_in
from grants_office.members.models import TeamMembership
from grants_office.members.permissions import is_office_staff
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import access
from workflows.conditions import required_kinds
from workflows.document_policy import AFTER_SUBMISSION_KINDS, changes_hint, open_for_resubmission
from workflows.models import Consultation, Proposal, ProposalPartner, SavedFilter, deadline_expression
from workflows.states import State


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Office staff see every proposal; everyone else those of their teams today and those they review
    past the conflict-of-interest gate (`workflows.access`)."""
    proposals = with_detail(Proposal.objects.alive())
    if not signed_in(user):
        return proposals.none()
    if is_office_staff(user):
        return proposals
    return proposals.filter(pk__in=access.visible_proposal_ids(user))


def listed_proposals(user) -> QuerySet[Proposal]:
    """The API list's rows: what a row shows and no more. The call's eligibility and checklist are for
    the lifecycle's conditions on one proposal; every join and every index of the proposals table is
    planning time (3-7 ms a page at national scale with six joins), and past eight joins the planner
    stops reordering them and hashed every proposal for a reviewer's 150 (issue 18). Who recorded a
    lead exception is prefetched: no query when no row has one."""
    return (
        proposals_visible_to(user)
        .select_related(None)
        .select_related("lead", "call__programme", "coordinator")
        .prefetch_related(None)
        .prefetch_related(_partners(), "lead_exception_by")
    )


def visible_proposal(user, pk, proposals: QuerySet[Proposal] | None = None) -> Proposal:
    """The proposal if this person sees it (from `proposals`, a narrowing of `proposals_visible_to`),
    else `NotFound`; the answer travels with the object (`access.found_visible`), so the services this
    request calls do not ask again."""
    proposals = proposals_visible_to(user) if proposals is None else proposals
    try:
        proposal = proposals.get(pk=pk)
    except Proposal.DoesNotExist:
        raise NotFound(_("Not found.")) from None
    access.found_visible(user, proposal)
    return proposal


def history(proposal: Proposal) -> QuerySet[StateLog]:
    return StateLog.objects.for_(proposal).select_related("by").order_by("timestamp", "id")


def consultations(proposal: Proposal) -> QuerySet[Consultation]:
    return (
        proposal.consultations.select_related("event")
        .prefetch_related("office_experts", "team_participants")
        .order_by("-held_at")
    )


def submissions(proposal: Proposal):
    """Newest first (the first one counts), each with its frozen versions: two queries whatever the size."""
    versions = DocumentVersion.objects.select_related("document").order_by("document__kind", "document_id")
    return (
        proposal.submissions.select_related("recorded_by")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("-submitted_at", "-id")
    )


def board_proposals(
    user,
    *,
    states,
    programme=None,
    call=None,
    municipality=None,
    coordinator=None,
    search: str = "",
) -> QuerySet[Proposal]:
    """The pipeline board's cards: one query with what a card shows, soonest deadline first (the
    deadline that applies: stage 2 has its own)."""
    proposals = proposals_visible_to(user).prefetch_related(None).filter(state__in=states)
    if programme is not None:
        proposals = proposals.filter(call__programme=programme)
    if call is not None:
        proposals = proposals.filter(call=call)
    if municipality is not None:
        proposals = proposals.filter(lead=municipality)
    if coordinator is not None:
        proposals = proposals.filter(coordinator=coordinator)
    proposals = search_proposals(proposals, search)
    return proposals.order_by(deadline_expression().asc(nulls_last=True), "-updated_at", "-id")


def search_proposals(proposals: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """The board's search (also the table's and the API's `q`): the words as typed, in the title, the
    acronym or the lead municipality's name."""
    text = (text or "").strip()
    if not text:
        return proposals
    return proposals.filter(
        Q(title__icontains=text) | Q(acronym__icontains=text) | Q(lead__name__icontains=text)
    )


def my_proposals(user) -> QuerySet[Proposal]:
    """A team's proposals (as lead or partner); for office staff, the ones they coordinate."""
    proposals = proposals_visible_to(user).prefetch_related(None)
    if is_office_staff(user):
        proposals = proposals.filter(coordinator=user)
    return proposals.order_by(deadline_expression().asc(nulls_last=True), "-updated_at", "-id")


def consultation_office_people():
    """Who the office may list as its side of a consultation: office staff and the expert pool."""

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN]) | Q(expert_profile__isnull=False))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def consultation_team_people(proposal: Proposal):
    """Who may sit at a consultation for the proposal's side: today's lead and partner teams."""

    partners = ProposalPartner.objects.filter(proposal=proposal)
    teams = TeamMembership.objects.active().filter(
        Q(municipality_id=proposal.lead_id)
        | Q(municipality__in=partners.values("municipality"))
        | Q(organisation__in=partners.values("organisation"))
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=teams.values("user"))
        .order_by("first_name", "last_name", "username")
    )


# --- the documents section of the proposal page ----------------------------------------------------


@dataclass
class DocumentsSection:
    """What the documents section shows one person: the documents with their versions (each document
    carries `blocked`, None or the reason they may not add a version now), the call's checklist, the
    kinds they may add, and why the rest is locked."""

    documents: list
    checklist: list[dict]
    offered_kinds: list[str]
    locked: Reason | None
    resubmission_open: bool

    @property
    def missing(self) -> list:
        return [item["label"] for item in self.checklist if not item["present"]]

    @property
    def may_upload(self) -> bool:
        return any(document.blocked is None for document in self.documents)


def offered_document_kinds(proposal, user) -> list[str]:
    """The kinds this person may add now: the call's checklist (every kind without a call) while the
    proposal is prepared, and also what the funder sends back while a submission may still be corrected;
    only what the funder sends back once the deadline passed."""
    after = [str(kind) for kind in AFTER_SUBMISSION_KINDS]
    if proposal.state in State.AFTER_SUBMISSION and not open_for_resubmission(proposal):
        kinds = after
    else:
        checklist = [item.document_kind for item in proposal.call.checklist.all()] if proposal.call_id else []
        kinds = checklist or [kind for kind in DocumentKind.values if kind not in AFTER_SUBMISSION_KINDS]
        if proposal.state in State.AFTER_SUBMISSION:
            kinds = [*kinds, *after]
    ordered = [kind for kind in DocumentKind.values if kind in kinds]
    document_set = proposal.document_set
    if document_set is None:
        return ordered
    return [kind for kind in ordered if owners.change_blocked(user, document_set, kind) is None]


def _with_blocked(documents, user, document_set) -> None:
    """Each document's `blocked`: asked once per kind, as the rule depends on the kind only."""
    by_kind: dict[str, Reason | None] = {}
    for document in documents:
        if document.kind not in by_kind:
            by_kind[document.kind] = (
                owners.change_blocked(user, document_set, document.kind) if document_set else None
            )
        document.blocked = by_kind[document.kind]


def documents_section(user, proposal) -> DocumentsSection:
    document_set = proposal.document_set
    documents = list(document_selectors.documents_of(document_set))
    _with_blocked(documents, user, document_set)
    present = {document.kind for document in documents if document.versions.all()}
    checklist = [
        {"kind": kind, "label": DocumentKind(kind).label, "present": kind in present}
        for kind in required_kinds(proposal)
    ]
    kinds = offered_document_kinds(proposal, user)
    hint = changes_hint(user, proposal)
    reason = hint["reason"]
    # Why nothing (or, once submitted, only what the funder sends) can be changed, for those on the
    # proposal's side (partners and reviewers only read).
    nothing_open = not kinds and not any(document.blocked is None for document in documents)
    shows_lock = proposal.state in State.AFTER_SUBMISSION or nothing_open
    locked = reason if reason is not None and reason.code != "not_permitted" and shows_lock else None
    return DocumentsSection(documents, checklist, kinds, locked, hint["resubmission_open"])


# --- the proposals table and the exports of the list --------------------------------------------------
# PostgreSQL's ICU collation for Turkish: "Çorlu" after "Corum", "İnegöl" after "Iğdır", "Şile" after
# "Sakarya". SQLite, and a PostgreSQL built without ICU, compare in their own order (code points).
TURKISH_COLLATION = "tr-x-icu"


@functools.cache
def turkish_collation_exists() -> bool:
    """Asked once per process: a database without it would refuse the query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [TURKISH_COLLATION])
        return cursor.fetchone() is not None


def with_detail(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What one proposal's page and answer show, and what its lifecycle's conditions read."""
    return (
        # the call's eligibility: the lead and consortium conditions of `mark_ready` read it
        proposals.select_related("lead", "call__programme", "call__eligibility", "coordinator")
        # the checklist condition of `mark_ready` reads it on the detail and transitions pages; who
        # recorded the office's lead exception is prefetched, not joined: lists built on
        # `proposals_visible_to` drop the prefetches, and a prefetch with no exception asks nothing
        .prefetch_related(_partners(), checklist(), "lead_exception_by")
    )


def checklist() -> Prefetch:
    """The call's checklist in the order the pages show it, as the lifecycle's conditions read it."""
    return Prefetch(
        "call__checklist", queryset=ChecklistItem.objects.order_by("call_id", "-required", "document_kind")
    )


def visible_for_a_step(user) -> QuerySet[Proposal]:
    """`proposals_visible_to` for the question alone (a transition locks and reads the row itself)."""
    return proposals_visible_to(user).select_related(None).prefetch_related(None)


def _partners() -> Prefetch:
    """In the models' order but written out: `Meta.ordering` names the proposal and so joins the
    proposals table again only to sort by its own ordering (the same for the checklist and calls)."""
    partners = ProposalPartner.objects.select_related("municipality", "organisation")
    return Prefetch("partners", queryset=partners.order_by("proposal_id", "role", "id"))


def turkish_text(field: str):
    """The field compared in Turkish order where the database can (PostgreSQL with ICU)."""
    if connection.vendor == "postgresql" and turkish_collation_exists():
        return Collate(F(field), TURKISH_COLLATION)
    return F(field)


def _lifecycle_position():
    """A state's place in the lifecycle (idea first), the order people read the states in."""
    return Case(*[When(state=state, then=Value(index)) for index, state in enumerate(State.values)])


# Sort keys -> (expression, may it be empty). The table's `?sort=` and the API's `?ordering=` take these.
PROPOSAL_SORTS = {
    "title": (lambda: turkish_text("title"), False),
    "lead": (lambda: turkish_text("lead__name"), False),
    # the deadline that applies (stage 2 has its own), and the call's own one (the API had it first):
    # the copies kept on the row (`workflows.deadlines`), which an index serves
    "deadline": (lambda: F("sort_deadline"), True),
    "state": (_lifecycle_position, False),
    "requested_amount": (lambda: F("requested_amount"), True),
    "awarded_amount": (lambda: F("awarded_amount"), True),
    "updated_at": (lambda: F("updated_at"), False),
    "created_at": (lambda: F("created_at"), False),
    "call__deadline": (lambda: F("sort_call_deadline"), True),
}


def sorted_proposals(proposals: QuerySet[Proposal], terms: list[str]) -> QuerySet[Proposal]:
    """Ordered by the sort keys in `terms` ("-title" descending), empty values last either way, ties
    broken by id in the first term's direction, so pages never share or skip a row."""
    order = []
    for term in terms:
        expression, nullable = PROPOSAL_SORTS[term.removeprefix("-")]
        descending = term.startswith("-")
        nulls = {"nulls_last": True} if nullable else {}  # only then: the list index serves updated_at
        order.append(expression().desc(**nulls) if descending else expression().asc(**nulls))
    tie = "-id" if terms and terms[0].startswith("-") else "id"
    return proposals.order_by(*order, tie)


def table_proposals(
    user, *, states, sort: list[str], partners: bool = False, **filters
) -> QuerySet[Proposal]:
    """The proposals table: the board's proposals for the same filters (the same set), in the chosen
    order, with the partners only when their column is shown."""
    proposals = sorted_proposals(board_proposals(user, states=states, **filters), sort)
    return proposals.prefetch_related(_partners()) if partners else proposals


# What a row of the export reads, and no more: 100,000 rows are built as model objects.
EXPORT_FIELDS = [
    *["acronym", "title", "state", "stage", "currency", "lead__name", "lead__province"],
    *["requested_amount", "total_budget", "awarded_amount", "created_at", "submitted_at", "decided_on"],
    *["updated_at", "call__reference", "call__deadline", "call__stage2_deadline", "call__deadline_timezone"],
    *["call__programme__name", "coordinator__first_name", "coordinator__last_name", "coordinator__username"],
]


def proposals_for_export(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A filtered list (a narrowing of `proposals_visible_to`) with what a row of the export holds; the
    partners as a list (`export_partners`: no queryset per row, which a plain prefetch builds)."""
    partners = ProposalPartner.objects.select_related("municipality", "organisation").only(
        "proposal_id", "municipality__name", "organisation__name", "organisation__country"
    )
    return (
        proposals.select_related(None)
        .select_related("lead", "call__programme", "coordinator")
        .only(*EXPORT_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("partners", queryset=partners, to_attr="export_partners"))
    )


def saved_filters_of(user) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user_id=user.pk).order_by(turkish_text("name").asc(), "id")


def saved_filter_of(user, pk) -> SavedFilter:
    """One of this person's saved views; anyone else's is not found."""
    saved = saved_filters_of(user).filter(pk=pk).first()
    if saved is None:
        raise NotFound(_("Not found."))
    return saved


def consultations_at(user, event) -> list[Consultation]:
    """The consultations held at a programme meeting on proposals this person may see."""
    return list(
        Consultation.objects.filter(event=event, proposal__in=proposals_visible_to(user).values("pk"))
        .select_related("proposal__lead")
        .order_by("proposal__title", "id")
    )
