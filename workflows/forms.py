"""Forms of the web pages (the data each transition needs is in transition_forms.py)."""

from urllib.parse import parse_qsl, urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from grants_office.calls import selectors as call_selectors
from grants_office.calls.models import Call, Currency
from grants_office.core.people import display_name
from grants_office.members import selectors as member_selectors
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows.states import State

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

    def states(self) -> list[str]:
        """The open states, then, with "closed", the rest: the board's columns in their order."""
        closed = [state for state in State.values if state not in State.OPEN] if self.show_closed() else []
        return [*State.OPEN, *closed]


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


# --- the proposals table ----------------------------------------------------------------------------
# The columns people may choose, in the order they are shown (the title always leads the row).
TABLE_COLUMNS = {
    "acronym": _("Acronym"),
    "lead": _("Lead municipality"),
    "partners": _("Partners"),
    "programme": _("Programme"),
    "call": _("Call"),
    "deadline": _("Deadline"),
    "state": _("State"),
    "stage": _("Stage"),
    "coordinator": _("Coordinator"),
    "requested_amount": _("Requested amount"),
    "total_budget": _("Total budget"),
    "awarded_amount": _("Awarded amount"),
    "submitted_at": _("Submitted"),
    "decided_on": _("Decided on"),
    "created_at": _("Created"),
    "updated_at": _("Updated"),
}
DEFAULT_COLUMNS = ["lead", "call", "deadline", "state", "requested_amount", "awarded_amount", "updated_at"]
# The columns a header link sorts by: keys of `selectors.PROPOSAL_SORTS` (the API's `ordering` too).
SORTABLE_COLUMNS = ("title", "lead", "deadline", "state", "requested_amount", "awarded_amount", "updated_at")
DEFAULT_SORT = "-updated_at"  # the list index's order: the first page of 100,000 reads 25 entries
PAGE_SIZES = (25, 50, 100)


class KnownChoicesField(forms.MultipleChoiceField):
    """Keeps the values it knows, in the order of its choices, and drops the rest: an old link that
    names a column no longer offered still opens."""

    def clean(self, value):
        chosen = set(self.to_python(value))
        return [str(key) for key, _label in self.choices if str(key) in chosen]


class TableFilterForm(BoardFilterForm):
    """The board's filters, a state filter, and how the table shows them (sort, columns, page size):
    a GET form, so a view of the table is a link that can be shared or saved."""

    state = forms.MultipleChoiceField(
        label=_("State"), choices=State.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    columns = KnownChoicesField(
        label=_("Columns"),
        choices=list(TABLE_COLUMNS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    per_page = forms.CharField(
        label=_("Rows per page"),
        required=False,
        widget=forms.Select(choices=[(size, size) for size in PAGE_SIZES]),
    )

    def board_fields(self) -> list:
        """The board's own filters, as the board shows them."""
        return [self[name] for name in BoardFilterForm.base_fields]

    def board_query(self) -> str:
        """The board's filters of this view, for the link back to the board."""
        pairs = parse_qsl(self.query_string())
        return urlencode([(name, value) for name, value in pairs if name in BoardFilterForm.base_fields])

    def clean_sort(self) -> str:
        """A sortable column, "-" first for descending; anything else is the default order."""
        term = (self.cleaned_data.get("sort") or "").strip()
        return term if term.removeprefix("-") in SORTABLE_COLUMNS else DEFAULT_SORT

    def clean_columns(self) -> list[str]:
        return self.cleaned_data.get("columns") or list(DEFAULT_COLUMNS)

    def clean_per_page(self) -> int:
        value = self.cleaned_data.get("per_page")
        return int(value) if value in {str(size) for size in PAGE_SIZES} else PAGE_SIZES[0]

    def states(self) -> list[str]:
        """The states chosen, else the board's."""
        chosen = self.cleaned_data.get("state") if self.is_valid() else None
        return list(chosen) if chosen else super().states()

    def shown(self, name: str, default):
        """How to show the table (sort, columns, per_page): what was asked when it is understood, even
        if a filter is wrong (the filters then apply as on the board: none)."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name, default)

    def query_string(self) -> str:
        """The view as a normalised query string: only known parameters with a value other than the
        default, in the form's order, ids for objects. Empty when the filters are not valid."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        defaults = {"sort": DEFAULT_SORT, "columns": DEFAULT_COLUMNS, "per_page": PAGE_SIZES[0]}
        pairs = []
        for name in self.fields:
            value = data.get(name)
            if value in (None, "", [], False) or value == defaults.get(name):
                continue
            values = value if isinstance(value, list) else [value]
            pairs += [(name, "on" if item is True else getattr(item, "pk", item)) for item in values]
        return urlencode(pairs)


class SaveFilterForm(forms.Form):
    """ "Save this view": a name, and the table's query string it stands for."""

    name = forms.CharField(label=_("Name of this view"), max_length=100)
    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
