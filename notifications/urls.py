"""The inbox and preferences pages and the calendar feeds (included from grants_office/urls.py: names are
notifications:<name>)."""

from django.urls import path

from notifications import feed_views, views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.open_notification, name="open"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
    path("inbox/read-all/", views.mark_all_read, name="read-all"),
    path("inbox/preferences/", views.preferences, name="preferences"),
    # calendar feeds: a token is URL-safe base64, which is what the slug converter takes
    path("feeds/<slug:token>/calendar.ics", feed_views.calendar_feed, name="calendar-feed"),
    path("feeds/calls.ics", feed_views.calls_feed, name="calls-feed"),
    path("feeds/renew/", feed_views.renew_calendar_feed, name="calendar-feed-renew"),
]
