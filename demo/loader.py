"""Load the demo union (demo/data.py) through the same services that users' actions go through.

Reference data (registry, themes, programmes, rubrics) is matched by its natural key, so a registry that
was imported before is reused, not duplicated. People, calls and proposals are written once: a second run
finds the marker user and changes nothing.

The load runs in sections, in order (see SECTIONS); adding one — the lead engineer's documents, say — is
one function `def section(demo: Demo) -> None` and one entry in SECTIONS. Proposals move only through
`workflows.services.perform_transition` (and the review services, which call it), as the person named in
the story, so every state has its logged history (django-fsm-log StateLog rows).

One thing is done by hand because no user action does it: closed calls are open while their proposals
are walked, then their deadline moves to the past (`calendar`): the funder's calendar, not anyone's
history.

Documents: call checklists are published with the calls, so `mark_ready` checks them as it does for
people. Before a review round opens or a proposal is marked ready, its registrant uploads a version of
every required document that has none yet; "upload" steps in the stories add drafts, newer versions and
the funders' receipts and reports. Every upload goes the way a browser's does, through the documents
services (request, the bytes to the signed storage, complete: verified, versioned, logged): small
generated PDFs and CSV budgets, written to the embedded storage (or the configured S3 bucket).
"""

from __future__ import annotations

import hashlib
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo import data
from documents import services as document_services
from documents.models import Document
from documents.storage import object_store
from grants_office.calls.models import (
    Call,
    ChecklistItem,
    Criterion,
    DocumentKind,
    FundingProgramme,
    Rubric,
    Theme,
)
from grants_office.members.models import (
    ExpertProfile,
    Municipality,
    Organisation,
    TeamMembership,
    UserProfile,
)
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import services
from workflows.conditions import required_kinds
from workflows.discussion import services as discussion
from workflows.document_policy import document_set_for
from workflows.models import Proposal
from workflows.review import services as review

User = get_user_model()


class DemoConflict(Exception):
    """The database holds rows the demo would create, but not the demo itself."""


@dataclass
class Demo:
    """What the sections share: the moment of loading and the rows by their keys in demo/data.py."""

    now: datetime
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    programmes: dict[str, FundingProgramme] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    final_deadlines: dict[str, datetime] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    rounds: dict[str, object] = field(default_factory=dict)  # proposal key -> its open review round

    def party(self, key: str):
        return self.municipalities.get(key) or self.organisations[key]

    def user(self, username: str | None):
        return None if username is None else self.users[username]

    def moment(self, when, call: Call | None = None) -> datetime:
        if isinstance(when, data.Ago):
            return self.now - timedelta(days=when.days, hours=when.hours)
        if isinstance(when, data.FromNow):
            return self.now + timedelta(days=when.days, hours=when.hours)
        if isinstance(when, data.BeforeDeadline):
            deadline = self.final_deadlines[_call_key(self, call)]
            return min(deadline, self.now) - timedelta(days=when.days, hours=when.hours)
        return when


def _call_key(demo: Demo, call: Call) -> str:
    return next(key for key, value in demo.calls.items() if value.pk == call.pk)


# --- whether it is there --------------------------------------------------------------------------
def is_loaded() -> bool:
    return User.objects.filter(username=data.MARKER_USERNAME, email=data.MARKER_EMAIL).exists()


def call_texts(spec: dict, deadline: datetime) -> tuple[str, str]:
    """The call's reference and title with the deadline's year filled in."""
    year = {"year": deadline.year, "yy": f"{deadline.year % 100:02d}"}
    return spec["reference"].format(**year), spec["title"].format(**year)


def final_deadline(spec: dict, now: datetime) -> datetime:
    return _deadline(now, spec["deadline_in_days"], spec["deadline_time"], spec["deadline_timezone"])


def check_conflicts(now: datetime) -> None:
    """Refuse to mix the demo into a database that already holds its people or calls but not the demo."""
    references = [call_texts(spec, final_deadline(spec, now))[0] for spec in data.CALLS]
    users = sorted(
        User.objects.filter(username__in=[u["username"] for u in data.USERS]).values_list(
            "username", flat=True
        )
    )
    calls = sorted(Call.objects.filter(reference__in=references).values_list("reference", flat=True))
    if users or calls:
        raise DemoConflict(
            "The database already has some of the demo's users or calls but not the demo itself: "
            + ", ".join(users + calls)
            + ". Use an empty database for the demo."
        )


