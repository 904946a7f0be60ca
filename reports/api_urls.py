"""The reports' endpoints under /api/v1/reports/."""

from django.urls import path

from reports import api

urlpatterns = [
    path("reports/results/", api.ResultsView.as_view(), name="reports-results"),
    path("reports/results/export/", api.ResultsExportView.as_view(), name="reports-results-export"),
]
