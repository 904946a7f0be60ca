"""Cooperation's endpoints under /api/v1/ (eligibility, call watch, partners, requests, agreements)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from cooperation.api import capacity as capacity_api
from cooperation.api import cooperations as cooperations_api
from cooperation.api import eligibility as eligibility_api
from cooperation.api import matches as call_watch_api
from cooperation.api import partners as partners_api
from cooperation.api import requests as requests_api

urlpatterns = []

# -- eligibility --
urlpatterns += [
    path(
        "calls/<int:pk>/eligible-municipalities/",
        eligibility_api.EligibleMunicipalityList.as_view(),
        name="api-call-eligible-municipalities",
    ),
    path(
        "municipalities/<int:pk>/eligible-calls/",
        eligibility_api.EligibleCallList.as_view(),
        name="api-municipality-eligible-calls",
    ),
]

# -- member capacity --
urlpatterns += [
    path(
        "municipalities/<int:pk>/capacity/",
        capacity_api.MunicipalityCapacityView.as_view(),
        name="api-municipality-capacity",
    )
]

# -- call watch --
urlpatterns += [path("call-matches/", call_watch_api.CallMatchList.as_view(), name="api-call-matches")]

# -- partners --
_partners = SimpleRouter()
_partners.register("partners", partners_api.PartnerViewSet, basename="partner")
urlpatterns += [path("", include(_partners.urls))]

# -- partner requests and cooperations --
_requests = SimpleRouter()
_requests.register("partner-requests", requests_api.PartnerRequestViewSet, basename="partner-request")
_requests.register("partner-responses", requests_api.PartnerResponseViewSet, basename="partner-response")
_requests.register("cooperations", cooperations_api.CooperationViewSet, basename="cooperation")
urlpatterns += [
    path(
        "partner-requests/<int:pk>/responses/",
        requests_api.PartnerRequestResponsesView.as_view(),
        name="partner-request-responses",
    ),
    path("", include(_requests.urls)),
]
