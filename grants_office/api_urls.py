"""The public API v1: fixed paths that external clients rely on (see docs/architecture.md)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from grants_office.calls.api import CallViewSet, ProgrammeViewSet
from grants_office.identity.api import LogoutAllView, LogoutView, TokenView
from grants_office.members.api import MunicipalityViewSet, OrganisationViewSet

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("calls", CallViewSet, basename="call")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("", include(router.urls)),
    path("", include("workflows.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("events.api_urls")),
    path("", include("cooperation.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("privacy.api_urls")),
]
