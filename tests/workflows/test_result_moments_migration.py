"""Migration 0009 fills `submitted_at` and `decided_on` for proposals decided before it existed: the
newest submission, and the day of the newest decision in the transition log."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("workflows", "0008_proposal_version")]
AFTER = [("workflows", "0009_proposal_result_moments")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_backfills_the_moments_from_submissions_and_the_log():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    log = executor.loader.graph.leaf_nodes("django_fsm_log")
    old = executor.loader.project_state([*BEFORE, *log]).apps
    Proposal = old.get_model("workflows", "Proposal")
    Submission = old.get_model("workflows", "Submission")
    StateLog = old.get_model("django_fsm_log", "StateLog")
    ContentType = old.get_model("contenttypes", "ContentType")
    User = old.get_model("auth", "User")
    Municipality = old.get_model("members", "Municipality")
    clerk = User.objects.create(username="clerk")
    lead = Municipality.objects.create(name="Keşan", province="Edirne", kind="district")
    decided = Proposal.objects.create(lead=lead, title="Decided", state="awarded")
    untouched = Proposal.objects.create(lead=lead, title="Idea", state="idea")
    first, newest = datetime(2025, 3, 1, 9, tzinfo=UTC), datetime(2025, 3, 4, 9, tzinfo=UTC)
    for at, reference in ((first, "A"), (newest, "B")):
        Submission.objects.create(
            proposal=decided, stage=1, funder_reference=reference, submitted_at=at, recorded_by=clerk
        )
    proposal_type, _ = ContentType.objects.get_or_create(app_label="workflows", model="proposal")
    for day, state in ((date(2025, 6, 2), "reserve"), (date(2025, 9, 15), "awarded")):
        StateLog.objects.create(
            content_type=proposal_type,
            object_id=str(decided.pk),
            state=state,
            transition=state,
            timestamp=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("workflows", "Proposal")
    assert (new.objects.get(pk=decided.pk).submitted_at, new.objects.get(pk=decided.pk).decided_on) == (
        newest,
        date(2025, 9, 15),
    )
    assert (new.objects.get(pk=untouched.pk).submitted_at, new.objects.get(pk=untouched.pk).decided_on) == (
        None,
        None,
    )
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
