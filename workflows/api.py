"""Proposal API: thin over services and selectors (see docs/architecture.md for the fixed paths)."""

from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grants_office.calls.models import Call, FundingProgramme
from grants_office.core import concurrency
from grants_office.core.errors import Invalid
from grants_office.core.filters import MomentFilter, validate_recorded_moment
from grants_office.core.people import display_name
from grants_office.core.schema import ReasonSerializer
from grants_office.members.models import Municipality, Organisation
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import lifecycle, selectors, services
from workflows.models import Consultation, Proposal, ProposalPartner, Submission, deadline_expression
from workflows.review import selectors as review_selectors
from workflows.states import State

User = get_user_model()


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PartnerSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    name = serializers.SerializerMethodField()

    class Meta:
        model = ProposalPartner
        fields = ["municipality", "organisation", "name", "role"]

    def get_name(self, partner) -> str:
        return str(partner.party.name)

    def validate(self, attrs):
        if bool(attrs.get("municipality")) == bool(attrs.get("organisation")):
            raise serializers.ValidationError(_("Give either a municipality or an organisation."))
        return attrs


class CallBriefSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.__str__")

    class Meta:
        model = Call
        fields = [
            "id",
            "reference",
            "title",
            "programme",
            "deadline",
            "deadline_timezone",
            "is_two_stage",
            "stage2_deadline",
        ]


def person_body(user) -> dict | None:
    """`PersonSerializer`'s output written out, for the hand-written fast representation."""
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": display_name(user),
    }


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user) -> str:
        return display_name(user)


