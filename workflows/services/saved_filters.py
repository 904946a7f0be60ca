"""Saved views of the proposals table: each person's own, by name, at most `SavedFilter.LIMIT_PER_PERSON`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from grants_office.core.errors import Conflict, Invalid, NotFound, Reason
from grants_office.core.people import signed_in
from workflows.forms import TableFilterForm
from workflows.models import SavedFilter


def normalised_query(query: str) -> str:
    """The table's query string as its form reads it: only known parameters, no page (400 when a
    filter names nothing the table knows)."""
    form = TableFilterForm(QueryDict(query or ""))
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        raise Invalid(_("This view has a filter the table does not know."), fields={"query": messages})
    return form.query_string()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Give the view a name."), fields={"name": [_("Give the view a name.")]})
    limit = SavedFilter._meta.get_field("name").max_length
    if len(name) > limit:
        message = _("At most %(limit)d characters.") % {"limit": limit}
        raise Invalid(message, fields={"name": [message]})
    return name


def save_filter(user, name: str, query: str) -> SavedFilter:
    """Save the table's view under a name; the same name again replaces its query."""
    if not signed_in(user):
        raise NotFound(_("Not found."))
    name, query = _clean_name(name), normalised_query(query)
    with transaction.atomic():
        # One person's saves one at a time, so two at once cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        saved = SavedFilter.objects.filter(user_id=user.pk, name=name).first()
        if saved is not None:
            saved.query = query
            saved.save(update_fields=["query", "updated_at"])
            return saved
        if SavedFilter.objects.filter(user_id=user.pk).count() >= SavedFilter.LIMIT_PER_PERSON:
            message = _("You have %(limit)d saved views, the most there may be; delete one first.") % {
                "limit": SavedFilter.LIMIT_PER_PERSON
            }
            raise Conflict(
                message, reasons=[Reason("saved_filter_limit", message)], code="saved_filter_limit"
            )
        return SavedFilter.objects.create(user=user, name=name, query=query)


def delete_filter(user, saved_filter: SavedFilter) -> None:
    """Delete one of one's own saved views; anyone else's is not found."""
    if not signed_in(user) or saved_filter.user_id != user.pk:
        raise NotFound(_("Not found."))
    saved_filter.delete()
