"""The personal-data pages."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/audit/", views.trail, name="audit"),
]
