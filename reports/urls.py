"""The reports' pages: the results dashboard, the exchange rates and the annual report."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/rates/", views.rates, name="rates"),
    path("reports/annual/<int:year>.pdf", views.annual_pdf, name="annual-pdf"),
    path("reports/annual/<int:year>.xlsx", views.annual_xlsx, name="annual-xlsx"),
]
