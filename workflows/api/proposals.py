"""The proposal endpoints: thin over services and selectors (docs/architecture.md has the fixed paths)."""

from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from grants_office.calls.models import Call, FundingProgramme
from grants_office.core import audit, concurrency
from grants_office.core.export_schema import list_export
from grants_office.core.filters import MomentFilter
from grants_office.core.people import display_name
from grants_office.core.schema import ReasonSerializer
from grants_office.core.tabular import export_format, export_response
from grants_office.members.models import Municipality
from grants_office.members.profiles import time_zone_of
from workflows import access, lifecycle, selectors, services
from workflows import history as proposal_history
from workflows.api.exports import proposal_columns
from workflows.api.serializers import (
    ConsultationSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    SubmissionSerializer,
)
from workflows.models import Proposal, deadline_expression
from workflows.states import State

User = get_user_model()


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
    # The board's and the proposals table's search (`selectors.search_proposals`), so the table's
    # "Export" link selects exactly the rows the table shows.
    q = filters.CharFilter(
        method="filter_q", max_length=100, label=_("the words, in the title, acronym or lead municipality")
    )
    # The deadline that applies to each proposal (stage 2: the call's stage-2 deadline).
    deadline_after = MomentFilter(method="filter_deadline")
    deadline_before = MomentFilter(method="filter_deadline")

    class Meta:
        model = Proposal
        fields = ["state", "call", "programme", "municipality", "coordinator", "stage"]

    def filter_q(self, queryset, name, value):
        return selectors.search_proposals(queryset, value)

    def filter_deadline(self, queryset, name, value):
        lookup = "gte" if name == "deadline_after" else "lte"
        return queryset.alias(applicable_deadline=deadline_expression()).filter(
            **{f"applicable_deadline__{lookup}": value}
        )


FIELD_TYPES = {
    django_forms.DateTimeField: "datetime",
    django_forms.DateField: "date",
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


class ProposalOrdering(OrderingFilter):
    """`?ordering=` by the sort keys of the proposals table (`selectors.PROPOSAL_SORTS`), in the table's
    order: Turkish alphabet, empty values last, ties by id."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        return selectors.sorted_proposals(queryset, ordering) if ordering else queryset


class LeadExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ProposalViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Grant proposals: list, create an idea, edit what the state allows, move through the lifecycle."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    search_fields = ["title", "acronym"]
    filter_backends = [filters.DjangoFilterBackend, SearchFilter, ProposalOrdering]
    ordering_fields = list(selectors.PROPOSAL_SORTS)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action in ("list", "export"):
            return selectors.listed_proposals(self.request.user)
        if self.action == "perform_transition" and self.request.method == "POST":
            return selectors.visible_for_a_step(self.request.user)  # the step reads the rest itself
        return selectors.proposals_visible_to(self.request.user)

    def get_object(self):
        proposal = super().get_object()
        access.found_visible(self.request.user, proposal)  # the services of this request ask no more
        return proposal

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
        moved = services.perform_transition(proposal, name, request.user, **{k: data.get(k) for k in data})
        return self._answer(moved, reload=False)  # read with its detail under the lock

    @extend_schema(
        responses=inline_serializer(
            "HistoryEntry",
            {
                "kind": serializers.ChoiceField(choices=["transition", "change"]),
                "transition": serializers.CharField(),
                "source": serializers.CharField(),
                "target": serializers.CharField(),
                "by": serializers.CharField(allow_null=True),
                "at": serializers.DateTimeField(),
                "comment": serializers.CharField(),
                "changes": inline_serializer(
                    "FieldChange",
                    {
                        "field": serializers.CharField(),
                        "label": serializers.CharField(),
                        "old": serializers.CharField(),
                        "new": serializers.CharField(),
                    },
                    many=True,
                ),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every transition of the proposal (who, when, from, to, with the comment) and every edit of its
        fields and partners (`kind` `change`), oldest first. `changes` holds each field's old and new
        value in the reader's language: an edit's, or those a transition set (the awarded amount, the
        decision's date); an edit's `transition`, `source`, `target` and `comment` are empty."""
        proposal = self.get_object()
        return Response(
            [
                {
                    "kind": item["kind"],
                    "transition": item.get("name", ""),
                    "source": item.get("source_state", ""),
                    "target": item.get("target_state", ""),
                    "by": display_name(item["by"]) or None,
                    "at": item["at"],
                    "comment": item.get("comment", ""),
                    "changes": item["changes"],
                }
                for item in proposal_history.timeline(proposal)
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

    @list_export(_("Every proposal of the list you may see, with the list's filters, search and ordering."))
    def export(self, request):
        """The list as a file (`format=csv` or `xlsx`): every row, not one page. Headers in the
        request's language; moments in the reader's zone (their profile's, named in the header)."""
        fmt = export_format(request.query_params)
        proposals = selectors.proposals_for_export(self.filter_queryset(self.get_queryset()))
        zone = time_zone_of(request.user) or timezone.get_current_timezone()
        filename = f"proposals-{timezone.localdate(timezone=zone):%Y-%m-%d}"
        audit.record_export(request, Proposal, f"{filename}.{fmt}")
        return export_response(
            proposals.iterator(chunk_size=2000), proposal_columns(zone), fmt=fmt, filename=filename, zone=zone
        )
