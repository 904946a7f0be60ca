"""The events API: /api/v1/events/, registrations, attendance and certificates."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from events.api import attendance as attendance_api
from events.api import certificates as certificates_api
from events.api import events as events_api
from events.api import registrations as registrations_api

router = SimpleRouter()
# -- events and registrations --
router.register("events", events_api.EventViewSet, basename="event")
router.register("event-registrations", registrations_api.RegistrationViewSet, basename="event-registration")
# -- attendance and certificates --
router.register("certificates", certificates_api.CertificateViewSet, basename="api-certificate")

urlpatterns = [
    path(
        "events/<int:pk>/registrations/",
        registrations_api.EventRegistrationsView.as_view(),
        name="api-event-registrations",
    ),
    path("events/<int:pk>/attendance/", attendance_api.AttendanceView.as_view(), name="api-event-attendance"),
    path(
        "events/<int:pk>/certificates/",
        certificates_api.IssueCertificatesView.as_view(),
        name="api-event-certificates",
    ),
    path("", include(router.urls)),
]