class ProposalSerializer(serializers.ModelSerializer):
    lead = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all(), required=False, allow_null=True)
    call_detail = CallBriefSerializer(source="call", read_only=True, allow_null=True)
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(groups__name__in=[OFFICE_STAFF, OFFICE_ADMIN]).distinct(),
        required=False,
        allow_null=True,
    )
    coordinator_detail = PersonSerializer(source="coordinator", read_only=True, allow_null=True)
    partners = PartnerSerializer(many=True, required=False)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    lead_exception = serializers.SerializerMethodField(
        help_text=_("The office's exception that lets a non-member lead: reason, by whom, when; or null.")
    )
    lead_exception_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_("Office only, on create: why a municipality that is not a member may lead this one."),
    )
    deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("The deadline that applies to the proposal: in stage 2, the call's stage-2 deadline."),
    )
    deadline_display = serializers.SerializerMethodField(
        help_text=_("That deadline for people, in the funder's time zone.")
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "acronym",
            "summary",
            "state",
            "state_label",
            "stage",
            "lead",
            "lead_name",
            "call",
            "call_detail",
            "deadline",
            "deadline_display",
            "partners",
            "requested_amount",
            "total_budget",
            "currency",
            "awarded_amount",
            "coordinator",
            "coordinator_detail",
            "funder_feedback",
            "reused_from",
            "lead_exception",
            "lead_exception_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "stage", "awarded_amount", "funder_feedback", "reused_from"]

    def to_representation(self, proposal):
        """The declared fields, written out: DRF's generic walk over 22 fields and three nested
        serializers was half of a list request's time (bench/, issue 8). Same output, pinned by
        tests/workflows/test_api.py::test_the_fast_representation_equals_the_declared_fields."""
        fields = self.fields
        call, coordinator = proposal.call, proposal.coordinator
        money = fields["requested_amount"].to_representation
        moment = fields["created_at"].to_representation
        return {
            "id": proposal.pk,
            "title": proposal.title,
            "acronym": proposal.acronym,
            "summary": proposal.summary,
            "state": proposal.state,
            "state_label": str(proposal.get_state_display()),
            "stage": proposal.stage,
            "lead": proposal.lead_id,
            "lead_name": proposal.lead.name,
            "call": proposal.call_id,
            "call_detail": None
            if call is None
            else {
                "id": call.pk,
                "reference": call.reference,
                "title": call.title,
                "programme": str(call.programme),
                "deadline": moment(call.deadline),
                "deadline_timezone": call.deadline_timezone,
                "is_two_stage": call.is_two_stage,
                "stage2_deadline": moment(call.stage2_deadline),
            },
            "deadline": moment(proposal.deadline),
            "deadline_display": self.get_deadline_display(proposal),
            "partners": [
                {
                    "municipality": partner.municipality_id,
                    "organisation": partner.organisation_id,
                    "name": str(partner.party.name),
                    "role": partner.role,
                }
                for partner in proposal.partners.all()
            ],
            "requested_amount": None
            if proposal.requested_amount is None
            else money(proposal.requested_amount),
            "total_budget": None if proposal.total_budget is None else money(proposal.total_budget),
            "currency": proposal.currency,
            "awarded_amount": None if proposal.awarded_amount is None else money(proposal.awarded_amount),
            "coordinator": proposal.coordinator_id,
            "coordinator_detail": person_body(coordinator),
            "funder_feedback": proposal.funder_feedback,
            "reused_from": proposal.reused_from_id,
            "lead_exception": self.get_lead_exception(proposal),
            "created_at": moment(proposal.created_at),
            "updated_at": moment(proposal.updated_at),
        }

    @extend_schema_field(
        inline_serializer(
            "LeadExceptionRecord",
            {
                "reason": serializers.CharField(),
                "by": PersonSerializer(allow_null=True),
                "at": serializers.DateTimeField(),
            },
            allow_null=True,
        )
    )
    def get_lead_exception(self, proposal) -> dict | None:
        if proposal.lead_exception_at is None:
            return None
        return {
            "reason": proposal.lead_exception_reason,
            "by": person_body(proposal.lead_exception_by),
            "at": self.fields["created_at"].to_representation(proposal.lead_exception_at),
        }

    def get_deadline_display(self, proposal) -> str | None:
        return proposal.deadline_display() or None

    def create(self, validated_data):
        partners = validated_data.pop("partners", [])
        return services.create_proposal(self.context["request"].user, partners=partners, **validated_data)

    def update(self, instance, validated_data):
        partners = validated_data.pop("partners", None)
        if validated_data.pop("lead_exception_reason", ""):
            raise Invalid(
                _("Invalid input."),
                fields={
                    "lead_exception_reason": [
                        _("Record an exception with POST /api/v1/proposals/{id}/lead-exception/.")
                    ]
                },
            )
        return services.update_proposal(
            instance, self.context["request"].user, partners=partners, **validated_data
        )


class ProposalDetailSerializer(ProposalSerializer):
    """One proposal: the list's fields, plus what a reused proposal brings from the one it came from
    (two queries, so on the detail only: the list gains none)."""

    reused_from_feedback = serializers.SerializerMethodField(
        help_text=_(
            "A reused proposal: the earlier proposal's funder feedback and the feedback shared when its "
            "review rounds closed; null otherwise."
        )
    )

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "reused_from_feedback"]

    def to_representation(self, proposal):
        return {
            **super().to_representation(proposal),
            "reused_from_feedback": self.get_reused_from_feedback(proposal),
        }

    @extend_schema_field(
        inline_serializer(
            "ReusedFromFeedback",
            {
                "proposal": serializers.IntegerField(),
                "title": serializers.CharField(),
                "acronym": serializers.CharField(),
                "state": serializers.CharField(),
                "funder_feedback": serializers.CharField(),
                "review_feedback": inline_serializer(
                    "RoundFeedback",
                    {
                        "round": serializers.IntegerField(),
                        "closed_at": serializers.DateTimeField(allow_null=True),
                        "feedback": serializers.CharField(),
                    },
                    many=True,
                ),
            },
            allow_null=True,
        )
    )
    def get_reused_from_feedback(self, proposal) -> dict | None:
        earlier = review_selectors.earlier_feedback(proposal)
        if earlier is None:
            return None
        origin, moment = earlier.proposal, self.fields["created_at"].to_representation
        return {
            "proposal": origin.pk,
            "title": origin.title,
            "acronym": origin.acronym,
            "state": origin.state,
            "funder_feedback": origin.funder_feedback,
            "review_feedback": [
                {"round": r.number, "closed_at": moment(r.closed_at), "feedback": r.feedback}
                for r in earlier.rounds
            ],
        }


