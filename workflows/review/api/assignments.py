"""The expert review API of assignments: a reviewer's own (the office sees all), their transitions
(accept with the declaration, decline, withdraw) and the review itself, with its `ETag`."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grants_office.core import concurrency
from grants_office.core.filters import IdFilter
from grants_office.core.labels import label
from grants_office.core.representation import MOMENT
from workflows.api.serializers import PersonSerializer, person_body
from workflows.review import permissions as can
from workflows.review import selectors, services
from workflows.review.api.serializers import CriterionSerializer
from workflows.review.models import Review, ReviewAssignment
from workflows.states import AssignmentState


class AssignmentSerializer(serializers.ModelSerializer):
    round_number = serializers.IntegerField(source="round.number", read_only=True)
    proposal = serializers.SerializerMethodField()
    reviewer = PersonSerializer(read_only=True)
    invited_by = PersonSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    declaration = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "round",
            "round_number",
            "proposal",
            "reviewer",
            "state",
            "state_label",
            "due_at",
            "invited_by",
            "invited_at",
            "declaration",
        ]

    def to_representation(self, assignment):
        """The declared fields, written out: DRF's walk over eleven fields and two nested person
        serializers, bound afresh for every request, was half of the list's framework time (issue 18).
        Same output, pinned by tests/workflows/review/test_assignment_representation.py."""
        return {
            "id": assignment.pk,
            "round": assignment.round_id,
            "round_number": assignment.round.number,
            "proposal": self.get_proposal(assignment),
            "reviewer": person_body(assignment.reviewer),
            "state": assignment.state,
            "state_label": label(AssignmentState, assignment.state),
            "due_at": MOMENT.to_representation(assignment.due_at),
            "invited_by": person_body(assignment.invited_by),
            "invited_at": MOMENT.to_representation(assignment.invited_at),
            "declaration": self.get_declaration(assignment),
        }

    @extend_schema_field(
        inline_serializer(
            "ConflictCheckBrief",
            {
                "id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "acronym": serializers.CharField(),
                "summary": serializers.CharField(),
                "call": inline_serializer(
                    "CallReference",
                    {
                        "id": serializers.IntegerField(),
                        "reference": serializers.CharField(),
                        "title": serializers.CharField(),
                    },
                    allow_null=True,
                ),
                "lead": inline_serializer(
                    "LeadBrief", {"id": serializers.IntegerField(), "name": serializers.CharField()}
                ),
                "partners": inline_serializer(
                    "PartnerBrief",
                    {"name": serializers.CharField(), "role": serializers.CharField()},
                    many=True,
                ),
            },
            allow_null=True,
        )
    )
    def get_proposal(self, assignment) -> dict | None:
        """The conflict-check brief: what an expert needs to judge a conflict before declaring; null
        once the reviewer declined or was withdrawn."""
        request = self.context.get("request")
        if request is None or not can.sees_brief(request.user, assignment):
            return None
        proposal = assignment.round.proposal
        call = proposal.call
        return {
            "id": proposal.pk,
            "title": proposal.title,
            "acronym": proposal.acronym,
            "summary": proposal.summary,
            "call": None
            if call is None
            else {"id": call.pk, "reference": call.reference, "title": call.title},
            "lead": {"id": proposal.lead_id, "name": proposal.lead.name},
            "partners": [
                {"name": str(partner.party), "role": partner.role} for partner in proposal.partners.all()
            ],
        }

    @extend_schema_field(
        inline_serializer(
            "Declaration",
            {
                "text": serializers.CharField(),
                "no_conflict": serializers.BooleanField(),
                "declared_at": serializers.DateTimeField(),
            },
            allow_null=True,
        )
    )
    def get_declaration(self, assignment) -> dict | None:
        if not assignment.declared_at:
            return None
        return {
            "text": assignment.declaration,
            "no_conflict": assignment.declared_no_conflict,
            "declared_at": MOMENT.to_representation(assignment.declared_at),
        }


class AssignmentFilter(filters.FilterSet):
    state = filters.MultipleChoiceFilter(choices=AssignmentState.choices)
    round = IdFilter(field_name="round_id")
    proposal = IdFilter(field_name="round__proposal_id")

    class Meta:
        model = ReviewAssignment
        fields = ["state", "round", "proposal"]


class ReviewWriteSerializer(serializers.Serializer):
    scores = serializers.JSONField(required=False)
    recommendation = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    submit = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(component_name="ReviewScore")
class ReviewScoreSerializer(CriterionSerializer):
    score = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class ReviewBodySerializer(serializers.Serializer):
    """`review_body`: the review with every criterion of the round (unscored ones with a null score)."""

    id = serializers.IntegerField(allow_null=True)
    assignment = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["not_started", "draft", "submitted"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    recommendation = serializers.CharField(allow_null=True)
    comment = serializers.CharField()
    scores = ReviewScoreSerializer(many=True)


class AssignmentTransitionSerializer(serializers.Serializer):
    declaration = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    no_conflict = serializers.BooleanField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class ReviewAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """A reviewer's own assignments (the office sees all): answer the invitation, write the review."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_at", "invited_at"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.listed_assignments(self.request.user)
        return selectors.assignments_visible_to(self.request.user)

    @extend_schema(
        request=AssignmentTransitionSerializer,
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
        responses=AssignmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z0-9_]+)")
    def transition(self, request, pk=None, name=None):
        """accept ({declaration, no_conflict: true}), decline, withdraw (office): 404/409/400 as usual."""
        data = request.data if hasattr(request.data, "get") else {}
        AssignmentTransitionSerializer(data=data).is_valid(raise_exception=True)  # the shape; rules: service
        services.transition_assignment(
            self.get_object(), name, request.user, **{k: data.get(k) for k in data}
        )
        return Response(self.get_serializer(selectors.assignment_for(request.user, pk)).data)

    @extend_schema(methods=["GET"], responses=ReviewBodySerializer)
    @extend_schema(
        methods=["PUT"],
        request=ReviewWriteSerializer,
        responses=ReviewBodySerializer,
        parameters=[concurrency.IF_MATCH],
    )
    @action(detail=True, methods=["get", "put"])
    def review(self, request, pk=None):
        """The review of this assignment: its scores per criterion, with an `ETag`. PUT saves the draft
        (only what is given changes; with `If-Match` only onto the draft you read, else 412);
        `"submit": true` submits it, after which it never changes."""
        assignment = self.get_object()
        if request.method == "PUT":
            data = ReviewWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = {k: v for k, v in data.validated_data.items() if k in request.data or k == "submit"}
            services.save_review(
                assignment, request.user, precondition=concurrency.if_match(request), **values
            )
        return concurrency.with_etag(Response(review_body(assignment)), services.review_tag(assignment))


def review_body(assignment) -> dict:
    """The review with every criterion of the round listed (unscored ones with a null score)."""
    review_round = assignment.round
    criteria = list(review_round.criteria.order_by("position", "id"))
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores__criterion").first()
    scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
    return {
        "id": review.pk if review else None,
        "assignment": assignment.pk,
        "state": ("submitted" if review.is_submitted else "draft") if review else "not_started",
        "submitted_at": serializers.DateTimeField().to_representation(review.submitted_at)
        if review and review.submitted_at
        else None,
        "recommendation": (review.recommendation or None) if review else None,
        "comment": review.comment if review else "",
        "scores": [
            {
                **CriterionSerializer(c).data,
                "score": None
                if c.pk not in scores or scores[c.pk].score is None
                else str(scores[c.pk].score),
                "comment": scores[c.pk].comment if c.pk in scores else "",
            }
            for c in criteria
        ],
    }
