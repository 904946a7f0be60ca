"""The calendar feeds as answers (`notifications.feeds` builds them) and the renewal of a person's secret
address. A feed needs no session: calendar apps fetch it with the address alone, and an unknown address
or an inactive owner answers 404 (`NotFound`, turned into the 404 page by the middleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from notifications import feeds, services

CACHE_SECONDS = 900


def _ics(body: bytes, *, public: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    patch_cache_control(response, **{"public" if public else "private": True}, max_age=CACHE_SECONDS)
    return response


@require_safe
def calendar_feed(request, token):
    """A person's private feed: their deadlines, review due dates and consultations."""
    feed = feeds.feed_by_token(token)
    return _ics(feeds.private_calendar(feed, feeds.Site.of(request)), public=False)


@require_safe
def calls_feed(request):
    """The public feed of open and upcoming calls' deadlines."""
    return _ics(feeds.calls_calendar(feeds.Site.of(request)), public=True)


@login_required
@require_POST
def renew_calendar_feed(request):
    """A new secret address; the account page shows it, and the old one stops working at once."""
    services.renew_calendar_feed(request.user)
    messages.success(
        request,
        _(
            "Your calendar feed has a new address. The old one stopped working: calendars subscribed "
            "to it need the new address."
        ),
    )
    return redirect(reverse("account") + "#calendar-feed")
