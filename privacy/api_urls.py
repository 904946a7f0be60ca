"""The personal-data endpoints under /api/v1/."""

from django.urls import path

from privacy import api

urlpatterns = [
    path("audit/", api.TrailView.as_view(), name="privacy-audit"),
]
