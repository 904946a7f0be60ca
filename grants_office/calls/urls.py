from django.urls import path

from grants_office.calls import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/calendar/", views.deadline_calendar, name="calendar"),
    path("calls/<int:pk>/", views.call_detail, name="detail"),
]
