"""Invariants of programmes, calls, rubrics and checklists."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation

from grants_office.calls.models import Call, ChecklistItem, Criterion, DocumentKind, Rubric
from tests.factories import (
    CallFactory,
    ChecklistItemFactory,
    CriterionFactory,
    ProgrammeFactory,
    RubricFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


# Criterion scores --------------------------------------------------------------------------------------


@pytest.fixture
def eu_criterion():
    """Excellence on the EU scale: 0 to 5 in half points."""
    return RubricFactory().criteria.get(code="excellence")


@pytest.fixture
def agency_criterion():
    """A development agency's 100-point criterion on a 10-30 scale in whole points."""
    return CriterionFactory.build(
        rubric=Rubric(name="Agency"), scale_min=Decimal(10), scale_max=Decimal(30), step=Decimal(1)
    )


@pytest.mark.parametrize("score", ["0", "0.5", "3", "4.5", "5", "5.00"])
def test_score_on_the_eu_scale_is_valid(eu_criterion, score):
    assert eu_criterion.score_error(Decimal(score)) is None


@pytest.mark.parametrize(
    ("score", "says"),
    [
        ("-0.5", "between 0 and 5"),
        ("5.5", "between 0 and 5"),
        ("3.25", "steps of 0.5"),
        ("0.1", "steps of 0.5"),
    ],
)
def test_score_off_the_eu_scale_says_why(eu_criterion, score, says):
    with translation.override("en"):
        assert says in eu_criterion.score_error(Decimal(score))


def test_score_steps_count_from_the_lowest_score(agency_criterion):
    assert agency_criterion.score_error(Decimal(10)) is None
    assert agency_criterion.score_error(Decimal(23)) is None
    assert agency_criterion.score_error(Decimal("23.5")) is not None
    assert agency_criterion.score_error(Decimal(9)) is not None
    assert agency_criterion.score_error(31) is not None


def test_criterion_scale_must_be_ordered_in_clean_and_database():
    criterion = CriterionFactory.build(rubric=RubricFactory(), scale_min=5, scale_max=5)

    with pytest.raises(ValidationError) as error:
        criterion.clean()
    assert "scale_max" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        criterion.save()


def test_criterion_threshold_must_lie_on_the_scale():
    criterion = CriterionFactory.build(rubric=RubricFactory(), threshold=Decimal(6))

    with pytest.raises(ValidationError) as error:
        criterion.clean()

    assert "threshold" in error.value.message_dict


def test_criterion_step_must_be_positive_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(step=Decimal(0))


def test_criterion_codes_are_unique_within_a_rubric():
    rubric = RubricFactory()  # has "excellence"
    other = RubricFactory(criteria=[("relevance", "Relevance")])

    CriterionFactory(rubric=other, code="excellence")  # another rubric: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionFactory(rubric=rubric, code="excellence")


def test_rubric_maximum_total_weighs_the_criteria():
    rubric = RubricFactory()
    rubric.criteria.filter(code="impact").update(weight=Decimal(2))

    assert rubric.maximum_total == Decimal(20)  # 5 + 2*5 + 5


# Rubric default ----------------------------------------------------------------------------------------


