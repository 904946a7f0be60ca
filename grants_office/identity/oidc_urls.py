"""/oidc/ (grants_office/urls.py): single sign-on's start and callback, 404 while it is off. The names are
mozilla-django-oidc's own, which it reverses to build the callback address."""

from django.urls import path

from grants_office.identity import oidc_views

urlpatterns = [
    path("authenticate/", oidc_views.SignInStartView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc_views.SignInCallbackView.as_view(), name="oidc_authentication_callback"),
]
