"""The expert review API of rounds: a proposal's rounds (the office opens one), a round with the reviews
this person may see, its suggestions (office), its assignments (the office invites) and closing it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from grants_office.core.filters import validate_recorded_moment
from grants_office.core.schema import ErrorSerializer
from grants_office.core.tabular import ExportNegotiation
from grants_office.members.permissions import is_office_staff
from workflows import selectors as proposal_selectors
from workflows.review import interests, selectors, services
from workflows.review.api.assignments import AssignmentSerializer
from workflows.review.api.scores import SCORES_EXPORT_SCHEMA, export_scores
from workflows.review.api.serializers import (
    DisagreementSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    ShownReviewSerializer,
    SuggestionSerializer,
    SuggestionWindowSerializer,
)

User = get_user_model()


class OpenRoundSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(required=False, allow_null=True, validators=[validate_recorded_moment])
    confirm_after_deadline = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Needed when due_at falls after the deadline that applies to the proposal."),
    )


class CloseRoundSerializer(serializers.Serializer):
    feedback = serializers.CharField(allow_blank=True, max_length=20_000)


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
        # marked as found visible: the services of this request ask no more
        return proposal_selectors.visible_proposal(
            request.user, pk, proposals.select_related(None).select_related("call", "lead")
        )

    @extend_schema(responses=RoundSerializer(many=True))
    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        page = self.paginate_queryset(selectors.rounds_of(proposal))
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


class ReviewRoundViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A review round: its rubric, the versions under review, and the reviews this person may see."""

    serializer_class = RoundDetailSerializer

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user)

    def _office_round(self):
        review_round = self.get_object()
        if not is_office_staff(self.request.user):
            raise services.not_permitted(_("Only the office manages review rounds."))
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
                    "suggested_count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "conflicted": SuggestionSerializer(many=True),
                    "third_assessor_needed": serializers.BooleanField(),
                    "third_assessor_reasons": DisagreementSerializer(many=True),
                },
            ),
            409: OpenApiResponse(ErrorSerializer, description=_("Only the office sees the suggestions.")),
        },
        parameters=[
            OpenApiParameter(
                "limit", int, description=_("How many suggested experts (default 50, at most 200).")
            ),
            OpenApiParameter("offset", int, description=_("From which place of the ranking (default 0).")),
        ],
    )
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """Experts ranked by matching call themes, then light load, 50 at a time (`next` gives the
        following ones); the conflicted listed apart, all of them. When the submitted reviews disagree by
        the round's rule, says that a third assessor is needed: any suggested expert not yet assigned can
        be one."""
        review_round = self._office_round()
        window = SuggestionWindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        limit, offset = window.validated_data["limit"], window.validated_data["offset"]
        pool = interests.suggestions(review_round, limit=limit, offset=offset)
        verdict = selectors.aggregate_of(review_round, selectors.all_reviews(review_round))
        more = offset + limit < pool.suggested_count
        return Response(
            {
                "suggested": SuggestionSerializer(pool.suggested, many=True).data,
                "suggested_count": pool.suggested_count,
                "next": replace_query_param(request.build_absolute_uri(), "offset", offset + limit)
                if more
                else None,
                "conflicted": SuggestionSerializer(pool.conflicted, many=True).data,
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

    @SCORES_EXPORT_SCHEMA
    @action(
        detail=True,
        methods=["get"],
        url_path="scores/export",
        url_name="scores-export",
        content_negotiation_class=ExportNegotiation,
    )
    def scores_export(self, request, pk=None):
        """The round's scores as CSV or XLSX (office): one row per assignment, then the aggregate."""
        return export_scores(request, self._office_round())
