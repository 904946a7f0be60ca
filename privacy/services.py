"""The writes of personal-data requests: asking for a person's export, building it in the background,
handing it out while it lasts and deleting it after; erasing a person by anonymisation; the retention
job; the privacy notice and its acceptance; and the log of the office's reads of a person."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grants_office.celery import app as celery_app
from grants_office.celery import publish
from grants_office.core import audit
from grants_office.core.errors import Conflict, Invalid, NotFound, not_permitted, refused
from grants_office.core.people import display_name
from notifications import kinds
from notifications import services as notifications
from notifications.events import Event
from privacy import archive, conf, retention, selectors
from privacy.erasure import account, holds, texts
from privacy.models import DataExport, Erasure, NoticeAcceptance, PrivacyNotice, RetentionRun
from privacy.permissions import may_download, may_erase, may_export, may_publish_notice, reads_people

logger = logging.getLogger(__name__)

BUILD_TASK = "privacy.build_data_export"
# Pending exports older than this are the sweep's (their task was lost: a broker down, a worker killed).
SWEEP_GRACE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def request_export(requester, subject) -> DataExport:
    """Ask for the ZIP of everything held about `subject`; built in the background, then `requester` is
    told. One pending export per person and requester: asking again returns it."""
    if not may_export(requester, subject):
        raise not_permitted(_("Only the office exports the data of other people."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                export = DataExport.objects.create(subject=subject, requested_by=requester)
        except IntegrityError:
            return DataExport.objects.get(
                subject=subject, requested_by=requester, state=DataExport.State.PENDING
            )
        if requester.pk != subject.pk:
            audit.record_access(requester, subject, "data_export", export=export.pk)
        transaction.on_commit(lambda: publish(celery_app.signature(BUILD_TASK), export.pk))
    return export


def _store(export: DataExport, built: archive.Archive) -> str:
    name = f"privacy/exports/{export.pk}-{secrets.token_hex(8)}.zip"
    return storages["default"].save(name, File(built.file, name=name))


def build_export(export_id: int) -> DataExport | None:
    """Write the export's ZIP to the object store and tell who asked; nothing for an export that is not
    pending (built already, or by a task running beside this one)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subject", "requested_by")
            .filter(pk=export_id, state=DataExport.State.PENDING)
            .first()
        )
        if export is None:
            return None
        export.attempts += 1
        built = archive.write(export.subject)
        try:
            name = _store(export, built)
        finally:
            built.file.close()
        now = timezone.now()
        export.state, export.storage_name, export.ready_at = DataExport.State.READY, name, now
        export.expires_at = now + timedelta(days=conf.export_days())
        export.size, export.files = built.size, built.files
        try:
            export.save()
            notifications.notify(_ready_event(export))
        except BaseException:
            storages["default"].delete(name)
            raise
    return export


def _ready_event(export: DataExport) -> Event | None:
    if export.requested_by is None:
        return None
    return Event(
        kind=kinds.DATA_EXPORT_READY,
        target=export,
        proposal=None,
        recipients=[export.requested_by],
        url=reverse("privacy:export-file", args=[export.pk]),
        occasion=f"export {export.pk}",
        context={
            "person": display_name(export.subject),
            "requested": export.requested_at,
            "until": export.expires_at,
        },
    )


def record_failure(export_id: int, error: Exception) -> None:
    """A build that failed: tried again by the sweep until MAX_ATTEMPTS, then marked failed."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.state != DataExport.State.PENDING:
            return
        export.attempts += 1
        export.error = f"{type(error).__name__}: {error}"[:2000]
        if export.attempts >= MAX_ATTEMPTS:
            export.state = DataExport.State.FAILED
        export.save(update_fields=["attempts", "error", "state"])


def download(user, export_id: int) -> DataExport:
    """The export `user` may take now: theirs or asked for by them, ready and not expired."""
    export = DataExport.objects.select_related("subject").filter(pk=export_id).first()
    if export is None or not may_download(user, export):
        raise NotFound(_("No such export."))
    if export.state == DataExport.State.PENDING:
        raise refused("not_ready", _("The export is still being prepared."))
    if export.state == DataExport.State.FAILED:
        raise refused("failed", _("The export could not be prepared. Please ask for a new one."))
    if not export.is_available():
        raise refused(
            "expired", _("The export has expired and its file is deleted. Please ask for a new one.")
        )
    if user.pk != export.subject_id:
        audit.record_access(user, export.subject, "data_export_download", export=export.pk)
    return export


def open_file(export: DataExport):
    return storages["default"].open(export.storage_name, "rb")


def tend_exports(now=None) -> dict[str, int]:
    """The periodic sweep: builds pending exports whose task was lost, and deletes the files of exports
    past their date (the row stays: the record that the request was answered)."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(state=DataExport.State.PENDING, requested_at__lt=now - SWEEP_GRACE)
    rebuilt = 0
    for export_id in stale.values_list("pk", flat=True)[:100]:
        rebuilt += publish(celery_app.signature(BUILD_TASK), export_id)
    expired = 0
    for export in DataExport.objects.filter(state=DataExport.State.READY, expires_at__lte=now)[:500]:
        storages["default"].delete(export.storage_name)
        DataExport.objects.filter(pk=export.pk, state=DataExport.State.READY).update(
            state=DataExport.State.EXPIRED, storage_name=""
        )
        expired += 1
    return {"rebuilt": rebuilt, "expired": expired}


def export_now_or_later(user) -> archive.Archive | DataExport:
    """The person's own export: the ZIP itself when their files are small enough to pack within the
    request, else the background export (asked for, or the one already pending)."""
    if selectors.uploaded_bytes(user) <= conf.inline_bytes():
        return archive.write(user)
    return request_export(user, user)


