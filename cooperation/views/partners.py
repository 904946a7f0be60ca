"""Partner search (`/partners/`, the filters and the selector of `GET /api/v1/partners/`) and the
profile edit page (`/partners/<id>/edit/`) for the party's team lead and the office."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cooperation import permissions
from cooperation.partner_filters import PartnerFilter
from cooperation.selectors import partners as selectors
from cooperation.services import profiles as services
from grants_office.calls.models import Theme
from grants_office.core import concurrency
from grants_office.core.errors import PreconditionFailed
from grants_office.core.fields import CodeListField
from grants_office.core.pages import perform

PAGE_SIZE = 25


@login_required
@require_GET
def partners(request):
    """Search; a bad filter answers 400 with the form's errors and no rows."""
    search = PartnerFilter(request.GET, queryset=selectors.profiles(request.user), request=request)
    valid = search.is_valid()
    rows = search.qs if valid else selectors.profiles(request.user).none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": search.form, "page": page, "nav_active": "partners"}
    return render(request, "cooperation/partners.html", context, status=200 if valid else 400)


class ProfileForm(forms.Form):
    pic = forms.CharField(label=gettext_lazy("PIC"), required=False, max_length=20)
    languages = CodeListField(
        case="lower",
        label=gettext_lazy("Working languages"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("ISO 639-1 codes separated by commas, e.g. tr, en, bg."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Themes"),
        queryset=Theme.objects.order_by("code"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priorities = forms.CharField(label=gettext_lazy("Priorities"), required=False, widget=forms.Textarea)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea)
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), required=False, max_length=200)
    contact_email = forms.CharField(label=gettext_lazy("Contact e-mail"), required=False, max_length=254)

    @classmethod
    def initial_of(cls, profile) -> dict:
        return {
            "pic": profile.pic,
            "languages": profile.languages,
            "themes": list(profile.themes.all()),
            "priorities": profile.priorities,
            "description": profile.description,
            "contact_name": profile.contact_name,
            "contact_email": profile.contact_email,
        }

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["themes"] = list(data["themes"])
        return data


def _editable(request, pk):
    profile = selectors.partner_profile(request.user, pk)  # 404 for what they may not see
    if not permissions.edits_profile(request.user, profile):
        raise PermissionDenied
    return profile


def _edit_page(request, profile, form, *, status=200, problem=None):
    context = {
        "profile": profile,
        "form": form,
        "tag": services.profile_tag(profile),
        "tag_field": concurrency.FORM_FIELD,
        "problem": problem,
        "nav_active": "partners",
    }
    return render(request, "cooperation/partner_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    profile = _editable(request, pk)
    if request.method == "GET":
        return _edit_page(request, profile, ProfileForm(initial=ProfileForm.initial_of(profile)))
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, profile, form, status=400)
    precondition = concurrency.from_form(request.POST.get(concurrency.FORM_FIELD))
    try:
        outcome = perform(
            form, services.update_profile, request.user, profile, precondition=precondition, **form.changes()
        )
    except PreconditionFailed as error:
        # changed elsewhere since the page was rendered: what they typed stays, with the current version
        return _edit_page(
            request, selectors.partner_profile(request.user, pk), form, status=409, problem=error
        )
    if not outcome.ok:
        return _edit_page(request, profile, form, status=outcome.status, problem=outcome.problem)
    return redirect(f"{request.path}?saved=1")
