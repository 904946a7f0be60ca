"""Expert review API: thin over services and selectors. What a person sees inside a round depends on
their role there (office, reviewer, or anyone else who sees the proposal, i.e. the team)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grants_office.core import concurrency
from grants_office.core.filters import IdFilter, validate_recorded_moment
from grants_office.core.schema import ErrorSerializer
from grants_office.members.permissions import is_office_staff
from workflows import selectors as proposal_selectors
from workflows.api import PersonSerializer
from workflows.review import conflicts, selectors, services
from workflows.review import permissions as can
from workflows.review.models import ReviewAssignment, ReviewRound
from workflows.states import AssignmentState

User = get_user_model()


@extend_schema_serializer(component_name="RoundCriterion")
class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    position = serializers.IntegerField()
    scale_min = serializers.DecimalField(max_digits=6, decimal_places=2)
    scale_max = serializers.DecimalField(max_digits=6, decimal_places=2)
    step = serializers.DecimalField(max_digits=6, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class VersionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    title = serializers.CharField(source="document.title")
    kind = serializers.CharField(source="document.kind")
    number = serializers.IntegerField()
    filename = serializers.CharField(source="original_filename")


class RoundRubricSerializer(serializers.Serializer):
    """The rubric as the round froze it (schema of `RoundSerializer.get_rubric`)."""

    name = serializers.CharField()
    overall_threshold = serializers.FloatField(allow_null=True)
    disagreement_rule = serializers.CharField()
    disagreement_gap = serializers.CharField(allow_null=True)
    criteria = CriterionSerializer(many=True)


class DisagreementSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("criterion_gap, totals_gap or straddles_pass_mark"))
    criterion = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class CriterionResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    mean = serializers.CharField(allow_null=True)
    min = serializers.CharField(allow_null=True)
    max = serializers.CharField(allow_null=True)
    threshold = serializers.CharField(allow_null=True)
    weight = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    disagreement = serializers.BooleanField()


class AggregateSerializer(serializers.Serializer):
    """`aggregate.Aggregate.as_dict()` with decimals as strings."""

    reviews = serializers.IntegerField()
    criteria = CriterionResultSerializer(many=True)
    total = serializers.CharField(allow_null=True)
    total_min = serializers.CharField(allow_null=True)
    total_max = serializers.CharField(allow_null=True)
    overall_threshold = serializers.CharField(allow_null=True)
    total_passed = serializers.BooleanField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    disagreement_rule = serializers.CharField()
    disagreement_gap = serializers.CharField(allow_null=True)
    disagreement = serializers.BooleanField()
    third_assessor_needed = serializers.BooleanField()
    third_assessor_reasons = DisagreementSerializer(many=True)


class RoundSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    rubric = serializers.SerializerMethodField()
    versions = VersionBriefSerializer(many=True, read_only=True)
    opened_by = PersonSerializer(read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    feedback = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "proposal",
            "number",
            "state",
            "due_at",
            "due_after_deadline",
            "opened_at",
            "opened_by",
            "closed_at",
            "closed_by",
            "rubric",
            "versions",
            "feedback",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["open", "closed"]))
    def get_state(self, review_round) -> str:
        return "open" if review_round.is_open else "closed"

    @extend_schema_field(RoundRubricSerializer)
    def get_rubric(self, review_round) -> dict:
        return {
            "name": review_round.rubric_name,
            "overall_threshold": review_round.overall_threshold,
            "disagreement_rule": review_round.disagreement_rule,
            "disagreement_gap": _strings(review_round.disagreement_gap),
            "criteria": CriterionSerializer(review_round.criteria.all(), many=True).data,
        }

    def get_feedback(self, review_round) -> str | None:
        """The office's feedback: the office always, everyone else once the round is closed."""
        if review_round.is_open and not is_office_staff(self.context["request"].user):
            return None
        return review_round.feedback


class ShownScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    title = serializers.CharField()
    score = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class ShownReviewSerializer(serializers.Serializer):
    """A review as this person may see it (`selectors.ShownReview`); the fields describe the output."""

    id = serializers.IntegerField()
    label = serializers.CharField(
        allow_null=True, help_text=_("'Reviewer 1' where the reader may not know who wrote it; else null.")
    )
    is_mine = serializers.BooleanField()
    reviewer = PersonSerializer(allow_null=True)
    assignment = serializers.IntegerField(allow_null=True)
    state = serializers.ChoiceField(choices=["draft", "submitted"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    recommendation = serializers.CharField(allow_null=True)
    recommendation_label = serializers.CharField(allow_null=True)
    comment = serializers.CharField()
    scores = ShownScoreSerializer(many=True)

    def to_representation(self, shown):
        review = shown.review
        assignment = review.assignment
        return {
            "id": review.pk,
            "label": shown.label,
            "is_mine": shown.is_mine,
            "reviewer": PersonSerializer(assignment.reviewer).data if shown.show_reviewer else None,
            "assignment": assignment.pk if shown.show_reviewer else None,
            "state": "submitted" if review.is_submitted else "draft",
            "submitted_at": serializers.DateTimeField().to_representation(review.submitted_at)
            if review.submitted_at
            else None,
            "recommendation": review.recommendation or None,
            "recommendation_label": str(review.get_recommendation_display())
            if review.recommendation
            else None,
            "comment": review.comment,
            "scores": [
                {
                    "criterion": score.criterion.code,
                    "title": score.criterion.title,
                    "score": None if score.score is None else str(score.score),
                    "comment": score.comment,
                }
                for score in review.scores.all()
            ],
        }


class RoundDetailSerializer(RoundSerializer):
    role = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    aggregate = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "role", "reviews", "aggregate"]

    def _seen(self, review_round):
        cache = self.context.setdefault("_seen", {})
        if review_round.pk not in cache:
            user = self.context["request"].user
            role = can.role_in_round(user, review_round)
            reviews = selectors.all_reviews(review_round)
            shown = selectors.reviews_visible_in(review_round, user, role)
            cache[review_round.pk] = (role, reviews, shown)
        return cache[review_round.pk]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=_("office, reviewer or team")))
    def get_role(self, review_round) -> str | None:
        return self._seen(review_round)[0]

    @extend_schema_field(ShownReviewSerializer(many=True))
    def get_reviews(self, review_round) -> list:
        return ShownReviewSerializer(self._seen(review_round)[2], many=True).data

    @extend_schema_field(AggregateSerializer(allow_null=True))
    def get_aggregate(self, review_round) -> dict | None:
        """The office at any time; the team once the round is closed; reviewers not at all."""
        role, reviews, _shown = self._seen(review_round)
        if role == can.OFFICE or (role == can.TEAM and not review_round.is_open):
            return _strings(selectors.aggregate_of(review_round, reviews).as_dict())
        return None


def _strings(value):
    """Decimals as strings, as DRF renders every other decimal of the API."""
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


class OpenRoundSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_recorded_moment])
    confirm_after_deadline = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Needed when due_at falls after the deadline that applies to the proposal."),
    )


class CloseRoundSerializer(serializers.Serializer):
    feedback = serializers.CharField(allow_blank=True, max_length=20_000)


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
            "declared_at": serializers.DateTimeField().to_representation(assignment.declared_at),
        }


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    due_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_recorded_moment])
    confirm_after_deadline = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Needed when due_at falls after the deadline that applies to the proposal."),
    )