class ConsultationSerializer(serializers.ModelSerializer):
    office_experts = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False
    )
    team_participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "held_at",
            "office_experts",
            "team_participants",
            "notes",
            "agreed_actions",
            "created_at",
        ]
        extra_kwargs = {"held_at": {"validators": [validate_recorded_moment]}}


class SubmittedVersionSerializer(serializers.Serializer):
    """One document version as it went to the funder with a submission."""

    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    document_title = serializers.CharField(source="document.title")
    kind = serializers.CharField(source="document.kind")
    kind_label = serializers.CharField(source="document.get_kind_display")
    number = serializers.IntegerField()
    filename = serializers.CharField(source="original_filename")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, version) -> str:
        return reverse("documents:version-download", args=[version.pk])


class SubmissionSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True)
    counts = serializers.SerializerMethodField(help_text=_("The newest submission is the one that counts."))
    versions = SubmittedVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "stage",
            "funder_reference",
            "submitted_at",
            "note",
            "recorded_by",
            "recorded_at",
            "counts",
            "versions",
        ]

    def get_counts(self, submission) -> bool:
        return submission.pk == self.context.get("counting_id")


class ProposalFilter(filters.FilterSet):
    # A column of the proposal itself: no DISTINCT (django-filter's default), which made PostgreSQL sort
    # whole joined rows to de-duplicate a page that has no duplicates (issue 8).
    state = filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    call = filters.ModelChoiceFilter(queryset=Call.objects.all())
    programme = filters.ModelChoiceFilter(
        field_name="call__programme", queryset=FundingProgramme.objects.all()
    )
    municipality = filters.ModelChoiceFilter(field_name="lead", queryset=Municipality.objects.all())
    coordinator = filters.ModelChoiceFilter(queryset=User.objects.all())
    # The deadline that applies to each proposal (stage 2: the call's stage-2 deadline).
    deadline_after = MomentFilter(method="filter_deadline")
    deadline_before = MomentFilter(method="filter_deadline")

    class Meta:
        model = Proposal
        fields = ["state", "call", "programme", "municipality", "coordinator", "stage"]

    def filter_deadline(self, queryset, name, value):
        lookup = "gte" if name == "deadline_after" else "lte"
        return queryset.alias(applicable_deadline=deadline_expression()).filter(
            **{f"applicable_deadline__{lookup}": value}
        )


FIELD_TYPES = {
    django_forms.DateTimeField: "datetime",
    django_forms.DecimalField: "decimal",
    django_forms.ModelChoiceField: "id",
}


def describe_form(form_class) -> list[dict]:
    """The fields a transition needs, so a client can build its form."""
    fields = []
    for name, field in form_class.base_fields.items():
        kind = next((label for cls, label in FIELD_TYPES.items() if isinstance(field, cls)), "text")
        fields.append({"name": name, "label": str(field.label), "required": field.required, "type": kind})
    return fields


class LeadExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ProposalViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Grant proposals: list, create an idea, edit what the state allows, move through the lifecycle."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    search_fields = ["title", "acronym"]
    ordering_fields = ["updated_at", "created_at", "title", "call__deadline"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        # the office's lead exception names who recorded it (one join, no query per row)
        return selectors.proposals_visible_to(self.request.user).select_related("lead_exception_by")

    def get_serializer_class(self):
        # one proposal (read, created, edited, moved, reused): with what it brings from an earlier one
        return ProposalSerializer if self.action == "list" else ProposalDetailSerializer

    def perform_destroy(self, instance):
        services.delete_proposal(instance, self.request.user)

    def _answer(self, proposal, status_code=status.HTTP_200_OK, reload=True):
        """The proposal as the reader now sees it, with its `ETag`: every answer that carries a proposal
        carries the tag of that version, so the next edit can send it as `If-Match`."""
        if reload:
            proposal = get_object_or_404(self.get_queryset(), pk=proposal.pk)
        response = Response(self.get_serializer(proposal).data, status=status_code)
        return concurrency.with_etag(response, services.proposal_tag(proposal))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(serializer.save(), status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        """One proposal, with its `ETag`: send it back as `If-Match` when you edit it."""
        return self._answer(self.get_object(), reload=False)

    @extend_schema(parameters=[concurrency.IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        """Edit what the state allows; with `If-Match`, only the version you read (else 412)."""
        return self.update(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # checked by the service on the locked row, so two edits of one version cannot both win
        return self._answer(serializer.save(precondition=concurrency.if_match(request)))

    @extend_schema(
        responses=inline_serializer(
            "AvailableTransitions",
            {
                "state": serializers.CharField(),
                "transitions": inline_serializer(
                    "AvailableTransition",
                    {
                        "name": serializers.CharField(),
                        "label": serializers.CharField(),
                        "target": serializers.CharField(),
                        "allowed": serializers.BooleanField(),
                        "reasons": ReasonSerializer(many=True),
                        "fields": inline_serializer(
                            "TransitionField",
                            {
                                "name": serializers.CharField(),
                                "label": serializers.CharField(),
                                "required": serializers.BooleanField(),
                                "type": serializers.ChoiceField(choices=["text", *FIELD_TYPES.values()]),
                            },
                            many=True,
                        ),
                    },
                    many=True,
                ),
            },
        )
    )
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request, pk=None):
        """What you may do now; blocked steps come with their reasons."""
        proposal = self.get_object()
        options = lifecycle.available(proposal, request.user)
        return Response(
            {
                "state": proposal.state,
                "transitions": [
                    {
                        "name": o.name,
                        "label": o.label,
                        "target": o.target,
                        "allowed": o.allowed,
                        "reasons": [r.as_dict() for r in o.reasons],
                        "fields": describe_form(o.form),
                    }
                    for o in options
                ],
            }
        )

    @extend_schema(
        request=inline_serializer("TransitionData", {"comment": serializers.CharField(required=False)}),
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
        responses=ProposalDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z0-9_]+)")
    def perform_transition(self, request, pk=None, name=None):
        """Run one transition: 404 unknown, 409 not allowed now (with reasons), 400 bad data."""
        proposal = self.get_object()
        data = request.data if hasattr(request.data, "get") else {}
        services.perform_transition(proposal, name, request.user, **{k: data.get(k) for k in data})
        return self._answer(proposal)

    @extend_schema(
        responses=inline_serializer(
            "HistoryEntry",
            {
                "transition": serializers.CharField(),
                "source": serializers.CharField(),
                "target": serializers.CharField(),
                "by": serializers.CharField(allow_null=True),
                "at": serializers.DateTimeField(),
                "comment": serializers.CharField(),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every transition of the proposal: who, when, from, to, with the comment."""
        proposal = self.get_object()
        return Response(
            [
                {
                    "transition": log.transition,
                    "source": log.source_state,
                    "target": log.state,
                    "by": display_name(log.by) or None,
                    "at": log.timestamp,
                    "comment": log.description or "",
                }
                for log in selectors.history(proposal)
            ]
        )

    @extend_schema(request=LeadExceptionSerializer, responses=ProposalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="lead-exception")
    def lead_exception(self, request, pk=None):
        """The office lets a municipality that is not a member lead this proposal, with the reason."""
        serializer = LeadExceptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.record_lead_exception(
            self.get_object(), request.user, reason=serializer.validated_data.get("reason", "")
        )
        return self._answer(proposal)

    @extend_schema(request=None, responses={201: ProposalDetailSerializer})
    @action(detail=True, methods=["post"])
    def reuse(self, request, pk=None):
        """Start a new idea from a rejected, ineligible or expired proposal."""
        return self._answer(services.reuse_proposal(self.get_object(), request.user), status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ConsultationSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConsultationSerializer, responses={201: ConsultationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def consultations(self, request, pk=None):
        """Meetings of the office and the team on this proposal."""
        proposal = self.get_object()
        if request.method == "POST":
            serializer = ConsultationSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            consultation = services.schedule_consultation(proposal, request.user, **serializer.validated_data)
            return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)
        return Response(ConsultationSerializer(selectors.consultations(proposal), many=True).data)

    @extend_schema(responses=SubmissionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def submissions(self, request, pk=None):
        """Every submission to the funder, newest first (the first one counts), each with the document
        versions frozen when it was recorded."""
        proposal = self.get_object()
        submissions = list(selectors.submissions(proposal))
        context = {"counting_id": submissions[0].pk if submissions else None}
        return Response(SubmissionSerializer(submissions, many=True, context=context).data)
