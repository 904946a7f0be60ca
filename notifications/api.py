"""The inbox API: own notifications, unread count, mark read, and per-kind preferences."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response

from grants_office.core.api import Pagination
from grants_office.core.errors import Invalid, NotFound
from notifications import kinds, selectors, services
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "object_type",
            "object_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_object_type(self, notification) -> str:
        content_type = ContentType.objects.get_for_id(notification.content_type_id)  # cached per process
        return f"{content_type.app_label}.{content_type.model}"


class InboxPagination(Pagination):
    """A page of the inbox, with how many notifications are still unread in all."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = self.unread_count
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread_count"] = {"type": "integer"}
        return schema


def _unread_param(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    if value.lower() in {"true", "1", "yes"}:
        return True
    if value.lower() in {"false", "0", "no"}:
        return False
    raise Invalid(_("Invalid input."), fields={"unread": [_("Use true or false.")]})


class PreferencesMetadata(SimpleMetadata):
    """OPTIONS on the preferences: one resource per person, not a row found by id (DRF's metadata would
    look one up for PUT and fail), and its input is {kind: channel}, not a serializer's fields."""

    def determine_actions(self, request, view):
        channels = [{"value": value, "display_name": str(label)} for value, label in kinds.Channel.choices]
        fields = {
            code: {
                "type": "choice",
                "required": False,
                "read_only": False,
                "label": str(kind.label),
                "choices": channels,
            }
            for code, kind in kinds.KINDS.items()
        }
        return {method: fields for method in ("PUT", "PATCH") if method in view.allowed_methods}


ChannelChoice = serializers.ChoiceField(choices=kinds.Channel.choices)
Preferences = inline_serializer(
    "Preferences",
    {
        "preferences": serializers.DictField(child=ChannelChoice, help_text=_("Each kind's channel.")),
        "kinds": inline_serializer(
            "PreferenceKind",
            {
                "kind": serializers.CharField(),
                "label": serializers.CharField(),
                "channel": ChannelChoice,
                "default": ChannelChoice,
            },
            many=True,
        ),
        "channels": inline_serializer(
            "PreferenceChannel", {"value": ChannelChoice, "label": serializers.CharField()}, many=True
        ),
    },
)


def _preferences_body(chosen: dict[str, str]) -> dict:
    return {
        "preferences": chosen,
        "kinds": [
            {"kind": code, "label": str(kind.label), "channel": chosen[code], "default": kind.default}
            for code, kind in kinds.KINDS.items()
        ],
        "channels": [{"value": value, "label": str(label)} for value, label in kinds.Channel.choices],
    }


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET the signed-in person's own notifications, newest first (`?unread=true` for unread only)."""

    serializer_class = NotificationSerializer
    pagination_class = InboxPagination
    filter_backends = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Notification.objects.none()
        return selectors.inbox(
            self.request.user, unread=_unread_param(self.request.query_params.get("unread"))
        )

    @extend_schema(parameters=[OpenApiParameter("unread", bool, required=False)])
    def list(self, request, *args, **kwargs):
        self.paginator.unread_count = selectors.unread_count(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications read (another person's answers 404)."""
        notification = services.mark_read(request.user, _pk(pk))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "MarkedRead", {"marked": serializers.IntegerField(), "unread_count": serializers.IntegerField()}
        ),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read."""
        marked = services.mark_all_read(request.user)
        return Response({"marked": marked, "unread_count": 0})

    @extend_schema(
        request={
            "application/json": {
                "type": "object",
                "additionalProperties": {"type": "string", "enum": [*kinds.Channel.values]},
            }
        },
        responses=Preferences,
    )
    @action(detail=False, methods=["get", "put", "patch"], metadata_class=PreferencesMetadata)
    def preferences(self, request):
        """GET every kind with its delivery; PUT {kind: channel, ...} sets them all (kinds left out go back
        to their default); PATCH changes only the kinds named. Channels: in_app, email, digest, off."""
        if request.method == "GET":
            return Response(_preferences_body(selectors.preferences_of(request.user)))
        chosen = services.set_preferences(request.user, request.data, replace=request.method == "PUT")
        return Response(_preferences_body(chosen))


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
