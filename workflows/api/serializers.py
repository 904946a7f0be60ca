"""The proposal API's serializers: a proposal (list and detail), its partners, consultations and
submissions. Writes go through the services (`create`/`update` call them)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from events.models import Event
from grants_office.calls.models import Call
from grants_office.core.errors import Invalid
from grants_office.core.filters import validate_recorded_moment
from grants_office.core.labels import label
from grants_office.core.people import display_name
from grants_office.core.representation import MOMENT, MONEY
from grants_office.members.models import Municipality, Organisation
from grants_office.members.roles import OFFICE_ADMIN, OFFICE_STAFF
from workflows import services
from workflows.models import Consultation, Proposal, ProposalPartner, Submission
from workflows.review import selectors as review_selectors
from workflows.states import State

User = get_user_model()


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
            "submitted_at",
            "decided_on",
            "coordinator",
            "coordinator_detail",
            "funder_feedback",
            "reused_from",
            "lead_exception",
            "lead_exception_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "stage",
            "awarded_amount",
            "submitted_at",
            "decided_on",
            "funder_feedback",
            "reused_from",
        ]

    def to_representation(self, proposal):
        """The declared fields, written out: DRF's generic walk over 22 fields and three nested
        serializers was half of a list request's time (bench/, issue 8). Same output, pinned by
        tests/workflows/test_api.py::test_the_fast_representation_equals_the_declared_fields."""
        call, coordinator = proposal.call, proposal.coordinator
        money, moment = MONEY.to_representation, MOMENT.to_representation
        return {
            "id": proposal.pk,
            "title": proposal.title,
            "acronym": proposal.acronym,
            "summary": proposal.summary,
            "state": proposal.state,
            "state_label": label(State, proposal.state),
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
            "submitted_at": moment(proposal.submitted_at),
            "decided_on": None if proposal.decided_on is None else proposal.decided_on.isoformat(),
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
            "at": MOMENT.to_representation(proposal.lead_exception_at),
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
        origin, moment = earlier.proposal, MOMENT.to_representation
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

    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The programme meeting it was held at (held_at defaults to the meeting's start)."),
    )
    event_title = serializers.CharField(source="event.title", read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "held_at",
            "event",
            "event_title",
            "office_experts",
            "team_participants",
            "notes",
            "agreed_actions",
            "created_at",
        ]
        extra_kwargs = {"held_at": {"validators": [validate_recorded_moment], "required": False}}


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
