"""The events pages: /events/…, the certificates and the public verification page."""

from django.urls import path, re_path

from events.views import attendance as attendance_views
from events.views import certificates as certificate_views
from events.views import events as event_views
from events.views import registrations as registration_views
from events.views import verify as verify_views

app_name = "events"

urlpatterns = [
    # -- events, registrations and attendance --
    path("events/", event_views.event_list, name="list"),
    path("events/new/", event_views.event_new, name="new"),
    path("events/<int:pk>/", event_views.event_detail, name="event"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="edit"),
    re_path(r"^events/(?P<pk>[0-9]+)/steps/(?P<name>[a-z_]+)/$", event_views.event_step, name="step"),
    path("events/<int:pk>/register/", event_views.register, name="register"),
    path("events/<int:pk>/registrations/", registration_views.registrations, name="registrations"),
    re_path(
        r"^events/registrations/(?P<pk>[0-9]+)/(?P<action>cancel|approve|refuse|move)/$",
        registration_views.registration_action,
        name="registration-action",
    ),
    path("events/<int:pk>/attendance/", attendance_views.attendance, name="attendance"),
    path(
        "events/<int:pk>/certificates/issue/", attendance_views.issue_certificates, name="issue-certificates"
    ),
    # -- certificates and verification --
    path("certificates/", certificate_views.my_certificates, name="my-certificates"),
    path("certificates/<int:pk>.pdf", certificate_views.certificate_file, name="certificate-pdf"),
    path("verify/", verify_views.verify_form, name="verify-form"),
    path("verify/<str:code>/", verify_views.verify, name="verify"),
]
