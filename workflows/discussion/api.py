"""Discussion API: a proposal's threads, posting, editing within the window, resolving.

Each request finds the proposal (or the comment) among those the person sees once and asks their role
on it once; the service and the answer take both from there."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from documents.models import DocumentVersion
from grants_office.core import concurrency
from grants_office.core.errors import Invalid
from workflows import selectors as proposal_selectors
from workflows.api.serializers import PersonSerializer
from workflows.discussion import selectors, services
from workflows.discussion.models import Comment, Visibility
from workflows.discussion.rendering import render


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    resolved_by = PersonSerializer(read_only=True, allow_null=True)
    mentions = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    version_label = serializers.SerializerMethodField()
    is_edited = serializers.SerializerMethodField()
    is_resolved = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "proposal",
            "version",
            "version_label",
            "parent",
            "author",
            "visibility",
            "body",
            "body_html",
            "mentions",
            "created_at",
            "edited_at",
            "is_edited",
            "is_resolved",
            "resolved_at",
            "resolved_by",
        ]

    @extend_schema_field(PersonSerializer(many=True))
    def get_mentions(self, comment) -> list:
        return [PersonSerializer(m.user).data for m in comment.mentions.all()]

    def get_body_html(self, comment) -> str:
        return render(comment.body, {m.user.username: m.user_id for m in comment.mentions.all()})

    def get_version_label(self, comment) -> str | None:
        return str(comment.version) if comment.version_id else None

    def get_is_edited(self, comment) -> bool:
        return comment.edited_at is not None

    def get_is_resolved(self, comment) -> bool:
        return comment.is_resolved


class ThreadSerializer(CommentSerializer):
    replies = CommentSerializer(many=True, read_only=True)

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "replies"]


class PostCommentSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=services.MAX_LENGTH, trim_whitespace=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class ProposalCommentsView(generics.GenericAPIView):
    """GET the proposal's threads this person may read (?version=<id> for one document version);
    POST a comment or a reply."""

    serializer_class = ThreadSerializer
    filter_backends = []  # a page of threads (`?version=` is read by the view): no search or ordering

    def _proposal(self, request, pk):
        proposals = proposal_selectors.proposals_visible_to(request.user).prefetch_related(None)
        # marked as found visible: the services of this request ask no more
        return proposal_selectors.visible_proposal(request.user, pk, proposals.select_related(None))

    @extend_schema(
        parameters=[OpenApiParameter("version", int, OpenApiParameter.QUERY, required=False)],
        responses=ThreadSerializer(many=True),
    )
    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        version = request.query_params.get("version")
        if version not in (None, ""):
            if not str(version).isdigit():
                raise Invalid(_("Invalid input."), fields={"version": [_("Give a document version id.")]})
            version = int(version)
        else:
            version = None
        page = self.paginate_queryset(selectors.threads(request.user, proposal, version=version))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=PostCommentSerializer, responses={201: CommentSerializer})
    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        data = PostCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        parent = version = None
        if values.get("parent"):
            parent = Comment.objects.filter(pk=values["parent"]).select_related("parent").first()
            if parent is None:
                raise Invalid(_("Invalid input."), fields={"parent": [_("There is no such comment.")]})
        if values.get("version"):
            version = DocumentVersion.objects.select_related("document").filter(pk=values["version"]).first()
            if version is None:
                raise Invalid(
                    _("Invalid input."), fields={"version": [_("There is no such document version.")]}
                )
        comment = services.post_comment(
            proposal,
            request.user,
            body=values["body"],
            visibility=values.get("visibility"),
            parent=parent,
            version=version,
            role=selectors.role_of_viewer(request.user, proposal),
        )
        comment = selectors.comment_on(proposal, comment.pk, request.user)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class EditCommentSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=services.MAX_LENGTH, trim_whitespace=False)


class CommentViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """One comment: read it, edit it (the author, within 15 minutes), resolve it (office or author)."""

    serializer_class = CommentSerializer
    lookup_value_regex = "[0-9]+"  # retrieve looks the id up itself: anything else is not a comment
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return selectors.comments_visible_to(self.request.user)

    def _answer(self, comment) -> Response:
        """The comment with its `ETag`: send it back as `If-Match` when you edit it."""
        return concurrency.with_etag(
            Response(self.get_serializer(comment).data), services.comment_tag(comment)
        )

    def retrieve(self, request, *args, **kwargs):
        return self._answer(selectors.comment_for(request.user, kwargs["pk"]))

    def _found(self):
        """The comment among those this person reads (else 404), and their role on its proposal."""
        comment = self.get_object()
        return comment, selectors.role_of_viewer(self.request.user, comment.proposal)

    @extend_schema(
        request=EditCommentSerializer,
        parameters=[concurrency.IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        data = EditCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment, role = self._found()
        services.edit_comment(
            comment,
            request.user,
            body=data.validated_data["body"],
            precondition=concurrency.if_match(request),
            role=role,
        )
        return self._answer(selectors.comment_on(comment.proposal, comment.pk, request.user))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        request=inline_serializer("ResolveComment", {"resolved": serializers.BooleanField(required=False)})
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Mark resolved (`{"resolved": false}` reopens it)."""
        resolved = request.data.get("resolved", True) if hasattr(request.data, "get") else True
        if not isinstance(resolved, bool):
            raise Invalid(_("Invalid input."), fields={"resolved": [_("Give true or false.")]})
        comment, role = self._found()
        services.resolve_comment(comment, request.user, resolved=resolved, role=role)
        return Response(
            self.get_serializer(selectors.comment_on(comment.proposal, comment.pk, request.user)).data
        )
