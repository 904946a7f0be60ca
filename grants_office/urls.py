from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from grants_office.core import health
from grants_office.core.security import ApiDocsAccess, signed_in_unless_docs_public
from grants_office.members import views as personal

admin.site.site_header = _("EU project office")
admin.site.site_title = _("EU project office")
admin.site.index_title = _("Administration")

# a 404 under /api/ answers the API's error body (issue 12, scope 8)
handler404 = "grants_office.core.api.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("grants_office.api_urls")),
    # sign-in needed in production unless API_DOCS_PUBLIC (grants_office.core.security)
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[ApiDocsAccess]), name="api-schema"),
    path(
        "api/docs/",
        signed_in_unless_docs_public(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # for load balancers and orchestrators: no sign-in, never cached, exempt from the https redirect
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The web pages (Django templates + htmx): each person's own, then the apps'.
    path("", personal.home, name="home"),
    path("language/", personal.set_language, name="set-language"),
    path("account/", personal.account, name="account"),
    path("account/api-tokens/revoke/", personal.revoke_api_tokens, name="account-revoke-tokens"),
    path("", include("grants_office.identity.urls")),
    path("", include("grants_office.core.urls")),
    path("oidc/", include("grants_office.identity.oidc_urls")),  # single sign-on, 404 unless configured
    path("", include("workflows.urls")),
    path("", include("grants_office.calls.urls")),
    path("", include("grants_office.members.urls")),
    path("", include("events.urls")),
    path("", include("cooperation.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
]