def test_only_one_rubric_can_be_the_office_default():
    RubricFactory(is_office_default=True)
    RubricFactory(is_office_default=False)
    RubricFactory(is_office_default=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        RubricFactory(is_office_default=True)

    assert Rubric.objects.filter(is_office_default=True).count() == 1


def test_the_office_default_can_move_to_another_rubric():
    first = RubricFactory(is_office_default=True)
    second = RubricFactory()

    first.is_office_default = False
    first.save()
    second.is_office_default = True
    second.save()

    assert list(Rubric.objects.filter(is_office_default=True)) == [second]


# Call deadline -----------------------------------------------------------------------------------------


def test_call_deadline_timezone_must_be_a_known_zone():
    call = CallFactory.build(programme=ProgrammeFactory(), deadline_timezone="Europe/Atlantis")

    with pytest.raises(ValidationError) as error:
        call.full_clean()

    assert "deadline_timezone" in error.value.message_dict


def test_call_deadline_timezone_defaults_to_the_funders_usual_zone():
    assert Call().deadline_timezone == "Europe/Brussels"


@pytest.mark.parametrize(
    ("deadline", "zone", "shown"),
    [
        # 17:00 Brussels in winter (UTC+1) and in summer (UTC+2).
        (datetime(2027, 3, 5, 16, 0, tzinfo=UTC), "Europe/Brussels", "2027-03-05 17:00 (Europe/Brussels)"),
        (datetime(2027, 6, 10, 15, 0, tzinfo=UTC), "Europe/Brussels", "2027-06-10 17:00 (Europe/Brussels)"),
        # A Turkish agency's 23:59 Istanbul deadline (UTC+3 all year).
        (datetime(2027, 2, 1, 20, 59, tzinfo=UTC), "Europe/Istanbul", "2027-02-01 23:59 (Europe/Istanbul)"),
        # The day may differ from UTC's.
        (datetime(2027, 2, 1, 23, 30, tzinfo=UTC), "Europe/Istanbul", "2027-02-02 02:30 (Europe/Istanbul)"),
    ],
)
def test_call_deadline_display_is_in_the_funders_zone(deadline, zone, shown):
    call = CallFactory.build(deadline=deadline, deadline_timezone=zone)

    assert call.deadline_display() == shown
    assert call.deadline_in_funder_tz == deadline


def test_call_grant_range_must_be_ordered_in_clean_and_database():
    call = CallFactory.build(programme=ProgrammeFactory(), grant_min=500, grant_max=100)

    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "grant_max" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        call.save()


def test_call_deadline_must_not_be_before_it_opens():
    call = CallFactory.build(
        programme=ProgrammeFactory(),
        opens_on=timezone.localdate(),
        deadline=timezone.now() - timedelta(days=2),
    )

    with pytest.raises(ValidationError) as error:
        call.full_clean()

    assert "deadline" in error.value.message_dict


@pytest.mark.parametrize("rate", [Decimal(-1), Decimal("100.01")])
def test_call_cofinancing_rate_is_a_percentage(rate):
    call = CallFactory.build(programme=ProgrammeFactory(), cofinancing_rate=rate)

    with pytest.raises(ValidationError) as error:
        call.full_clean()

    assert "cofinancing_rate" in error.value.message_dict


# Open and closed ---------------------------------------------------------------------------------------


@pytest.fixture
def moment():
    """A fixed instant to judge calls at: 10:00 Istanbul time on 1 March 2027."""
    return datetime(2027, 3, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def calls_around(moment):
    today = timezone.localdate(moment)
    return {
        "open": CallFactory(opens_on=today - timedelta(days=10), deadline=moment + timedelta(days=5)),
        "opens_today": CallFactory(opens_on=today, deadline=moment + timedelta(days=5)),
        "not_yet_open": CallFactory(opens_on=today + timedelta(days=1), deadline=moment + timedelta(days=30)),
        "passed": CallFactory(opens_on=today - timedelta(days=60), deadline=moment - timedelta(seconds=1)),
        "due_now": CallFactory(opens_on=today - timedelta(days=60), deadline=moment),
    }


def test_open_calls_have_opened_and_their_deadline_not_passed(moment, calls_around):
    open_calls = set(Call.objects.open(moment))

    assert open_calls == {calls_around["open"], calls_around["opens_today"], calls_around["due_now"]}
    assert all(call.is_open(moment) == (call in open_calls) for call in calls_around.values())


def test_closed_calls_are_exactly_the_others(moment, calls_around):
    closed = set(Call.objects.closed(moment))

    assert closed == {calls_around["not_yet_open"], calls_around["passed"]}
    assert closed.isdisjoint(Call.objects.open(moment))


def test_open_and_deadline_passed_agree_at_the_deadline_instant(moment, calls_around):
    """A submission stamped exactly at the deadline is on time, so the call is still open then."""
    due_now = calls_around["due_now"]

    assert not due_now.deadline_passed(moment)
    assert due_now.is_open(moment)
    assert due_now.deadline_passed(moment + timedelta(microseconds=1))
    assert not due_now.is_open(moment + timedelta(microseconds=1))
    assert due_now not in Call.objects.open(moment + timedelta(microseconds=1))


def test_open_and_closed_compose_with_other_filters(moment, calls_around):
    calls_around["open"].themes.add(ThemeFactory(code="energy"))

    assert list(Call.objects.filter(themes__code="energy").open(moment)) == [calls_around["open"]]
    assert list(Call.objects.filter(themes__code="energy").closed(moment)) == []


# Checklist and themes ----------------------------------------------------------------------------------


def test_a_call_lists_each_document_kind_once():
    call = CallFactory(required_documents=[DocumentKind.BUDGET])

    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItemFactory(call=call, document_kind=DocumentKind.BUDGET, required=False)


def test_checklist_lists_required_documents_first():
    call = CallFactory()
    ChecklistItemFactory(call=call, document_kind=DocumentKind.ANNEX, required=False)
    ChecklistItemFactory(call=call, document_kind=DocumentKind.WORK_PLAN, required=True)
    ChecklistItemFactory(call=call, document_kind=DocumentKind.BUDGET, required=True)

    assert [item.document_kind for item in call.checklist.all()] == ["budget", "work_plan", "annex"]
    assert ChecklistItem.objects.filter(call=call, required=True).count() == 2


def test_theme_name_follows_the_language():
    theme = ThemeFactory(code="climate", name_en="Climate adaptation", name_tr="İklim uyumu")

    with translation.override("tr"):
        assert str(theme) == "İklim uyumu"
    with translation.override("en"):
        assert str(theme) == "Climate adaptation"


def test_programme_with_calls_cannot_be_deleted():
    call = CallFactory()

    with pytest.raises(ProtectedError):
        call.programme.delete()


def test_criteria_keep_their_position_order():
    rubric = RubricFactory()

    assert list(rubric.criteria.values_list("code", flat=True)) == ["excellence", "impact", "implementation"]
    assert isinstance(rubric.criteria.first(), Criterion)
