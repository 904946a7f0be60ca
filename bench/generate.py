"""Fill the database with a union's worth of data, fast: `python -m bench.generate --scale national`.

Rows go in with bulk inserts in large batches, shaped as the services would have left them (team groups,
object permissions, transition logs, submissions), so reads behave as in production. Not for the test run.
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
        from grants_office.members.teams import team_group_name

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
        groups = bulk(
            Group,
            [Group(name=team_group_name(m)) for m in self.municipalities]
            + [Group(name=team_group_name(o)) for o in self.organisations],
        )
        self.group_of_municipality = dict(zip([m.pk for m in self.municipalities], groups, strict=False))
        self.group_of_organisation = {
            o.pk: g for o, g in zip(self.organisations, groups[len(self.municipalities) :], strict=True)
        }
        memberships, user_groups = [], []
        self.team_of_municipality: dict[int, list] = {}
        for i, user in enumerate(team_users):
            municipality = self.municipalities[i % len(self.municipalities)]
            role = TeamMembership.Role.LEAD if i < len(self.municipalities) else TeamMembership.Role.MEMBER
            memberships.append(TeamMembership(user=user, municipality=municipality, role=role))
            user_groups.append(
                User.groups.through(user_id=user.pk, group_id=self.group_of_municipality[municipality.pk].pk)
            )
            self.team_of_municipality.setdefault(municipality.pk, []).append(user)
        for i, user in enumerate(org_users):
            organisation = self.organisations[i % len(self.organisations)]
            memberships.append(TeamMembership(user=user, organisation=organisation))
            user_groups.append(
                User.groups.through(user_id=user.pk, group_id=self.group_of_organisation[organisation.pk].pk)
            )
        user_groups += [User.groups.through(user_id=u.pk, group_id=office_group.pk) for u in self.office]
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
        agency = Rubric.objects.create(name="Bench agency rubric", overall_threshold=Decimal(65))
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
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType
        from django_fsm_log.models import StateLog

        from workflows.models import Proposal, ProposalGroupObjectPermission, ProposalPartner, Submission

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
        view = Permission.objects.get(codename="view_proposal", content_type__app_label="workflows")
        partners, grants = [], []
        for proposal in self.proposals:
            grants.append(
                ProposalGroupObjectPermission(
                    permission=view,
                    group=self.group_of_municipality[proposal.lead_id],
                    content_object=proposal,
                )
            )
            for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
                if self.rng.random() < 0.5:
                    party = self.rng.choice(self.organisations)
                    if any(
                        p.organisation_id == party.pk for p in partners[-3:] if p.proposal_id == proposal.pk
                    ):
                        continue
                    partners.append(ProposalPartner(proposal=proposal, organisation=party))
                    group = self.group_of_organisation[party.pk]
                else:
                    party = self.rng.choice(self.municipalities)
                    if party.pk == proposal.lead_id or any(
                        p.municipality_id == party.pk for p in partners[-3:] if p.proposal_id == proposal.pk
                    ):
                        continue
                    partners.append(ProposalPartner(proposal=proposal, municipality=party))
                    group = self.group_of_municipality[party.pk]
                grants.append(
                    ProposalGroupObjectPermission(permission=view, group=group, content_object=proposal)
                )
        bulk(ProposalPartner, partners)
        bulk(ProposalGroupObjectPermission, grants)
        content_type = ContentType.objects.get_for_model(Proposal)
        logs, submissions = [], []
        for proposal in self.proposals:
            source = "idea"
            at = self.now - timedelta(days=self.rng.randint(30, 3_000))
            for name in STATE_MIX[proposal.state][1]:
                target = _target_of(name, proposal.state)
                at += timedelta(days=self.rng.randint(1, 20))
                logs.append(
                    StateLog(
                        timestamp=at,
                        by=None if name == "expire" else proposal.coordinator,
                        source_state=source,
                        state=target,
                        transition=name,
                        content_type=content_type,
                        object_id=proposal.pk,
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
        bulk(StateLog, logs)
        bulk(Submission, submissions)
        return len(self.proposals) + len(partners) + len(grants) + len(logs) + len(submissions)


def _target_of(name: str, final: str) -> str:
    return {
        "start_consultation": "consultation",
        "start_drafting": "drafting",
        "start_review": "in_review",
        "mark_ready": "ready",
        "submit": "submitted",
    }.get(name, final)


SECTIONS = ["members", "people", "calls", "proposals"]


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
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