# --- sections ------------------------------------------------------------------------------------
def registry(demo: Demo) -> None:
    existing = {(m.province, m.name): m for m in Municipality.objects.all()}
    new = []
    for key, name, province, district, kind, population, status, since in data.MUNICIPALITIES:
        municipality = existing.get((province, name))
        if municipality is None:
            municipality = Municipality(
                name=name,
                province=province,
                district=district,
                kind=kind,
                population=population,
                membership_status=status,
                membership_date=since,
                contact_email=f"abofisi.{key}@example.org",
            )
            new.append(municipality)
        demo.municipalities[key] = municipality
    _bulk_create(Municipality, new)

    existing = {(o.country, o.name): o for o in Organisation.objects.all()}
    new = []
    for key, name, kind, country, city in data.ORGANISATIONS:
        organisation = existing.get((country, name))
        if organisation is None:
            organisation = Organisation(name=name, kind=kind, country=country, city=city)
            new.append(organisation)
        demo.organisations[key] = organisation
    _bulk_create(Organisation, new)


def _bulk_create(model, rows: list) -> None:
    """bulk_create, then read the keys back where the database does not return them."""
    if not rows:
        return
    model.objects.bulk_create(rows)
    if rows[0].pk is None:  # pragma: no cover - SQLite and PostgreSQL both return keys
        raise RuntimeError(f"{model.__name__}: primary keys were not returned")


def reference(demo: Demo) -> None:
    """Themes, programmes and rubrics: the office's reference data."""
    for code, name_en, name_tr in data.THEMES:
        demo.themes[code], _ = Theme.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_tr": name_tr}
        )
    for key, name, short, funder, kind, description in data.PROGRAMMES:
        demo.programmes[key], _ = FundingProgramme.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "funder": funder, "kind": kind, "description": description},
        )
    has_default = Rubric.objects.filter(is_office_default=True).exists()
    for name, description, threshold, office_default, (rule, gap), criteria in data.RUBRICS:
        rubric, created = Rubric.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "overall_threshold": Decimal(threshold),
                "is_office_default": office_default and not has_default,
                "disagreement_rule": rule,
                "disagreement_gap": Decimal(gap),
            },
        )
        if not created and rubric.disagreement_gap is None and rubric.disagreement_rule == "per_criterion":
            # Loaded before rubrics had a rule (both still the defaults): give it the funder's.
            Rubric.objects.filter(pk=rubric.pk).update(disagreement_rule=rule, disagreement_gap=Decimal(gap))
        if created:
            Criterion.objects.bulk_create(
                Criterion(
                    rubric=rubric,
                    code=code,
                    title=title,
                    description=text,
                    position=position,
                    scale_min=Decimal(low),
                    scale_max=Decimal(high),
                    step=Decimal(step),
                    threshold=None if limit is None else Decimal(limit),
                    weight=Decimal(weight),
                )
                for position, (code, title, text, low, high, step, limit, weight) in enumerate(criteria)
            )
        demo.rubrics[name] = rubric


