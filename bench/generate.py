"""Fill the database with a union's worth of data, fast: `python -m bench.generate --scale national`.

Rows go in with bulk inserts in large batches, shaped as the services would have left them (memberships,
partners, assignments, transition logs, submissions), so reads behave as in production. Not for the test run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

BATCH = 5_000
SEED = 20261122

# The share of proposals in each state and the path of transitions that leads there.
STATE_MIX = {
    "idea": (0.10, []),
    "consultation": (0.07, ["start_consultation"]),
    "dropped": (0.05, ["start_consultation", "drop"]),
    "drafting": (0.14, ["start_consultation", "start_drafting"]),
    "in_review": (0.04, ["start_consultation", "start_drafting", "start_review"]),
    "ready": (0.03, ["start_consultation", "start_drafting", "mark_ready"]),
    "submitted": (0.10, ["start_consultation", "start_drafting", "mark_ready", "submit"]),
    "awarded": (0.12, ["start_consultation", "start_drafting", "mark_ready", "submit", "award"]),
    "reserve": (0.03, ["start_consultation", "start_drafting", "mark_ready", "submit", "put_on_reserve"]),
    "rejected": (0.19, ["start_consultation", "start_drafting", "mark_ready", "submit", "reject"]),
    "ineligible": (
        0.03,
        ["start_consultation", "start_drafting", "mark_ready", "submit", "declare_ineligible"],
    ),
    "invited_stage2": (
        0.02,
        ["start_consultation", "start_drafting", "mark_ready", "submit", "invite_to_stage2"],
    ),
    "withdrawn": (0.04, ["start_consultation", "start_drafting", "withdraw"]),
    "expired": (0.04, ["start_consultation", "start_drafting", "expire"]),
}
OPEN_STATES = {"idea", "consultation", "drafting", "in_review", "ready", "invited_stage2"}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grants_office.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def chunks(rows, size=BATCH):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def bulk(model, rows) -> list:
    created = []
    for part in chunks(rows):
        created.extend(model.objects.bulk_create(part, batch_size=BATCH))
    return created


def reserve_ids(model, n: int) -> int:
    """Take n ids from the table's sequence and return the first: rows written with COPY can then name
    their own ids (and other rows can point at them) without asking the database back."""
    from django.db import connection

    table = model._meta.db_table
    if n <= 0:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, n])
            return cursor.fetchone()[0] - n + 1
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # SQLite: one writer, us
        return cursor.fetchone()[0] + 1


def copy_rows(model, fields, rows) -> int:
    """Stream rows (tuples in the order of `fields`, model field names) into the model's table: COPY on
    PostgreSQL, several times faster than bulk_create and without a model instance per row; batched
    INSERTs elsewhere. Rows may be a generator, so a million never sit in memory at once."""
    from django.db import connection

    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


class Generator:
    def __init__(self, scale, rng: random.Random, out=sys.stdout):
        from django.utils import timezone

        self.scale = scale
        self.rng = rng
        self.now = timezone.now()
        self.out = out
        self.timings: list[tuple[str, float, int]] = []

    def step(self, name, func):
        started = time.perf_counter()
        count = func()
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed, count))
        self.out.write(f"  {name:<28} {count:>10,} rows {elapsed:8.1f} s\n")
        self.out.flush()

    # -- the registry ------------------------------------------------------------------------------
    def members(self) -> int:
        from grants_office.members.models import Municipality, Organisation
        from grants_office.members.provinces import PROVINCE_CHOICES

        provinces = [code for code, _ in PROVINCE_CHOICES]
        kinds = (
            [Municipality.Kind.DISTRICT] * 7 + [Municipality.Kind.TOWN] * 2 + [Municipality.Kind.PROVINCIAL]
        )
        municipalities = [
            Municipality(
                name=f"Belediye {i:04d}",
                province=provinces[i % len(provinces)],
                district=f"İlçe {i:04d}",
                kind=Municipality.Kind.METROPOLITAN if i < 30 else self.rng.choice(kinds),
                population=self.rng.randint(2_000, 900_000),
                membership_status=Municipality.Membership.MEMBER,
                membership_date=self.now.date() - timedelta(days=self.rng.randint(30, 3_650)),
                contact_email=f"hibe{i}@belediye.example.org",
            )
            for i in range(self.scale.municipalities)
        ]
        self.municipalities = bulk(Municipality, municipalities)
        countries = ["BG", "GR", "RO", "DE", "IT", "ES", "TR", "PL", "HU", "NL"]
        organisations = [
            Organisation(
                name=f"Partner {i:04d}",
                kind=self.rng.choice([k for k, _ in Organisation.Kind.choices]),
                country=countries[i % len(countries)],
            )
            for i in range(self.scale.organisations)
        ]
        self.organisations = bulk(Organisation, organisations)
        return len(municipalities) + len(organisations)

    def people(self) -> int:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from grants_office.members.models import ExpertProfile, TeamMembership
        from grants_office.members.roles import OFFICE_STAFF

        User = get_user_model()
        password = make_password("bench12345")
        n_office = 40
        n_experts = max(10, self.scale.users // 20)
        n_org = self.scale.organisations * 2
        users = [
            User(username=f"user{i:06d}", first_name="Ad", last_name=f"Soyad {i}", password=password)
            for i in range(self.scale.users)
        ]
        users = bulk(User, users)
        self.office = users[:n_office]
        self.experts = users[n_office : n_office + n_experts]
        org_users = users[n_office + n_experts : n_office + n_experts + n_org]
        team_users = users[n_office + n_experts + n_org :]
        office_group = Group.objects.get(name=OFFICE_STAFF)
        memberships = []
        self.team_of_municipality: dict[int, list] = {}
        for i, user in enumerate(team_users):
            municipality = self.municipalities[i % len(self.municipalities)]
            role = TeamMembership.Role.LEAD if i < len(self.municipalities) else TeamMembership.Role.MEMBER
            memberships.append(TeamMembership(user=user, municipality=municipality, role=role))
            self.team_of_municipality.setdefault(municipality.pk, []).append(user)
        for i, user in enumerate(org_users):
            organisation = self.organisations[i % len(self.organisations)]
            memberships.append(TeamMembership(user=user, organisation=organisation))
        user_groups = [User.groups.through(user_id=u.pk, group_id=office_group.pk) for u in self.office]
        bulk(TeamMembership, memberships)
        bulk(User.groups.through, user_groups)
        profiles = bulk(
            ExpertProfile,
            [
                ExpertProfile(
                    user=user,
                    title="Dr.",
                    affiliation_municipality=self.rng.choice(self.municipalities) if i % 5 == 0 else None,
                )
                for i, user in enumerate(self.experts)
            ],
        )
        self.expert_profiles = profiles
        return len(users) + len(memberships) + len(user_groups) + len(profiles)

    # -- calls -------------------------------------------------------------------------------------
    def calls(self) -> int:
        from grants_office.calls.models import (
            Call,
            ChecklistItem,
            Criterion,
            DocumentKind,
            FundingProgramme,
            Rubric,
            Theme,
        )

        themes = bulk(
            Theme, [Theme(code=f"t{i:02d}", name_en=f"Theme {i}", name_tr=f"Tema {i}") for i in range(24)]
        )
        programmes = bulk(
            FundingProgramme,
            [
                FundingProgramme(
                    name=f"Programme {i:02d}",
                    funder="European Commission" if i % 3 else "Kalkınma Ajansı",
                    kind=FundingProgramme.Kind.EU if i % 3 else FundingProgramme.Kind.NATIONAL,
                )
                for i in range(30)
            ],
        )
        eu = Rubric.objects.create(name="Bench EU rubric", overall_threshold=Decimal(10))
        agency = Rubric.objects.create(
            name="Bench agency rubric",
            overall_threshold=Decimal(65),
            disagreement_rule="totals",
            disagreement_gap=Decimal(15),
        )
        Criterion.objects.bulk_create(
            [
                Criterion(rubric=eu, code=c, title=c.title(), position=i, threshold=Decimal(3))
                for i, c in enumerate(["excellence", "impact", "implementation"])
            ]
            + [
                Criterion(
                    rubric=agency, code=c, title=c.title(), position=i, scale_max=Decimal(w), step=Decimal(1)
                )
                for i, (c, w) in enumerate([("relevance", 30), ("method", 40), ("sustainability", 30)])
            ]
        )
        self.rubrics = [eu, agency]
        calls = []
        for i in range(self.scale.calls):
            # Deadlines spread over ten years, a tenth still open.
            days = self.rng.randint(1, 120) if i % 10 == 0 else -self.rng.randint(1, 3_650)
            programme = programmes[i % len(programmes)]
            calls.append(
                Call(
                    programme=programme,
                    reference=f"CALL-{i:05d}",
                    title=f"Call {i}",
                    opens_on=(self.now + timedelta(days=days - 90)).date(),
                    deadline=self.now + timedelta(days=days),
                    is_two_stage=i % 7 == 0,
                    rubric=eu if programme.kind == FundingProgramme.Kind.EU else agency,
                )
            )
        self.calls = bulk(Call, calls)
        self.open_calls = [c for c in self.calls if c.deadline > self.now]
        self.closed_calls = [c for c in self.calls if c.deadline <= self.now]
        through = Call.themes.through
        bulk(
            through,
            [through(call_id=c.pk, theme_id=t.pk) for c in self.calls for t in self.rng.sample(themes, 3)],
        )
        checklist = [
            ChecklistItem(call=c, document_kind=kind, required=True)
            for c in self.calls
            for kind in (DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET, DocumentKind.WORK_PLAN)
        ]
        bulk(ChecklistItem, checklist)
        self.themes = themes
        return len(self.calls) + len(checklist)

    # -- proposals ---------------------------------------------------------------------------------
    def proposals(self) -> int:
        from django.contrib.contenttypes.models import ContentType
        from django_fsm_log.models import StateLog

        from workflows.models import Proposal, ProposalPartner, Submission

        states = list(STATE_MIX)
        weights = [STATE_MIX[s][0] for s in states]
        rows = []
        for i in range(self.scale.proposals):
            state = self.rng.choices(states, weights)[0]
            lead = self.municipalities[self.rng.randrange(len(self.municipalities))]
            pool = self.open_calls if state in OPEN_STATES and state != "idea" else self.closed_calls
            call = None if state in ("idea", "consultation", "dropped") else self.rng.choice(pool)
            rows.append(
                Proposal(
                    lead=lead,
                    call=call,
                    title=f"Proposal {i} {self.rng.choice(['su', 'enerji', 'göç', 'kültür', 'tarım'])}",
                    acronym=f"P{i}",
                    requested_amount=Decimal(self.rng.randint(50, 2_000)) * 1_000,
                    total_budget=Decimal(self.rng.randint(2_000, 2_500)) * 1_000,
                    coordinator=self.rng.choice(self.office),
                    stage=1,
                    state=state,
                    awarded_amount=Decimal(500_000) if state == "awarded" else None,
                )
            )
        self.proposals = bulk(Proposal, rows)
        partners = []  # (proposal, municipality, organisation)
        for proposal in self.proposals:
            taken = {("m", proposal.lead_id)}
            for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
                if self.rng.random() < 0.5:
                    party = self.rng.choice(self.organisations)
                    if ("o", party.pk) in taken:
                        continue
                    taken.add(("o", party.pk))
                    partners.append((proposal.pk, None, party.pk))
                else:
                    party = self.rng.choice(self.municipalities)
                    if ("m", party.pk) in taken:
                        continue
                    taken.add(("m", party.pk))
                    partners.append((proposal.pk, party.pk, None))
        copy_rows(
            ProposalPartner,
            ["proposal", "municipality", "organisation", "role"],
            ((p, m, o, ProposalPartner.Role.PARTNER) for p, m, o in partners),
        )
        content_type = ContentType.objects.get_for_model(Proposal)
        logs, submissions = [], []
        for proposal in self.proposals:
            source = "idea"
            at = self.now - timedelta(days=self.rng.randint(30, 3_000))
            for name in STATE_MIX[proposal.state][1]:
                target = _target_of(name, proposal.state)
                at += timedelta(days=self.rng.randint(1, 20))
                logs.append(
                    (
                        at,
                        None if name == "expire" else proposal.coordinator_id,
                        source,
                        target,
                        name,
                        content_type.pk,
                        proposal.pk,
                    )
                )
                if name == "submit":
                    submissions.append(
                        Submission(
                            proposal=proposal,
                            stage=proposal.stage,
                            funder_reference=f"REF-{proposal.pk}",
                            submitted_at=min(at, proposal.call.deadline if proposal.call else at),
                            recorded_by=proposal.coordinator,
                        )
                    )
                source = target
        copy_rows(
            StateLog,
            ["timestamp", "by", "source_state", "state", "transition", "content_type", "object_id"],
            logs,
        )
        self.submissions = bulk(Submission, submissions)
        return len(self.proposals) + len(partners) + len(logs) + len(submissions)

    # -- documents ---------------------------------------------------------------------------------
    def documents(self) -> int:
        """A set per proposal (as `create_proposal` makes it), a document per checklist kind once the
        proposal has a call, and `scale.versions` versions over them: metadata only, no files."""
        from django.db import connection

        from documents.models import Document, DocumentSet, DocumentVersion
        from grants_office.calls.models import DocumentKind
        from workflows.models import Proposal, Submission

        first_set = reserve_ids(DocumentSet, len(self.proposals))
        set_of = {p.pk: first_set + i for i, p in enumerate(self.proposals)}
        written = copy_rows(
            DocumentSet,
            ["id", "purpose", "title", "description", "audience", "created_at"],
            (
                (set_of[p.pk], "proposal", p.title[:300], "", "", self.now - timedelta(days=3_000))
                for p in self.proposals
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
        required = (DocumentKind.APPLICATION_FORM, DocumentKind.BUDGET, DocumentKind.WORK_PLAN)
        docs = []  # (document id, proposal, kind)
        for proposal in self.proposals:
            if proposal.call_id is None:
                continue
            kinds = list(required)
            if proposal.state == "drafting":
                kinds = kinds[: self.rng.randint(0, 3)]
            if self.rng.random() < 0.3:
                kinds.append(DocumentKind.LETTER_OF_SUPPORT)
            if proposal.state not in OPEN_STATES | {"withdrawn", "expired", "ready"}:
                kinds.append(DocumentKind.FUNDER_RECEIPT)
            docs.extend((None, proposal, kind) for kind in kinds)
        first_doc = reserve_ids(Document, len(docs))
        docs = [(first_doc + i, proposal, kind) for i, (_, proposal, kind) in enumerate(docs)]
        labels = dict(DocumentKind.choices)
        written += copy_rows(
            Document,
            ["id", "set", "kind", "title", "created_by", "created_at"],
            (
                (pk, set_of[p.pk], kind, str(labels[kind]), None, self.now - timedelta(days=2_000))
                for pk, p, kind in docs
            ),
        )
        # Every document has a version; the rest of the scale's versions go to random documents.
        counts = [1] * len(docs)
        for _ in range(max(0, self.scale.versions - len(docs))):
            counts[self.rng.randrange(len(docs))] += 1
        first_version = reserve_ids(DocumentVersion, sum(counts))
        self.latest_versions: dict[int, list[int]] = {}
        rng = self.rng

        def versions():
            pk = first_version
            for (doc_pk, proposal, kind), count in zip(docs, counts, strict=True):
                team = self.team_of_municipality.get(proposal.lead_id) or [proposal.coordinator]
                at = self.now - timedelta(days=rng.randint(60, 3_000))
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
                self.latest_versions.setdefault(proposal.pk, []).append(pk - 1)

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
            versions(),
        )
        # A submission freezes the versions that went to the funder.
        through = Submission.versions.through
        written += copy_rows(
            through,
            ["submission", "documentversion"],
            (
                (submission.pk, version)
                for submission in self.submissions
                for version in self.latest_versions.get(submission.proposal_id, [])
            ),
        )
        return written

    # -- expert review -----------------------------------------------------------------------------
    def review(self) -> int:
        """Expert themes; closed rounds on proposals past drafting and an open one on each proposal in
        review; `scale.assignments` assignments with reviews and scores (a reviewer past the declaration
        sees the proposal through the assignment itself)."""
        from grants_office.members.models import ExpertProfile
        from workflows.review.models import (
            Recommendation,
            Review,
            ReviewAssignment,
            ReviewRound,
            ReviewScore,
            RoundCriterion,
        )

        rng = self.rng
        through = ExpertProfile.themes.through
        written = copy_rows(
            through,
            ["expertprofile", "theme"],
            (
                (profile.pk, theme.pk)
                for profile in self.expert_profiles
                for theme in rng.sample(self.themes, rng.randint(2, 5))
            ),
        )
        criteria = {r.pk: list(r.criteria.order_by("position", "id")) for r in self.rubrics}
        rubric_of_call = {c.pk: c.rubric_id for c in self.calls}
        rubric_by_pk = {r.pk: r for r in self.rubrics}
        reviewed_states = {
            "ready",
            "submitted",
            "awarded",
            "reserve",
            "rejected",
            "ineligible",
            "invited_stage2",
            "withdrawn",
            "expired",
        }
        in_review = [p for p in self.proposals if p.state == "in_review"]
        eligible = [p for p in self.proposals if p.state in reviewed_states and p.call_id]
        wanted_rounds = max(len(in_review), round(self.scale.assignments / 3))
        closed_on = [rng.choice(eligible) for _ in range(wanted_rounds - len(in_review))]
        closed_on += [p for p in in_review if rng.random() < 0.3]  # reviewed before, in review again
        numbers: dict[int, int] = {}
        rounds = []  # (proposal, number, is_open)
        for proposal in sorted(closed_on, key=lambda p: p.pk):
            numbers[proposal.pk] = numbers.get(proposal.pk, 0) + 1
            rounds.append((proposal, numbers[proposal.pk], False))
        for proposal in in_review:
            numbers[proposal.pk] = numbers.get(proposal.pk, 0) + 1
            rounds.append((proposal, numbers[proposal.pk], True))
        sizes = [rng.choice([2, 3, 4]) for _ in rounds]
        total = sum(sizes)
        while total != self.scale.assignments:
            i = rng.randrange(len(sizes))
            if total > self.scale.assignments and sizes[i] > 1:
                sizes[i] -= 1
                total -= 1
            elif total < self.scale.assignments and sizes[i] < 6:
                sizes[i] += 1
                total += 1

        first_round = reserve_ids(ReviewRound, len(rounds))
        round_rows, round_criteria, round_versions = [], [], []
        first_criterion = reserve_ids(
            RoundCriterion, sum(len(criteria[rubric_of_call[p.call_id]]) for p, _, _ in rounds)
        )
        criterion_pk = first_criterion
        round_info = []  # (round pk, proposal, is_open, due_at, [(criterion pk, criterion)])
        for i, (proposal, number, is_open) in enumerate(rounds):
            pk = first_round + i
            rubric = rubric_by_pk[rubric_of_call[proposal.call_id]]
            if is_open:
                opened = self.now - timedelta(days=rng.randint(1, 20))
                due = self.now + timedelta(days=rng.randint(-4, 14), hours=rng.randint(0, 23))
                closed = None
            else:
                opened = self.now - timedelta(days=rng.randint(60, 3_000) + 30 * (3 - number))
                due = opened + timedelta(days=14)
                closed = due + timedelta(days=rng.randint(0, 7))
            round_rows.append(
                (
                    pk,
                    proposal.pk,
                    number,
                    due,
                    rubric.name,
                    rubric.overall_threshold,
                    rubric.disagreement_rule,
                    rubric.disagreement_gap,
                    False,
                    "" if is_open else "Thank you; see the reviews.",
                    proposal.coordinator.pk,
                    opened,
                    None if is_open else proposal.coordinator.pk,
                    closed,
                )
            )
            mine = []
            for c in criteria[rubric.pk]:
                round_criteria.append(
                    (
                        criterion_pk,
                        pk,
                        c.code,
                        c.title,
                        "",
                        c.position,
                        c.scale_min,
                        c.scale_max,
                        c.step,
                        c.threshold,
                        c.weight,
                    )
                )
                mine.append((criterion_pk, c))
                criterion_pk += 1
            round_versions.extend((pk, v) for v in self.latest_versions.get(proposal.pk, []))
            round_info.append((pk, proposal, is_open, opened, due, mine))
        written += copy_rows(
            ReviewRound,
            [
                "id",
                "proposal",
                "number",
                "due_at",
                "rubric_name",
                "overall_threshold",
                "disagreement_rule",
                "disagreement_gap",
                "due_after_deadline",
                "feedback",
                "opened_by",
                "opened_at",
                "closed_by",
                "closed_at",
            ],
            round_rows,
        )
        written += copy_rows(
            RoundCriterion,
            [
                "id",
                "round",
                "code",
                "title",
                "description",
                "position",
                "scale_min",
                "scale_max",
                "step",
                "threshold",
                "weight",
            ],
            round_criteria,
        )
        written += copy_rows(ReviewRound.versions.through, ["reviewround", "documentversion"], round_versions)

        experts = [(p.user_id, p.affiliation_municipality_id) for p in self.expert_profiles]
        closed_mix = ["submitted"] * 16 + ["declined"] * 3 + ["withdrawn"]
        open_mix = ["invited"] * 6 + ["accepted"] * 7 + ["submitted"] * 5 + ["declined"] * 2
        assignments, reviews, scores = [], [], []
        assignment_pk = reserve_ids(ReviewAssignment, self.scale.assignments)
        review_rows = []  # (assignment pk, state, round info) -> reviews later, when the count is known
        for (pk, proposal, is_open, opened, due, mine), size in zip(round_info, sizes, strict=True):
            taken = set()
            while len(taken) < min(size, len(experts)):
                user_id, affiliation = experts[rng.randrange(len(experts))]
                if affiliation != proposal.lead_id:
                    taken.add(user_id)
            for user_id in sorted(taken):
                state = rng.choice(open_mix if is_open else closed_mix)
                invited = opened + timedelta(hours=rng.randint(1, 48))
                declared = state in ("accepted", "submitted")
                assignments.append(
                    (
                        assignment_pk,
                        pk,
                        user_id,
                        state,
                        due,
                        proposal.coordinator.pk,
                        invited,
                        "I declare no conflict of interest." if declared else "",
                        declared,
                        invited + timedelta(days=1) if declared else None,
                    )
                )
                if state == "submitted" or (state == "accepted" and rng.random() < 0.6):
                    review_rows.append((assignment_pk, state, invited, mine))
                assignment_pk += 1
        written += copy_rows(
            ReviewAssignment,
            [
                "id",
                "round",
                "reviewer",
                "state",
                "due_at",
                "invited_by",
                "invited_at",
                "declaration",
                "declared_no_conflict",
                "declared_at",
            ],
            assignments,
        )
        review_pk = reserve_ids(Review, len(review_rows))
        recommendations = [r for r, _ in Recommendation.choices]
        for i, (a_pk, state, invited, mine) in enumerate(review_rows):
            submitted = state == "submitted"
            at = invited + timedelta(days=rng.randint(2, 12))
            reviews.append(
                (
                    review_pk + i,
                    a_pk,
                    rng.choice(recommendations) if submitted else "",
                    "Sound proposal; tighten the work plan." if submitted else "",
                    invited + timedelta(days=2),
                    at,
                    at if submitted else None,
                )
            )
            for criterion_pk, c in mine:
                if submitted or rng.random() < 0.5:
                    score = Decimal(rng.randint(int(c.scale_min), int(c.scale_max)))
                    scores.append((review_pk + i, criterion_pk, score, ""))
        written += copy_rows(
            Review,
            ["id", "assignment", "recommendation", "comment", "created_at", "updated_at", "submitted_at"],
            reviews,
        )
        written += copy_rows(ReviewScore, ["review", "criterion", "score", "comment"], scores)
        self.first_assignment = assignment_pk - len(assignments)
        self.n_assignments = len(assignments)
        return written

    # -- notifications -----------------------------------------------------------------------------
    def notifications(self) -> int:
        """`scale.notifications` inbox rows: the office and experts hear more than a team member; most
        older ones are read, a good share of the last month's is not; every row has its own occasion."""
        from django.contrib.contenttypes.models import ContentType

        from notifications.models import Notification
        from workflows.models import Proposal
        from workflows.review.models import ReviewAssignment

        rng = self.rng
        proposal_type = ContentType.objects.get_for_model(Proposal).pk
        assignment_type = ContentType.objects.get_for_model(ReviewAssignment).pk
        office = [u.pk for u in self.office]
        experts = [p.user_id for p in self.expert_profiles]
        teams = [u.pk for users in self.team_of_municipality.values() for u in users]
        proposal_ids = [p.pk for p in self.proposals]
        team_kinds = [
            ("proposal_transitioned", "Proposal P{p} moved on"),
            ("document_version_created", "New version of a document of P{p}"),
            ("call_deadline_approaching", "The call deadline of P{p} is near"),
            ("comment_shared", "New comment on P{p}"),
        ]
        office_kinds = [
            *team_kinds,
            ("review_submitted", "A review of P{p} is in"),
            ("review_overdue", "A review of P{p} is overdue"),
            ("proposal_created", "New idea P{p}"),
        ]
        expert_kinds = [
            ("review_assigned", "You are invited to review P{p}"),
            ("review_due_approaching", "Your review of P{p} is due soon"),
        ]
        first_assignment, n_assignments = self.first_assignment, max(1, self.n_assignments)
        horizon = 3 * 365 * 24 * 60  # minutes

        def rows():
            for i in range(self.scale.notifications):
                roll = rng.random()
                if roll < 0.2:
                    recipient, kinds = rng.choice(office), office_kinds
                elif roll < 0.35:
                    recipient, kinds = rng.choice(experts), expert_kinds
                else:
                    recipient, kinds = rng.choice(teams), team_kinds
                kind, title = rng.choice(kinds)
                proposal = rng.choice(proposal_ids)
                if kind in (
                    "review_assigned",
                    "review_due_approaching",
                    "review_submitted",
                    "review_overdue",
                ):
                    content_type, object_id = assignment_type, first_assignment + rng.randrange(n_assignments)
                else:
                    content_type, object_id = proposal_type, proposal
                age = timedelta(minutes=int(horizon * rng.random() ** 2))  # more recent than old
                created = self.now - age
                read = rng.random() < (0.97 if age > timedelta(days=30) else 0.45)
                emailed = rng.random() < 0.4
                yield (
                    recipient,
                    kind,
                    content_type,
                    object_id,
                    f"bench {i}",
                    None,
                    title.format(p=proposal),
                    "",
                    f"/proposals/{proposal}/",
                    "tr" if rng.random() < 0.8 else "en",
                    created,
                    created + timedelta(hours=rng.randint(1, 72)) if read else None,
                    False,
                    "sent" if emailed else "none",
                    1 if emailed else 0,
                    created if emailed else None,
                    "",
                )

        return copy_rows(
            Notification,
            [
                "recipient",
                "kind",
                "content_type",
                "object_id",
                "occasion",
                "actor",
                "title",
                "body",
                "link",
                "language",
                "created_at",
                "read_at",
                "via_digest",
                "email_status",
                "email_attempts",
                "email_sent_at",
                "email_error",
            ],
            rows(),
        )


