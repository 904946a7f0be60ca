"""Forms of the web pages (the data each transition needs is in transition_forms.py)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from grants_office.calls import selectors as call_selectors
from grants_office.calls.models import Call, Currency
from grants_office.core.people import display_name
from grants_office.members import selectors as member_selectors
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF

User = get_user_model()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def office_people():
    return (
        User.objects.filter(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN], is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class BoardFilterForm(forms.Form):
    """The board's filters: a GET form, so a filtered board is a link that can be shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=call_selectors.programmes(), required=False, empty_label=_("All")
    )
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.order_by("-deadline"), required=False, empty_label=_("All")
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=member_selectors.municipalities().order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    coordinator = PersonChoiceField(
        label=_("Coordinator"), queryset=office_people(), required=False, empty_label=_("All")
    )
    closed = forms.BooleanField(label=_("Show closed proposals"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["coordinator"].queryset = office_people()

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "programme": data.get("programme"),
            "call": data.get("call"),
            "municipality": data.get("municipality"),
            "coordinator": data.get("coordinator"),
            "search": data.get("q") or "",
        }

    def show_closed(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("closed"))


class IdeaForm(forms.Form):
    """A new idea: what the team knows at the start. The call may come later, in consultation."""

    lead = forms.ModelChoiceField(label=_("Lead municipality"), queryset=member_selectors.municipalities())
    title = forms.CharField(label=_("Title"), max_length=300)
    acronym = forms.CharField(
        label=_("Acronym"), max_length=40, required=False, help_text=_("A short name, e.g. ERGENE.")
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The problem, the idea and who benefits, in a few sentences."),
    )
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.none(),
        required=False,
        empty_label=_("Not known yet"),
        help_text=_("The open call it could go to, if you know it already."),
    )
    requested_amount = forms.DecimalField(
        label=_("Requested amount"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    total_budget = forms.DecimalField(
        label=_("Total budget"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.EUR)
    coordinator = PersonChoiceField(
        label=_("Office coordinator"), queryset=User.objects.none(), required=False, empty_label=_("None yet")
    )
    lead_exception_reason = forms.CharField(
        label=_("Exception for a lead that is not a member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the union's members lead proposals. To let another one lead this one, say why."),
    )

    def __init__(self, *args, leads, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["call"].queryset = Call.objects.open().select_related("programme").order_by("deadline")
        if office:
            self.fields["coordinator"].queryset = office_people()
        else:
            del self.fields["coordinator"]
            del self.fields["lead_exception_reason"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("coordinator"):
            data.pop("coordinator", None)
        return data