def _deadline(now: datetime, days: int, hhmm: str, zone: str) -> datetime:
    """`days` from the load day at `hhmm` in the funder's zone, e.g. 5 days from now at 17:00 Brussels."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date() + timedelta(days=days)
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def calls(demo: Demo) -> None:
    today = timezone.localdate(demo.now)
    for spec in data.CALLS:
        final = final_deadline(spec, demo.now)
        walk_days = spec.get("walk_deadline_in_days", spec["deadline_in_days"])
        reference_, title = call_texts(spec, final)
        low, high = spec["grant"]
        call = Call.objects.create(
            programme=demo.programmes[spec["programme"]],
            reference=reference_,
            title=title,
            opens_on=today + timedelta(days=spec["opens_in_days"]),
            deadline=_deadline(demo.now, walk_days, spec["deadline_time"], spec["deadline_timezone"]),
            deadline_timezone=spec["deadline_timezone"],
            is_two_stage=spec.get("two_stage", False),
            stage2_deadline=_deadline(
                demo.now, spec["stage2_deadline_in_days"], spec["deadline_time"], spec["deadline_timezone"]
            )
            if "stage2_deadline_in_days" in spec
            else None,
            grant_min=Decimal(low),
            grant_max=Decimal(high),
            currency=spec["currency"],
            cofinancing_rate=Decimal(spec["cofinancing_rate"]),
            eligibility_notes=spec["eligibility"],
            rubric=demo.rubrics[spec["rubric"]] if spec["rubric"] else None,
        )
        call.themes.set([demo.themes[code] for code in spec["themes"]])
        ChecklistItem.objects.bulk_create(
            ChecklistItem(call=call, document_kind=kind, required=required, notes=notes)
            for kind, required, notes in spec["checklist"]
        )
        demo.calls[spec["key"]] = call
        demo.final_deadlines[spec["key"]] = final


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
    _bulk_create(User, rows)
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


def proposals(demo: Demo) -> None:
    """Register every idea and walk its story up to the call deadline."""
    for spec in data.PROPOSALS:
        partners = [
            {
                "municipality" if key in demo.municipalities else "organisation": demo.party(key),
                "role": role,
            }
            for key, role in spec["partners"]
        ]
        fields = {
            name: Decimal(spec[name]) if spec[name] is not None else None
            for name in ("requested_amount", "total_budget")
        }
        if spec.get("call"):
            fields["call"] = demo.calls[spec["call"]]
        by = demo.user(spec["by"])
        proposal = services.create_proposal(
            by,
            lead=demo.municipalities[spec["lead"]],
            title=spec["title"],
            partners=partners,
            acronym=spec["acronym"],
            summary=spec["summary"],
            currency=spec["currency"],
            coordinator=demo.users[data.K],
            lead_exception_reason=spec.get("lead_exception", ""),
            **fields,
        )
        demo.proposals[spec["key"]] = proposal
        for step in spec["before"]:
            _run(demo, spec["key"], *step)


def calendar(demo: Demo) -> None:
    """The funder's calendar moves on: closed calls get their real deadline, now in the past."""
    for key, call in demo.calls.items():
        final = demo.final_deadlines[key]
        if call.deadline != final:
            Call.objects.filter(pk=call.pk).update(deadline=final)
            call.deadline = final


def decisions(demo: Demo) -> None:
    """After the deadline: the funders' decisions, expiry by the system, reuse of a rejected proposal."""
    for spec in data.PROPOSALS:
        for step in spec.get("after", ()):
            _run(demo, spec["key"], *step)


SECTIONS = [registry, reference, calls, people, proposals, calendar, decisions]


# --- documents: uploads the way a browser makes them -----------------------------------------------------
CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv"}


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF that viewers open: the lines in Helvetica (ASCII: the standard font has no ğ, ş)."""
    ascii_lines = [line.translate(_ASCII).encode("ascii", "replace").decode() for line in lines]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in ascii_lines
    )
    stream = zlib.compress(text.encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜâîû–“”’", 'cgiosuCGIOSUaiu-""\'')


def _budget_csv(proposal: Proposal, version: int) -> bytes:
    total = proposal.total_budget or Decimal("100000")
    shares = [("Personel", "0.18"), ("Ekipman", "0.35"), ("Hizmet alımı", "0.30"), ("Seyahat", "0.05")]
    rows = ["Kalem;Tutar;Para birimi"]
    rows += [
        f"{name};{(total * Decimal(share)).quantize(Decimal('1'))};{proposal.currency}"
        for name, share in shares
    ]
    rows.append(f"Taslak;{version};")
    return ("\n".join(rows) + "\n").encode()


def _file(proposal: Proposal, kind: str, version: int) -> tuple[str, str, bytes]:
    stem, extension = data.DOCUMENT_FILES[kind]
    name = f"{proposal.acronym or 'PROJE'}_{stem}_v{version}.{extension}"
    if extension == "csv":
        return name, CONTENT_TYPES[extension], _budget_csv(proposal, version)
    lines = [proposal.acronym or proposal.title, proposal.title, str(DocumentKind(kind).label), f"v{version}"]
    return name, CONTENT_TYPES[extension], _pdf(lines)


def upload(demo: Demo, proposal: Proposal, user, kind: str, note: str = "") -> None:
    """One version of the proposal's document of this kind (the slot is added if it has none)."""
    document_set = document_set_for(proposal)
    document = Document.objects.filter(set=document_set, kind=kind).order_by("id").first()
    if document is None:
        document = document_services.create_document(document_set, user, kind=kind)
    number = document.versions.count() + 1
    filename, content_type, content = _file(proposal, kind, number)
    digest = hashlib.sha256(content).hexdigest()
    pending, signed = document_services.request_upload(
        document, user, filename, len(content), content_type, digest, note=note
    )
    store = object_store()
    if store.is_s3:
        store.client.put_object(
            Bucket=store.bucket,
            Key=store.key(pending.storage_key),
            Body=content,
            ContentType=content_type,
            ChecksumSHA256=signed["headers"]["x-amz-checksum-sha256"],
        )
    else:
        token = parse_qs(urlsplit(signed["url"]).query)["token"][0]
        document_services.receive_upload_content(pending.pk, token, len(content), BytesIO(content).read)
    document_services.complete_upload(pending, user)