def _target_of(name: str, final: str) -> str:
    return {
        "start_consultation": "consultation",
        "start_drafting": "drafting",
        "start_review": "in_review",
        "mark_ready": "ready",
        "submit": "submitted",
    }.get(name, final)


SECTIONS = ["members", "people", "calls", "proposals", "documents", "review", "notifications"]


def _skip_foreign_key_checks() -> None:
    """The rows are consistent by construction: skip PostgreSQL's foreign-key triggers for this transaction
    (Django's constraints are deferred, so otherwise several million checks queue up and run at COMMIT,
    which took longer than writing the rows). Needs a superuser, as the bench database's owner usually is;
    anyone else simply gets the checks. Unique and check constraints are enforced either way."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def generate(scale_name: str, *, seed: int = SEED, out=sys.stdout) -> Generator:
    """Load one scale into an empty database (run migrate first). Returns the generator with timings."""
    from django.db import transaction

    from bench.scales import SCALES
    from workflows.models import Proposal

    if Proposal.objects.exists():
        raise SystemExit("The database already holds proposals; generate into an empty database.")
    generator = Generator(SCALES[scale_name], random.Random(seed), out=out)
    out.write(f"Generating the {scale_name} scale\n")
    started = time.perf_counter()
    with transaction.atomic():
        _skip_foreign_key_checks()
        for section in SECTIONS:
            generator.step(section, getattr(generator, section))
    total = time.perf_counter() - started
    out.write(f"  {'total':<28} {'':>10}      {total:8.1f} s\n")
    generator.total_seconds = total
    return generator


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["tiny", "small", "regional", "national"])
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.scale, seed=args.seed)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # statistics for the planner, and the visibility map that index-only scans need
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()
