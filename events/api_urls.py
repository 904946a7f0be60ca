"""The events API: /api/v1/events/, registrations, attendance and certificates."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
extra = []
# -- events and registrations --
# -- attendance and certificates --

urlpatterns = [*extra, path("", include(router.urls))]
