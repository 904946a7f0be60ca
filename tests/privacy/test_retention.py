"""Retention: each kind of record is destroyed or anonymised once its period has passed, exactly what is
due and nothing younger; the run is recorded (the destruction log); a dry run changes nothing."""

import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from documents.models import DownloadLog
from grants_office import schedule
from notifications.models import Notification
from privacy import retention, services
from privacy.models import DataExport, RetentionRun
from tests import factories
from tests.querycount import assert_same_query_count
from workflows.models import Comment, CommentRevision, Consultation, Mention, Proposal
from workflows.states import State

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _months_ago(months: int, days: int = 0):
    return retention.months_before(NOW, months) + timedelta(days=days)


def _aged(model, row, field: str, at):
    model.objects.filter(pk=row.pk).update(**{field: at})


@pytest.fixture
def due(held):
    """For each kind, one record a day past its period and one a day short of it."""
    person, proposal = held["person"], held["proposal"]
    old, young = {}, {}
    for label, at in (("old", lambda m: _months_ago(m, -1)), ("young", lambda m: _months_ago(m, 1))):
        rows = old if label == "old" else young
        rows["notification"] = factories.NotificationFactory(recipient=person)
        _aged(Notification, rows["notification"], "created_at", at(12))
        rows["sign_in"] = AccessLog.objects.create(username=person.username, ip_address="192.0.2.1")
        _aged(AccessLog, rows["sign_in"], "attempt_time", at(24))
        rows["download"] = DownloadLog.objects.create(version=held["version"], user=person)
        _aged(DownloadLog, rows["download"], "at", at(24))
        rows["entry"] = LogEntry.objects.log_create(
            proposal, action=LogEntry.Action.UPDATE, changes={"title": ["a", label]}
        )
        LogEntry.objects.filter(pk=rows["entry"].pk).update(timestamp=at(24), remote_addr="192.0.2.9")
        rows["export"] = DataExport.objects.create(subject=person, requested_by=person, state="expired")
        _aged(DataExport, rows["export"], "requested_at", at(24))
    AccessAttempt.objects.filter(username=person.username).update(attempt_time=_months_ago(24, 1))
    return {"old": old, "young": young, **held}


def _left(model, rows) -> set:
    return set(model.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))


def test_each_kind_goes_once_its_period_has_passed(due):
    old, young = due["old"], due["young"]

    run = services.apply_retention(now=NOW)

    for key, model in (
        ("notification", Notification),
        ("sign_in", AccessLog),
        ("download", DownloadLog),
        ("export", DataExport),
    ):
        assert _left(model, [old[key], young[key]]) == {young[key].pk}, key
    assert LogEntry.objects.get(pk=old["entry"].pk).remote_addr is None  # the entry stays
    assert LogEntry.objects.get(pk=young["entry"].pk).remote_addr == "192.0.2.9"
    done = {result["kind"]: result["rows"] for result in run.results}
    assert done == {
        "notifications": 1,
        "sign_ins": 1,
        "downloads": 1,
        "trail_addresses": 1,
        "data_exports": 1,
        "closed_discussions": 0,
    }
    assert run.pk and RetentionRun.objects.get().rows == 5
    assert services.apply_retention(now=NOW).pk is None  # nothing left to do: not recorded
    assert RetentionRun.objects.count() == 1


def test_a_dry_run_counts_what_is_due_and_changes_nothing(due):
    counts = {
        "notifications": Notification.objects.count(),
        "downloads": DownloadLog.objects.count(),
        "exports": DataExport.objects.count(),
        "addresses": LogEntry.objects.filter(remote_addr__isnull=False).count(),
    }
    dry = services.apply_retention(dry_run=True, now=NOW)

    assert dry.pk is None and not RetentionRun.objects.exists()
    assert counts == {
        "notifications": Notification.objects.count(),
        "downloads": DownloadLog.objects.count(),
        "exports": DataExport.objects.count(),
        "addresses": LogEntry.objects.filter(remote_addr__isnull=False).count(),
    }
    real = services.apply_retention(now=NOW)
    assert [r["rows"] for r in dry.results] == [r["rows"] for r in real.results]


