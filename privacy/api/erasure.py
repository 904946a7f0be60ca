"""Erasure by anonymisation for the office's admins: `GET /api/v1/people/{id}/erasure/` says whether the
person can be erased now (or was, under which pseudonym); `POST` erases them, or with `dry_run` tells
what would be rewritten without changing anything. Others get 409 `not_permitted`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from grants_office.core.errors import not_permitted
from grants_office.core.schema import ErrorSerializer, ReasonSerializer
from privacy import selectors, services
from privacy.permissions import may_erase


class ErasureStateSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    erased = serializers.BooleanField()
    pseudonym = serializers.CharField(allow_null=True)
    erased_at = serializers.DateTimeField(allow_null=True)
    holds = ReasonSerializer(
        many=True, help_text=_("Why the person cannot be erased now; empty if they can.")
    )


class ErasureSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id", allow_null=True)
    pseudonym = serializers.CharField()
    erased_at = serializers.DateTimeField(allow_null=True)
    erased_by = serializers.IntegerField(source="erased_by_id", allow_null=True)
    reason = serializers.CharField()
    dry_run = serializers.SerializerMethodField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Rows rewritten or removed, by kind.")
    )

    def get_dry_run(self, erasure) -> bool:
        return erasure.pk is None


class EraseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("The request this answers: when and how the person asked, or why.")
    )
    dry_run = serializers.BooleanField(default=False)


def _admin_only(user) -> None:
    if not may_erase(user):
        raise not_permitted(_("Only the office's admins erase a person."))


class ErasureView(APIView):
    @extend_schema(responses={200: ErasureStateSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    def get(self, request, pk):
        """Whether the person can be erased now, and why not."""
        _admin_only(request.user)
        person = selectors.person(pk)
        erasure = getattr(person, "erasure", None)
        state = {
            "person": person.pk,
            "erased": erasure is not None,
            "pseudonym": erasure.pseudonym if erasure else None,
            "erased_at": erasure.erased_at if erasure else None,
            "holds": [] if erasure else [r.as_dict() for r in selectors.erasure_holds(request.user, person)],
        }
        return Response(ErasureStateSerializer(state).data)

    @extend_schema(
        request=EraseSerializer,
        responses={
            201: ErasureSerializer,
            200: OpenApiResponse(ErasureSerializer, description=_("A dry run: nothing was changed.")),
            409: OpenApiResponse(
                ErrorSerializer, description=_("A legal hold or a step that must come first (the reasons).")
            ),
        },
    )
    def post(self, request, pk):
        """Erase the person by anonymisation: their name, e-mail and user name are replaced everywhere by
        a pseudonym, their account is closed; what others depend on stays."""
        _admin_only(request.user)
        person = selectors.person(pk)
        wanted = EraseSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        erasure = services.erase_person(
            request.user, person, wanted.validated_data["reason"], dry_run=wanted.validated_data["dry_run"]
        )
        answer = status.HTTP_200_OK if erasure.pk is None else status.HTTP_201_CREATED
        return Response(ErasureSerializer(erasure).data, status=answer)
