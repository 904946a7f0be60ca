"""The calls with their themes and checklists, and the funder's calendar moving on after the walk."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo import data
from demo.loader.shared import Demo, call_texts, deadline, final_deadline
from grants_office.calls.models import Call, ChecklistItem
from grants_office.members.models import CallEligibility
from workflows import deadlines


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
            deadline=deadline(demo.now, walk_days, spec["deadline_time"], spec["deadline_timezone"]),
            deadline_timezone=spec["deadline_timezone"],
            is_two_stage=spec.get("two_stage", False),
            stage2_deadline=deadline(
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
        if spec["key"] in data.CALL_RULES:
            rules = CallEligibility(call=call, **data.CALL_RULES[spec["key"]])
            rules.full_clean()
            rules.save()
        demo.calls[spec["key"]] = call
        demo.final_deadlines[spec["key"]] = final


def calendar(demo: Demo) -> None:
    """The funder's calendar moves on: closed calls get their real deadline, now in the past."""
    for key, call in demo.calls.items():
        final = demo.final_deadlines[key]
        if call.deadline != final:
            Call.objects.filter(pk=call.pk).update(deadline=final)
            call.deadline = final
            deadlines.refresh_for_call(call)  # the update skips the call's save
