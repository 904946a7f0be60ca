"""Read queries for programmes and calls."""

from django.db.models import Prefetch, QuerySet

from grants_office.calls.models import Call, ChecklistItem, Criterion, FundingProgramme


def programmes() -> QuerySet[FundingProgramme]:
    return FundingProgramme.objects.all()


def calls() -> QuerySet[Call]:
    """Calls with what their list and detail show, in a fixed number of queries."""
    return Call.objects.select_related("programme", "rubric").prefetch_related(
        "themes",
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("-required", "document_kind")),
        Prefetch("rubric__criteria", queryset=Criterion.objects.order_by("position", "id")),
    )


def calls_with_deadline_between(start, end) -> QuerySet[Call]:
    """Calls whose deadline falls in [start, end): the deadline calendar (one query)."""
    return Call.objects.select_related("programme").filter(deadline__gte=start, deadline__lt=end)


def calls_for_export(calls: QuerySet[Call]) -> QuerySet[Call]:
    """A filtered list of calls with what a row of the export holds (the programme, the themes)."""
    return (
        calls.select_related(None)
        .select_related("programme")
        .prefetch_related(None)
        .prefetch_related("themes")
    )
