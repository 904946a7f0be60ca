"""The inbox and preferences pages (included from grants_office/urls.py: names are notifications:<name>)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.open_notification, name="open"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
    path("inbox/read-all/", views.mark_all_read, name="read-all"),
    path("inbox/preferences/", views.preferences, name="preferences"),
]
