"""The unread badge in every page's frame: one capped COUNT, and only when the page shows the badge."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications import selectors

# Counting stops here: "99+" is all a badge needs, and a long-unread inbox costs no more than a short one.
CAP = 99


class InboxBadge:
    """What the badge says; nothing is asked of the database until a template reads it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if not (self.user and self.user.is_authenticated):
            return 0
        return selectors.inbox(self.user, unread=True).order_by()[: CAP + 1].count()

    @property
    def text(self) -> str:
        return f"{CAP}+" if self.count > CAP else str(self.count)

    @property
    def label(self) -> str:
        if self.count > CAP:
            return _("More than %(count)d unread notifications") % {"count": CAP}
        if not self.count:
            return _("No unread notifications")
        return ngettext("%(count)d unread notification", "%(count)d unread notifications", self.count) % {
            "count": self.count
        }


def inbox(request):
    return {"inbox_badge": InboxBadge(getattr(request, "user", None))}
