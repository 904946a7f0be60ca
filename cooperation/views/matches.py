"""Call watch's page: "Calls for us", the open and upcoming calls a team's municipality may lead, ranked,
with why each matches (the same selector as `GET /api/v1/call-matches/`)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cooperation.selectors import matches
from grants_office.core.filters import MAX_ID
from grants_office.members import selectors as member_selectors
from grants_office.members.permissions import is_office_staff


class MatchFilterForm(forms.Form):
    """Which municipality: a number, shown as the list the person may pick from; one they may not see is
    the selector's 404, as in the API, not a form error."""

    municipality = forms.IntegerField(
        label=_("Municipality"), required=False, min_value=1, max_value=MAX_ID, widget=forms.Select
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].widget.choices = [("", _("All my municipalities")), *choices]


def _choices(user) -> list[tuple[int, str]]:
    """The municipalities the person may pick: the office any, a team member those of their teams."""
    municipalities = (
        member_selectors.municipalities()
        if is_office_staff(user)
        else member_selectors.municipalities_led_by_teams_of(user)
    )
    return list(municipalities.order_by("name").values_list("pk", "name"))


@login_required
@require_GET
def call_matches(request):
    """Ranked calls for the person's municipalities; `?municipality=` one of them (the office: any)."""
    choices = _choices(request.user)
    form = MatchFilterForm(request.GET or None, choices=choices)
    context = {
        "form": form,
        "show_form": len(choices) > 1,
        "upcoming_days": matches.UPCOMING_DAYS,
        "nav_active": "call-matches",
    }
    if form.is_bound and not form.is_valid():
        return render(request, "cooperation/call_matches.html", context, status=400)
    chosen = form.cleaned_data.get("municipality") if form.is_bound else None
    found = matches.call_matches(request.user, municipality=chosen)  # NotFound: the 404 page
    context["rows"] = [(match, matches.reasons(match)) for match in found]
    context["several"] = len({match.municipality.pk for match in found}) > 1
    return render(request, "cooperation/call_matches.html", context)