def _complete_checklist(demo: Demo, key: str) -> None:
    """The registrant uploads what the call requires and has no version yet."""
    proposal = demo.proposals[key]
    by = next((demo.user(spec["by"]) for spec in data.PROPOSALS if spec["key"] == key), demo.users[data.K])
    present = set(
        Document.objects.filter(set=document_set_for(proposal), versions__isnull=False).values_list(
            "kind", flat=True
        )
    )
    for kind in required_kinds(proposal):
        if kind not in present:
            upload(demo, proposal, by, kind)


# --- one step of a proposal's story ------------------------------------------------------------------
def _run(demo: Demo, key: str, action: str, username: str | None, values: dict) -> None:
    proposal = demo.proposals[key]
    user = demo.user(username)
    values = dict(values)
    if action == "consultation":
        services.schedule_consultation(
            proposal,
            user,
            held_at=demo.moment(values["held"]),
            notes=values["notes"],
            agreed_actions=values["actions"],
            office_experts=[demo.users[name] for name in values["experts"]],
            team_participants=[demo.users[name] for name in values["team"]],
        )
    elif action == "upload":
        upload(demo, proposal, user, values["kind"], values.get("note", ""))
    elif action == "comment":
        discussion.post_comment(proposal, user, body=values["body"], visibility=values.get("visibility"))
    elif action == "reuse":
        reused = services.reuse_proposal(proposal, user)
        changes = dict(values.get("changes", {}))
        if "call" in changes:
            changes["call"] = demo.calls[changes["call"]]
        demo.proposals[values["as"]] = (
            services.update_proposal(reused, user, **changes) if changes else reused
        )
    elif action == "update":
        if "call" in values:
            values["call"] = demo.calls[values["call"]]
        demo.proposals[key] = services.update_proposal(proposal, user, **values)
    elif action == "open_review":
        _complete_checklist(demo, key)
        demo.rounds[key] = review.open_round(proposal, user, due_at=demo.moment(values["due"]))
    elif action == "assign":
        review.assign_reviewer(demo.rounds[key], user, reviewer=demo.users[values["reviewer"]])
    elif action in ("accept", "decline"):
        assignment = demo.rounds[key].assignments.get(reviewer=user)
        extra = {"declaration": values["declaration"], "no_conflict": True} if action == "accept" else {}
        review.transition_assignment(assignment, action, user, comment=values.get("comment", ""), **extra)
    elif action == "review":
        assignment = demo.rounds[key].assignments.get(reviewer=user)
        review.save_review(
            assignment,
            user,
            scores={code: {"score": score} for code, score in values["scores"].items()},
            recommendation=values["recommendation"],
            comment=values["comment"],
            submit=True,
        )
    elif action == "close_review":
        review.close_round(demo.rounds.pop(key), user, feedback=values["feedback"])
    else:
        _transition(demo, key, action, user, values)
    if action in ("comment", "consultation", "assign", "accept", "decline", "review", "upload"):
        return
    demo.proposals[key] = Proposal.objects.get(pk=demo.proposals[key].pk)


def _transition(demo: Demo, key: str, name: str, user, values: dict) -> None:
    if name == "mark_ready":
        _complete_checklist(demo, key)
    proposal = demo.proposals[key]
    if "call" in values:
        values["call"] = demo.calls[values["call"]].pk
    if "submitted_at" in values:
        values["submitted_at"] = demo.moment(values["submitted_at"], proposal.call)
    services.perform_transition(proposal, name, user, system=user is None, **values)


# --- the command's entry point -------------------------------------------------------------------------
@dataclass
class Result:
    loaded: bool  # False: it was there already
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def load() -> Result:
    """Load the demo unless it is there; raise DemoConflict if its people or calls exist without it."""
    started = time.monotonic()
    with transaction.atomic():
        if is_loaded():
            return Result(loaded=False, counts=counts())
        demo = Demo(now=timezone.now())
        check_conflicts(demo.now)
        for section in SECTIONS:
            section(demo)
    return Result(loaded=True, seconds=time.monotonic() - started, counts=counts())


def counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "programmes": FundingProgramme.objects.count(),
        "calls": Call.objects.count(),
        "users": User.objects.count(),
        "proposals": Proposal.objects.count(),
    }
