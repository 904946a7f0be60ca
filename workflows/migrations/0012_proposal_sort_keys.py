# Issue 18: the list's orderings by the deadline that applies and by the call's deadline sorted every
# proposal joined with its call. The row keeps copies (kept by `Proposal.save` and
# `workflows.deadlines`), filled here from the calls as they are.
from django.db import migrations, models
from django.db.models import Case, OuterRef, Q, Subquery, When

STAGE2_STATES = ["invited_stage2"]


def fill(apps, schema_editor):
    Proposal = apps.get_model("workflows", "Proposal")
    Call = apps.get_model("calls", "Call")
    deadline = Subquery(Call.objects.filter(pk=OuterRef("call_id")).values("deadline")[:1])
    stage2 = Subquery(Call.objects.filter(pk=OuterRef("call_id")).values("stage2_deadline")[:1])
    Proposal.objects.filter(call__isnull=False).update(
        sort_call_deadline=deadline,
        sort_deadline=Case(When(Q(stage=2) | Q(state__in=STAGE2_STATES), then=stage2), default=deadline),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_rubric_disagreement_stage2_deadline"),
        ("workflows", "0011_consultation_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="sort_call_deadline",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="proposal",
            name="sort_deadline",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
