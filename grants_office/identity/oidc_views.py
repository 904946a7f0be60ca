"""The two addresses of single sign-on under /oidc/: the start, which sends the person to the provider
with a fresh state, nonce and PKCE challenge, and the callback, which checks the provider's answer and
signs them in through identity.flow. Both answer 404 while single sign-on is off.

Every way the callback can fail (a refused account, a forged or replayed state, a bad token, a provider
that does not answer) leads back to the sign-in page with a sentence saying why, never to an error page."""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from grants_office.identity import flow, oidc

LOGGER = logging.getLogger(__name__)
NEXT = "oidc_login_next"  # the library's session key for where to go after the sign-in


class SingleSignOnOnly:
    def dispatch(self, request, *args, **kwargs):
        if not oidc.enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SignInStartView(SingleSignOnOnly, OIDCAuthenticationRequestView):
    """GET /oidc/authenticate/?next=…: to the provider's authorisation endpoint."""


class SignInCallbackView(SingleSignOnOnly, OIDCAuthenticationCallbackView):
    """GET /oidc/callback/?code=…&state=…: the provider's answer."""

    def get(self, request):
        try:
            return super().get(request)
        except oidc.SignInRefused as refusal:
            LOGGER.info("single sign-on refused: %s", refusal.reason)
            return self.login_failure(refusal.message)
        except (requests.ConnectionError, requests.Timeout) as error:
            LOGGER.warning("single sign-on: the provider did not answer: %s", error)
            return self.login_failure(
                gettext(
                    "No answer came from %(provider)s. Please try again later, or sign in with your password."
                )
                % {"provider": oidc.provider_name()}
            )
        except (
            SuspiciousOperation,
            jwt.PyJWTError,
            requests.RequestException,
            ValueError,
            KeyError,
        ) as error:
            # a state not started in this browser, a replay, a token that fails its checks, a garbled answer
            LOGGER.warning("single sign-on could not be checked: %r", error)
            return self.login_failure(oidc.unchecked_message())

    def login_failure(self, message: str | None = None):
        messages.error(
            self.request,
            message
            or gettext(
                "The sign-in through %(provider)s did not complete. Please try again, or sign in with your "
                "password."
            )
            % {"provider": oidc.provider_name()},
        )
        next_url = self.safe(self.request.session.pop(NEXT, None))
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return HttpResponseRedirect(reverse("login") + query)

    def login_success(self):
        redirect_to = self.safe(self.request.session.pop(NEXT, None)) or resolve_url(
            settings.LOGIN_REDIRECT_URL
        )
        return flow.finish_sign_in(self.request, self.user, backend=oidc.BACKEND, redirect_to=redirect_to)

    def safe(self, url: str | None) -> str | None:
        """The start checked `next` already; checked again here, as it comes back from the session."""
        allowed = url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return url if url and allowed else None
