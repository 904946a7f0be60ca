from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = _("EU project office")
admin.site.site_title = _("EU project office")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("grants_office.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The web pages (Django templates + htmx).
    path("", include("grants_office.core.urls")),
    path("", include("workflows.urls")),
    path("", include("grants_office.calls.urls")),
    path("", include("grants_office.members.urls")),
    path("", include("notifications.urls")),
]
