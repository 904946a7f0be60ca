"""The API's sign-in and sign-out: a username and password (and, for an account with a second factor, its
current code) for a hashed, expiring knox token; revoking the token used, or every token of the account.

Sign-in is limited twice, both counted for all processes at once: a throttle per client address
(LOGIN_THROTTLE_RATE, 20 a minute) and django-axes' lockout after AXES_FAILURE_LIMIT failures per user
name and per address (429 `locked_out` with Retry-After, even with the right password).
"""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from grants_office.core import tokens
from grants_office.core.errors import Invalid, refused
from grants_office.core.schema import ErrorSerializer
from grants_office.core.security import ClientAddressThrottleMixin
from grants_office.identity import selectors, services
from grants_office.identity.permissions import must_use_second_factor


class LoginThrottle(ClientAddressThrottleMixin, AnonRateThrottle):
    scope = "login"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    otp_code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_(
            "For an account with two-factor sign-in: the six digits of its authenticator app now, or one of "
            "its recovery codes (used up by this)."
        ),
    )


def check_second_factor(user, code: str) -> None:
    """A token is a sign-in: an account with a second factor gives its code, and an office account without
    one sets it up in the browser first."""
    if selectors.has_second_factor(user):
        if not code:
            message = _("This account signs in with a second factor: send its code as otp_code.")
            raise Invalid(message, fields={"otp_code": [str(message)]})
        try:
            services.verify_code(user, code)
        except Invalid as error:
            raise Invalid(error.message, fields={"otp_code": error.fields["code"]}) from None
    elif must_use_second_factor(user):
        raise refused(
            "second_factor_setup_required",
            _(
                "Office accounts sign in with a second factor: set it up in the browser (your settings, "
                "two-factor sign-in) before asking for an API token."
            ),
        )


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: inline_serializer(
                "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
            ),
            400: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "`invalid`: a field is missing, the user name and password do not match, or the "
                    "account's second factor is missing or wrong (`fields.otp_code`; after several wrong "
                    "codes it asks to wait)."
                ),
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "`second_factor_setup_required`: an office account without a second factor; it sets "
                    "one up in the browser first."
                ),
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "`throttled`: too many requests from this address (LOGIN_THROTTLE_RATE); `locked_out`: "
                    "too many failed sign-ins for this user name or from this address, refused even with "
                    "the right password until the cool-off ends. Both carry `Retry-After` (seconds)."
                ),
            ),
        },
        description=_(
            "A new token for the account. A user holds at most REST_KNOX TOKEN_LIMIT_PER_USER (20) tokens: "
            "expired ones are purged, and at the cap the oldest token is revoked so the new one fits. "
            "Tokens are also revoked by `auth/logout/`, `auth/logout-all/`, a password change or reset, "
            "and deactivation of the account."
        ),
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # Django's own request: django-axes marks a locked-out attempt on it, and its middleware answers
        http_request = request._request
        user = authenticate(http_request, **credentials.validated_data)
        if user is None or not user.is_active:
            raise Invalid(
                _("Unable to sign in with these credentials."),
                fields={"non_field_errors": [str(_("Unable to sign in with these credentials."))]},
            )
        check_second_factor(user, credentials.validated_data.get("otp_code", ""))
        # a sign-in like the web's: last_login, axes' access log, and its failures forgiven
        user_logged_in.send(sender=type(user), request=http_request, user=user)
        instance, token = tokens.issue(user)
        return Response({"token": token, "expiry": instance.expiry}, status=200)


class LogoutView(APIView):
    authentication_classes = [tokens.TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None},
        description=_("Revokes the token this request is signed with; the account's other tokens stay."),
    )
    def post(self, request):
        tokens.revoke(request.auth)
        return Response(status=204)


class LogoutAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={204: None},
        description=_(
            "Revokes every token of the account (every app and script signed in as you), including the "
            "one this request is signed with. Web sessions stay signed in."
        ),
    )
    def post(self, request):
        tokens.revoke_all(request.user)
        return Response(status=204)
