"""`{% calendar_feed as feed %}`: the signed-in person's private calendar feed for the account page, whose
view (in `grants_office.members`, below this app) knows nothing of notifications; as the inbox badge, the
frame's template asks this app. The feed is made the first time the page is shown (one query after that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.urls import reverse

from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_staff
from notifications import feeds, services

register = template.Library()


@dataclass(frozen=True)
class FeedPanel:
    url: str  # the private address, absolute
    calls_url: str  # the public feed of call deadlines, absolute
    holds: str  # what the private feed holds
    renewed_at: datetime | None


@register.simple_tag(takes_context=True)
def calendar_feed(context) -> FeedPanel | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not signed_in(user):
        return None
    feed = services.calendar_feed_of(user)
    return FeedPanel(
        url=request.build_absolute_uri(reverse("notifications:calendar-feed", args=[feed.token])),
        calls_url=request.build_absolute_uri(reverse("notifications:calls-feed")),
        holds=feeds.holds(is_office_staff(user)),
        renewed_at=feed.renewed_at,
    )
