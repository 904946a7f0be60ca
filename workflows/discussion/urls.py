"""Pages of the discussion (included from workflows/urls.py: names are workflows:discussion:<name>)."""

from django.urls import path

from workflows.discussion import views

app_name = "discussion"

urlpatterns = [
    path("proposals/<int:pk>/comments/", views.comments, name="comments"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/resolve/", views.resolve, name="resolve"),
]
