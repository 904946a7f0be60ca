"""The "My reviews" link of the main navigation, for experts and anyone with a review assignment.

The frame renders it on every page, so the answer is cached per person for a few minutes: after the first
page it costs no query (the pages' query counts stay what they were). Becoming an expert is an office
admin's act, so a link that appears a few minutes late is acceptable; an assignment always goes to an
expert, who has the link already.
"""

from __future__ import annotations

from django import template
from django.core.cache import cache

from grants_office.core.people import signed_in
from grants_office.members.models import ExpertProfile
from workflows.review.models import ReviewAssignment

register = template.Library()

CACHE_SECONDS = 300


def _key(user) -> str:
    # The join date makes the key unique to the account even where a database reuses primary keys.
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"review-nav:{user.pk}:{joined}"


def has_reviews(user) -> bool:
    if not signed_in(user):
        return False
    key = _key(user)
    cached = cache.get(key)
    if cached is None:
        cached = (
            ExpertProfile.objects.filter(user=user).exists()
            or ReviewAssignment.objects.filter(reviewer=user).exists()
        )
        cache.set(key, cached, CACHE_SECONDS)
    return cached


@register.inclusion_tag("workflows/review/includes/nav_link.html", takes_context=True)
def review_nav_link(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"show": has_reviews(user), "active": context.get("nav_active") == "reviews"}
