"""Single sign-on through the office's OpenID Connect provider (mozilla-django-oidc, settings in
grants_office/single_sign_on.py): the provider's verified e-mail signs in the one active account here with
that address, compared without case. It never creates an account and never changes one; passwords keep
working beside it. Off (no button, /oidc/ answers 404) until the client and the endpoints are configured."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext, gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

BACKEND = "grants_office.identity.oidc.SingleSignOnBackend"
REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
)
DEFAULT_PROVIDER_NAME = gettext_lazy("your organisation's account")


def enabled() -> bool:
    """Read at each request, not at start, so a changed setting needs no new URL configuration."""
    required = list(REQUIRED)
    if getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256").startswith(("RS", "ES")):
        required.append("OIDC_OP_JWKS_ENDPOINT")  # the provider's public keys check the ID token
    return all(getattr(settings, name, "") for name in required)


def provider_name() -> str:
    return str(getattr(settings, "OIDC_PROVIDER_NAME", "") or DEFAULT_PROVIDER_NAME)


def sign_in_choices(request) -> dict:
    """Context processor: what identity/_sso_button.html needs, only while single sign-on is on."""
    return {"single_sign_on": {"provider": provider_name()}} if enabled() else {}


class SignInRefused(Exception):
    """The provider answered, and its answer signs nobody in here; `message` tells the person why."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, answering only the callback of a sign-in that began here."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every password sign-in: the library's __init__ reads (and
        # insists on) the provider's settings, so they are read only when a sign-in through it begins.
        self.UserModel = get_user_model()

    def authenticate(self, request, nonce=None, code_verifier=None, **credentials):
        # only the callback passes a nonce; a password sign-in (or a code in its query) is not ours
        if request is None or nonce is None or not enabled():
            return None
        super().__init__()
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the user info must be about the person of the ID token
            raise SignInRefused(unchecked_message(), "subject mismatch")
        self.verify_claims(claims)
        return self.account_for(str(claims["email"]).strip())

    def verify_claims(self, claims) -> bool:
        if not claims.get("email"):
            raise SignInRefused(
                gettext("%(provider)s gave no e-mail address, so it cannot sign you in here.")
                % {"provider": provider_name()},
                "no e-mail",
            )
        # some providers send the flag as a string
        if claims.get("email_verified") not in (True, "true"):
            raise SignInRefused(
                gettext(
                    "Your e-mail address is not verified at %(provider)s, so it cannot sign you in here. "
                    "Sign in with your password, or ask the office."
                )
                % {"provider": provider_name()},
                "e-mail not verified",
            )
        return True

    def account_for(self, email: str):
        """The one active account with this e-mail; a closed one, or several to choose from: nobody."""
        accounts = list(self.UserModel.objects.filter(email__iexact=email))
        active = [account for account in accounts if account.is_active]
        if len(active) == 1:
            return active[0]
        values = {"email": email}
        if len(active) > 1:
            message = gettext(
                "More than one account here has the e-mail address %(email)s, so single sign-on cannot "
                "tell which is yours. Ask the office to sort it out, or sign in with your password."
            )
            raise SignInRefused(message % values, "several accounts")
        if accounts:
            message = gettext("The account with the e-mail address %(email)s is closed. Ask the office.")
            raise SignInRefused(message % values, "account closed")
        message = gettext(
            "No account here has the e-mail address %(email)s. Ask the office to put it on your account, "
            "or sign in with your password."
        )
        raise SignInRefused(message % values, "no account")

    def get_user(self, user_id):
        # unlike the library's, a closed account's session ends at its next request, as a password one's
        return ModelBackend.get_user(self, user_id)


def unchecked_message() -> str:
    return gettext(
        "The sign-in through %(provider)s could not be checked, so it was refused. Please start again."
    ) % {"provider": provider_name()}
