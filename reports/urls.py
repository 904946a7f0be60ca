"""The reports' pages: the results dashboard and the annual report."""

app_name = "reports"

urlpatterns: list = []
