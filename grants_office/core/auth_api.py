"""POST /api/v1/auth/token/: a username and password for a hashed, expiring knox token."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from grants_office.core.errors import Invalid


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=CredentialsSerializer,
        responses=inline_serializer(
            "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
    )
    def post(self, request):
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request, **credentials.validated_data)
        if user is None or not user.is_active:
            raise Invalid(
                _("Unable to sign in with these credentials."),
                fields={"non_field_errors": [str(_("Unable to sign in with these credentials."))]},
            )
        instance, token = AuthToken.objects.create(user, knox_settings.TOKEN_TTL)
        return Response({"token": token, "expiry": instance.expiry}, status=200)
