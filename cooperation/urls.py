"""Cooperation's pages."""

from django.urls import path, re_path

from cooperation.views import cooperations as cooperation_views
from cooperation.views import eligibility as eligibility_views
from cooperation.views import matches as call_watch_views
from cooperation.views import parties as party_views
from cooperation.views import partners as partner_views
from cooperation.views import requests as request_views

app_name = "cooperation"

urlpatterns = []

# -- eligibility --
urlpatterns += [
    path("calls/<int:pk>/eligibility/", eligibility_views.call_eligibility, name="call-eligibility")
]

# -- call watch --
urlpatterns += [path("calls/matches/", call_watch_views.call_matches, name="call-matches")]

# -- partners --
urlpatterns += [
    path("partners/", partner_views.partners, name="partners"),
    path("partners/<int:pk>/edit/", partner_views.partner_edit, name="partner-edit"),
]

# -- partner requests and cooperations --
urlpatterns += [
    path("partners/requests/", request_views.request_list, name="partner-requests"),
    path("partners/requests/new/", request_views.request_new, name="partner-request-new"),
    path("partners/requests/<int:pk>/", request_views.request_detail, name="partner-request"),
    path("partners/requests/<int:pk>/respond/", request_views.respond, name="partner-request-respond"),
    path("partners/requests/<int:pk>/close/", request_views.close, name="partner-request-close"),
    re_path(
        r"^partners/responses/(?P<pk>[0-9]+)/(?P<decision>accept|decline|withdraw)/$",
        request_views.decide,
        name="partner-response-decide",
    ),
    path("cooperations/", cooperation_views.cooperations, name="cooperations"),
]

# -- member and organisation pages --
# placeholders by the partners part until the real pages land (same names and paths)
urlpatterns += [
    path("members/<int:pk>/", party_views.municipality, name="municipality"),
    path("members/organisations/<int:pk>/", party_views.organisation, name="organisation"),
]
