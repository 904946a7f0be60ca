"""A document set per proposal, the checklist's documents once it has a call, and `scale.versions`
versions over them (metadata only, no files); a submission freezes the versions that went to the funder."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection

from bench.generate.bulk import copy_rows, reserve_ids
from bench.generate.calls import REQUIRED_KINDS
from documents.models import Document, DocumentSet, DocumentVersion
from grants_office.calls.models import DocumentKind
from workflows.models import Proposal, Submission
from workflows.states import State

if TYPE_CHECKING:
    from bench.generate.driver import Generator


def documents(gen: Generator) -> int:
    set_of, written = _sets(gen)
    docs, count = _documents(gen, set_of)
    written += count
    # Every document has a version; the rest of the scale's versions go to random documents.
    counts = [1] * len(docs)
    for _ in range(max(0, gen.scale.versions - len(docs))):
        counts[gen.rng.randrange(len(docs))] += 1
    gen.latest_versions = {}
    written += copy_rows(
        DocumentVersion,
        [
            "id",
            "document",
            "number",
            "storage_key",
            "original_filename",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "note",
        ],
        _versions(gen, docs, counts, reserve_ids(DocumentVersion, sum(counts))),
    )
    # A submission freezes the versions that went to the funder.
    through = Submission.versions.through
    written += copy_rows(
        through,
        ["submission", "documentversion"],
        (
            (submission.pk, version)
            for submission in gen.submissions
            for version in gen.latest_versions.get(submission.proposal_id, [])
        ),
    )
    return written


def _sets(gen: Generator) -> tuple[dict[int, int], int]:
    """A set per proposal, as `create_proposal` makes it: proposal pk -> set pk, and the rows written."""
    first_set = reserve_ids(DocumentSet, len(gen.proposals))
    set_of = {p.pk: first_set + i for i, p in enumerate(gen.proposals)}
    written = copy_rows(
        DocumentSet,
        ["id", "purpose", "title", "description", "audience", "created_at"],
        (
            (set_of[p.pk], "proposal", p.title[:300], "", "", gen.now - timedelta(days=3_000))
            for p in gen.proposals
        ),
    )
    with connection.cursor() as cursor:
        table = Proposal._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS p SET document_set_id = v.s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(p, s) WHERE p.id = v.p",
                [list(set_of), list(set_of.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET document_set_id = %s WHERE id = %s",
                [(s, p) for p, s in set_of.items()],
            )
    return set_of, written


def _documents(gen: Generator, set_of: dict[int, int]) -> tuple[list, int]:
    """The checklist's documents (a draft may miss some), a letter of support now and then, the funder's
    receipt once it went to the funder: [(document pk, proposal, kind)] and the rows written."""
    docs = []  # (document id, proposal, kind)
    for proposal in gen.proposals:
        if proposal.call_id is None:
            continue
        kinds = list(REQUIRED_KINDS)
        if proposal.state == State.DRAFTING:
            kinds = kinds[: gen.rng.randint(0, 3)]
        if gen.rng.random() < 0.3:
            kinds.append(DocumentKind.LETTER_OF_SUPPORT)
        if proposal.state in State.AFTER_SUBMISSION:
            kinds.append(DocumentKind.FUNDER_RECEIPT)
        docs.extend((None, proposal, kind) for kind in kinds)
    first_doc = reserve_ids(Document, len(docs))
    docs = [(first_doc + i, proposal, kind) for i, (_, proposal, kind) in enumerate(docs)]
    labels = dict(DocumentKind.choices)
    written = copy_rows(
        Document,
        ["id", "set", "kind", "title", "created_by", "created_at"],
        (
            (pk, set_of[p.pk], kind, str(labels[kind]), None, gen.now - timedelta(days=2_000))
            for pk, p, kind in docs
        ),
    )
    return docs, written


def _versions(gen: Generator, docs: list, counts: list[int], first_version: int):
    """The version rows, uploaded by the lead's team (or the coordinator); notes each proposal's latest
    versions in `gen.latest_versions` as it goes."""
    rng = gen.rng
    pk = first_version
    for (doc_pk, proposal, kind), count in zip(docs, counts, strict=True):
        team = gen.team_of_municipality.get(proposal.lead_id) or [proposal.coordinator]
        at = gen.now - timedelta(days=rng.randint(60, 3_000))
        for number in range(1, count + 1):
            at += timedelta(hours=rng.randint(1, 400))
            yield (
                pk,
                doc_pk,
                number,
                f"bench/{proposal.pk}/{doc_pk}/{number}",
                f"{kind}-v{number}.pdf",
                rng.randint(20_000, 30_000_000),
                "application/pdf",
                f"{rng.getrandbits(256):064x}",
                rng.choice(team).pk,
                at,
                "",
            )
            pk += 1
        gen.latest_versions.setdefault(proposal.pk, []).append(pk - 1)
