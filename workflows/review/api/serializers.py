"""What the expert review API answers: a round with its frozen rubric and versions, the reviews and the
aggregate as one person may see them, and the ranked experts of the pool. What a person sees inside a
round depends on their role there (office, reviewer, or anyone else who sees the proposal, i.e. the
team)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from grants_office.members.permissions import is_office_staff
from workflows.api.serializers import PersonSerializer
from workflows.review import permissions as can
from workflows.review import selectors
from workflows.review.models import ReviewRound


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
            "disagreement_gap": strings(review_round.disagreement_gap),
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
            role = selectors.role_in_round(user, review_round)
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
        if can.reads_consensus(role, review_round):
            return strings(selectors.aggregate_of(review_round, reviews).as_dict())
        return None


def strings(value):
    """Decimals as strings, as DRF renders every other decimal of the API."""
    if isinstance(value, dict):
        return {k: strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strings(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


class ThemeBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SuggestionWindowSerializer(serializers.Serializer):
    """Which part of the ranked pool: a list of 1,000 experts was a 200 KB answer (issue 18)."""

    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)


class SuggestionSerializer(serializers.Serializer):
    """One expert of the pool (`interests.Suggestion`); the fields describe the output."""

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