def test_the_discussion_of_a_proposal_that_ended_without_an_award_is_retired(held):
    proposal = held["proposal"]
    awarded = factories.ProposalFactory(state=State.AWARDED)
    kept = Comment.objects.create(proposal=awarded, author=held["other"], visibility="shared", body="Kalır.")
    Proposal.objects.filter(pk=proposal.pk).update(state=State.REJECTED, updated_at=_months_ago(60, -1))
    Proposal.objects.filter(pk=awarded.pk).update(updated_at=_months_ago(60, -1))
    consultation = Consultation.objects.get(proposal=proposal)
    LogEntry.objects.log_create(
        consultation, action=LogEntry.Action.UPDATE, changes={"notes": ["", "Zübeyde's notes"]}
    )

    run = services.apply_retention(now=NOW)

    assert {c.body for c in Comment.objects.filter(proposal=proposal)} == {retention.REMOVED}
    assert not CommentRevision.objects.filter(comment__proposal=proposal).exists()
    assert not Mention.objects.filter(comment__proposal=proposal).exists()
    consultation.refresh_from_db()
    assert (consultation.notes, consultation.agreed_actions) == ("", "")
    assert consultation.team_participants.exists()  # who met, and when, stays
    entries = LogEntry.objects.filter(object_id=consultation.pk, changes__has_key="notes")
    assert len(entries) == 2  # its creation and the edit: the notes' values go from both
    assert {tuple(entry.changes["notes"]) for entry in entries} == {(retention.REMOVED, retention.REMOVED)}
    kept.refresh_from_db()
    assert kept.body == "Kalır."
    assert {r["kind"]: r["rows"] for r in run.results}[
        "closed_discussions"
    ] == 3  # 2 comments, 1 consultation


def test_a_younger_closed_proposal_keeps_its_discussion(held):
    proposal = held["proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(state=State.REJECTED, updated_at=_months_ago(60, 1))
    services.apply_retention(now=NOW)
    assert retention.REMOVED not in set(Comment.objects.values_list("body", flat=True))


def test_periods_are_settings(due, settings):
    settings.PRIVACY_RETENTION_MONTHS = {**settings.PRIVACY_RETENTION_MONTHS, "notifications": 36}
    run = services.apply_retention(now=NOW)
    assert {r["kind"]: r["rows"] for r in run.results}["notifications"] == 0
    assert Notification.objects.filter(pk=due["old"]["notification"].pk).exists()


def test_expired_sessions_are_cleared(client_for, office_user):
    client_for(office_user).get("/")
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=NOW - timedelta(days=1))
    services.apply_retention(now=NOW)
    assert not Session.objects.filter(expire_date__lt=NOW).exists()
    assert Session.objects.exists()  # the live one stays


def test_the_job_runs_every_night_and_from_the_command(due):
    entry = schedule.BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "privacy.apply_retention"
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "notifications" in out.getvalue()
    assert not RetentionRun.objects.exists()
    call_command("apply_retention", stdout=out)
    assert RetentionRun.objects.get().by is None


def test_the_office_reads_the_periods_and_the_log(due, client_for, api_client, office_user):
    services.apply_retention(now=NOW)
    page = client_for(office_user).get("/privacy/retention/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        'data-kind="notifications"' in text
        and "Destruction log" in text
        and "Run the retention job" not in text
    )
    rules = api_client(office_user).get("/api/v1/retention/").json()
    assert {rule["kind"] for rule in rules} == {rule.kind for rule in retention.RULES}
    runs = api_client(office_user).get("/api/v1/retention/runs/").json()
    assert runs["results"][0]["rows"] == 5


def test_only_the_office_reads_it_and_only_admins_run_it(held, client_for, api_client, office_user):
    lead = held["person"]
    assert client_for(lead).get("/privacy/retention/").status_code == 403
    assert api_client(lead).get("/api/v1/retention/").json()["code"] == "not_permitted"
    assert api_client(lead).get("/api/v1/retention/runs/").json()["code"] == "not_permitted"
    assert (
        client_for(office_user, enforce_csrf_checks=False).post("/privacy/retention/run/").status_code == 403
    )
    admin = factories.office_admin()
    Notification.objects.update(created_at=_months_ago(13))
    done = client_for(admin, enforce_csrf_checks=False).post("/privacy/retention/run/")
    assert done.status_code == 302
    assert RetentionRun.objects.get().by == admin


def test_the_retention_page_costs_the_same_for_more_runs(client_for, office_user, django_assert_num_queries):
    def more(n):
        for _ in range(n):
            factories.NotificationFactory()
            RetentionRun.objects.create(
                by=office_user,
                rows=1,
                results=[
                    {
                        "kind": "notifications",
                        "method": "deleted",
                        "months": 12,
                        "before": NOW.isoformat(),
                        "rows": 1,
                    }
                ],
            )

    assert_same_query_count(
        client_for(office_user), "/privacy/retention/", more, django_assert_num_queries, rows_in=None
    )
