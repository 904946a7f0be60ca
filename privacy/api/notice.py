"""The privacy notice through the API: `GET /api/v1/privacy-notice/` (anyone: its current version, and
for a signed-in person whether they accepted it) and `POST /api/v1/privacy-notice/accept/`."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from grants_office.core.errors import NotFound
from grants_office.core.schema import ErrorSerializer
from privacy import selectors, services


class NoticeSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    text = serializers.CharField(help_text=_("In the reader's language (Accept-Language), else the other."))
    text_tr = serializers.CharField()
    text_en = serializers.CharField()
    accepted = serializers.BooleanField(
        allow_null=True, help_text=_("Whether you accepted it; null signed out.")
    )


class NoticeAcceptSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version you read."))


class AcceptanceSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="notice.version")
    accepted_at = serializers.DateTimeField()


class NoticeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: NoticeSerializer, 404: ErrorSerializer})
    def get(self, request):
        """The current privacy notice (aydınlatma metni)."""
        notice = selectors.current_notice()
        if notice is None:
            raise NotFound(_("The office has not published a privacy notice."))
        accepted = None
        if request.user.is_authenticated:
            accepted = selectors.pending_notice(request.user, notice) is None
        body = {
            "version": notice.version,
            "published_at": notice.published_at,
            "text": notice.text(get_language() or "tr"),
            "text_tr": notice.text_tr,
            "text_en": notice.text_en,
            "accepted": accepted,
        }
        return Response(NoticeSerializer(body).data)


class AcceptNoticeView(APIView):
    @extend_schema(
        request=NoticeAcceptSerializer,
        responses={
            200: AcceptanceSerializer,
            404: ErrorSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description=_("A newer version was published (notice_changed).")
            ),
        },
    )
    def post(self, request):
        """Accept the version you read; accepting again answers the same acceptance."""
        wanted = NoticeAcceptSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        acceptance = services.accept_notice(request.user, wanted.validated_data["version"])
        return Response(AcceptanceSerializer(acceptance).data)