class ProposalReviewRoundsView(generics.GenericAPIView):
    """GET the proposal's review rounds (newest first); POST opens one (office)."""

    serializer_class = RoundSerializer
    filter_backends = []  # a page of the proposal's rounds: no filters, search or ordering

    def _proposal(self, request, pk):
        proposals = proposal_selectors.proposals_visible_to(request.user).prefetch_related(None)
        return get_object_or_404(proposals.select_related(None).select_related("call", "lead"), pk=pk)

    @extend_schema(responses=RoundSerializer(many=True))
    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        page = self.paginate_queryset(selectors.rounds_of(request.user, proposal))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=OpenRoundSerializer, responses={201: RoundDetailSerializer})
    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        data = OpenRoundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review_round = services.open_round(proposal, request.user, **data.validated_data)
        review_round = selectors.round_for(request.user, review_round.pk)
        body = RoundDetailSerializer(review_round, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ThemeBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    """One expert of the pool (`conflicts.Suggestion`); the fields describe the output."""

    user = PersonSerializer()
    title = serializers.CharField()
    is_board_member = serializers.BooleanField()
    matching_themes = ThemeBriefSerializer(many=True)
    open_assignments = serializers.IntegerField()
    already_assigned = serializers.BooleanField()
    conflicts = serializers.ListField(child=serializers.CharField())

    def to_representation(self, entry):
        profile = entry.profile
        if not hasattr(self, "_person"):  # one ModelSerializer for the whole pool, not one per expert
            self._person = PersonSerializer()
        return {
            "user": self._person.to_representation(entry.user),
            "title": profile.title,
            "is_board_member": profile.is_board_member,
            "matching_themes": [{"code": t.code, "name": t.name} for t in entry.matching_themes],
            "open_assignments": entry.open_assignments,
            "already_assigned": entry.already_assigned,
            "conflicts": entry.conflicts,
        }


class ReviewRoundViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A review round: its rubric, the versions under review, and the reviews this person may see."""

    serializer_class = RoundDetailSerializer

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user)

    def _office_round(self):
        review_round = self.get_object()
        if not is_office_staff(self.request.user):
            raise services._not_permitted(_("Only the office manages review rounds."))
        return review_round

    @extend_schema(request=CloseRoundSerializer, responses=RoundDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the round (every assignment ended) with the feedback shared with the team."""
        data = CloseRoundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.close_round(self.get_object(), request.user, feedback=data.validated_data["feedback"])
        return Response(self.get_serializer(selectors.round_for(request.user, pk)).data)

    @extend_schema(
        responses={
            200: inline_serializer(
                "ReviewerSuggestions",
                {
                    "suggested": SuggestionSerializer(many=True),
                    "conflicted": SuggestionSerializer(many=True),
                    "third_assessor_needed": serializers.BooleanField(),
                    "third_assessor_reasons": DisagreementSerializer(many=True),
                },
            ),
            409: OpenApiResponse(ErrorSerializer, description=_("Only the office sees the suggestions.")),
        }
    )
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """Experts ranked by matching call themes, then light load; the conflicted listed apart. When the
        submitted reviews disagree by the round's rule, says that a third assessor is needed: any suggested
        expert not yet assigned can be one."""
        review_round = self._office_round()
        suggested, conflicted = conflicts.suggestions(review_round)
        verdict = selectors.aggregate_of(review_round, selectors.all_reviews(review_round))
        return Response(
            {
                "suggested": SuggestionSerializer(suggested, many=True).data,
                "conflicted": SuggestionSerializer(conflicted, many=True).data,
                "third_assessor_needed": verdict.third_assessor_needed,
                "third_assessor_reasons": [d.as_dict() for d in verdict.disagreements],
            }
        )

    @extend_schema(methods=["GET"], responses=AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=AssignSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request, pk=None):
        """The round's assignments (the office: all; a reviewer: their own); POST invites a reviewer."""
        review_round = self.get_object()
        if request.method == "POST":
            data = AssignSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            assignment = services.assign_reviewer(review_round, request.user, **data.validated_data)
            assignment = selectors.assignment_for(request.user, assignment.pk)
            return Response(
                AssignmentSerializer(assignment, context={"request": request}).data,
                status=status.HTTP_201_CREATED,
            )
        assignments = selectors.assignments_visible_to(request.user).filter(round=review_round)
        page = self.paginate_queryset(assignments)
        return self.get_paginated_response(
            AssignmentSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses=ShownReviewSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reviews(self, request, pk=None):
        """The reviews this person may see in the round (see selectors.reviews_visible_in)."""
        review_round = self.get_object()
        shown = selectors.reviews_visible_in(review_round, request.user)
        page = self.paginate_queryset(shown)
        return self.get_paginated_response(ShownReviewSerializer(page, many=True).data)


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
    from workflows.review.models import Review

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