def record_person_read(user, person) -> None:
    """The office opened a person's page: a read of their personal data."""
    if not reads_people(user):
        raise not_permitted(_("Only the office reads the person pages."))
    audit.record_access(user, person, "person")


# -- erasure by anonymisation --

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class _DryRun(Exception):
    def __init__(self, erasure: Erasure):
        self.erasure = erasure


def _new_identity() -> tuple[str, str, str]:
    """A pseudonym nobody has: "Anonim K7Q2XM", its user name and an address that is never delivered."""
    users = get_user_model().objects
    while True:
        code = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _i in range(6))
        username = f"anonim-{code.lower()}"
        pseudonym = f"Anonim {code}"
        if (
            not users.filter(username=username).exists()
            and not Erasure.objects.filter(pseudonym=pseudonym).exists()
        ):
            return pseudonym, username, f"{username}@anonim.invalid"


def erase_person(actor, person, reason: str = "", *, dry_run: bool = False) -> Erasure:
    """Replace what names `person` everywhere with a stable pseudonym and close their account; the
    records others depend on (versions, reviews, logs) stay, pointing at the pseudonym. Refused with
    every reason when a legal hold applies. `dry_run` does it all and rolls it back: the counts tell
    what would change. `actor` None is the operator at the command line."""
    if actor is not None and not may_erase(actor, person):
        raise not_permitted(_("Only the office's admins erase a person."))
    try:
        with transaction.atomic():
            return _erase(actor, person, reason.strip(), dry_run)
    except _DryRun as rolled_back:
        return rolled_back.erasure


def _erase(actor, person, reason: str, dry_run: bool) -> Erasure:
    person = get_user_model().objects.select_for_update().get(pk=person.pk)  # two admins: one wins
    reasons = holds.holds(person, actor)
    if reasons:
        code = reasons[0].code if len(reasons) == 1 else "not_erasable"
        raise Conflict(_("This person cannot be erased now."), reasons=reasons, code=code)
    pseudonym, username, email = _new_identity()
    needles, by_code = texts.needles_for(
        person.first_name, person.last_name, person.get_username(), person.email, pseudonym, username, email
    )
    with disable_auditlog():
        counts = account.close_account(person, pseudonym, username, email)
        counts["trail_own_records"] = account.mask_own_trail(person)
        counts.update(texts.rewrite(needles, by_code))
    erasure = Erasure.objects.create(
        person=person,
        pseudonym=pseudonym,
        erased_by=actor,
        reason=needles.replace(reason),
        counts={name: rows for name, rows in counts.items() if rows},
    )
    with audit.part_of(erasure=erasure.pk):
        audit.record_change(
            person,
            {name: (account.MASK, new) for name, new in (("username", username), ("email", email))}
            | {
                "first_name": (account.MASK, person.first_name),
                "last_name": (account.MASK, person.last_name),
            },
            actor=actor,
        )
    if dry_run:
        raise _DryRun(
            Erasure(person_id=person.pk, pseudonym=pseudonym, reason=erasure.reason, counts=erasure.counts)
        )
    return erasure


# -- retention --


def apply_retention(by=None, *, dry_run: bool = False, now=None) -> RetentionRun:
    """Destroy or anonymise what has outlived its period, rule by rule, and record the run (the
    destruction log); a run that found nothing to do is not recorded. `dry_run` counts what is due and
    changes nothing (the returned run is not saved). Expired sessions are cleared too, unrecorded."""
    now = now or timezone.now()
    results = []
    with transaction.atomic(), disable_auditlog():
        for rule in retention.RULES:
            cutoff = rule.cutoff(now)
            rows = rule.count(cutoff) if dry_run else rule.apply(cutoff)
            results.append(
                {
                    "kind": rule.kind,
                    "method": rule.method,
                    "months": rule.months,
                    "before": cutoff.isoformat(),
                    "rows": rows,
                }
            )
        run = RetentionRun(started_at=now, by=by, results=results, rows=sum(r["rows"] for r in results))
        if not dry_run:
            retention.expired_sessions(now).delete()
            if run.rows:
                run.save()
    return run


# -- the privacy notice --


def publish_notice(user, text_tr: str, text_en: str) -> PrivacyNotice:
    """A new version of the privacy notice (office admins); everyone accepts it at their next sign-in."""
    if not may_publish_notice(user):
        raise not_permitted(_("Only the office's admins publish the privacy notice."))
    texts = {"text_tr": (text_tr or "").strip(), "text_en": (text_en or "").strip()}
    missing = {
        name: [_("The notice needs its text in both languages.")] for name, text in texts.items() if not text
    }
    if missing:
        raise Invalid(_("Invalid input."), fields=missing)
    current = selectors.current_notice()
    if current is not None and (current.text_tr, current.text_en) == (texts["text_tr"], texts["text_en"]):
        raise refused("unchanged", _("The texts are those of the current version."))
    try:
        with transaction.atomic():
            return PrivacyNotice.objects.create(
                version=(current.version if current else 0) + 1, published_by=user, **texts
            )
    except IntegrityError:  # two admins at once: the other's version is the current one
        raise refused(
            "notice_changed", _("Someone published a new version meanwhile. Please read it first.")
        ) from None


def accept_notice(user, version: int) -> NoticeAcceptance:
    """`user` accepts the notice they read: only the current version (a newer one must be read first);
    accepting again returns the acceptance."""
    current = selectors.current_notice()
    if current is None:
        raise NotFound(_("The office has not published a privacy notice."))
    if current.version != version:
        raise refused(
            "notice_changed", _("A newer version of the privacy notice was published. Please read it.")
        )
    acceptance, _created = NoticeAcceptance.objects.get_or_create(user=user, notice=current)
    return acceptance
