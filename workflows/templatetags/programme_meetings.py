"""`{% proposals_discussed_at event %}`: on a programme meeting's page (events may not read proposals),
the consultations held there on the proposals the reader may see."""

from django import template

from workflows.selectors import consultations_at

register = template.Library()


@register.inclusion_tag("workflows/programme_meetings/discussed.html", takes_context=True)
def proposals_discussed_at(context, event):
    return {"consultations": consultations_at(context["request"].user, event)}
