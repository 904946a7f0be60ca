"""A proposal's documents: the set with every version, and what the call's checklist still misses."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors as document_selectors
from documents import services as document_services
from documents.api import DocumentSerializer, DocumentSlotSerializer
from grants_office.calls.models import DocumentKind
from grants_office.core.schema import ReasonSerializer
from workflows import selectors
from workflows.conditions import required_kinds
from workflows.document_policy import changes_hint, document_set_for

ProposalDocuments = inline_serializer(
    "ProposalDocuments",
    {
        "document_set": serializers.IntegerField(allow_null=True),
        "documents": DocumentSerializer(many=True),
        "checklist": inline_serializer(
            "ChecklistEntry",
            {
                "kind": serializers.CharField(),
                "label": serializers.CharField(),
                "required": serializers.BooleanField(),
                "present": serializers.BooleanField(),
            },
            many=True,
        ),
        "missing": serializers.ListField(child=serializers.CharField()),
        "changes": inline_serializer(
            "DocumentChangesNow",
            {
                "kinds": serializers.ListField(child=serializers.CharField()),
                "resubmission_open": serializers.BooleanField(),
                "resubmission_until": serializers.DateTimeField(allow_null=True),
                "reason": ReasonSerializer(allow_null=True),
            },
        ),
    },
)


class ProposalDocumentsView(APIView):
    def _proposal(self, request, pk):
        proposals = (
            selectors.proposals_visible_to(request.user)
            .select_related(None)
            .select_related("call", "document_set")
            .prefetch_related(None)
            .prefetch_related("call__checklist")
        )
        return selectors.visible_proposal(request.user, pk, proposals)

    @extend_schema(responses=ProposalDocuments)
    def get(self, request, pk):
        """Every document of the proposal with its versions, the checklist (present or missing) and what
        you may add now (`changes`: the kinds; for a submitted proposal, until when it may still be
        corrected and resubmitted; why the rest is locked)."""
        proposal = self._proposal(request, pk)
        changes = changes_hint(request.user, proposal)
        documents = list(document_selectors.documents_of(proposal.document_set))
        present = {document.kind for document in documents if document.versions.all()}
        checklist = [
            {
                "kind": kind,
                "label": str(DocumentKind(kind).label),
                "required": True,
                "present": kind in present,
            }
            for kind in required_kinds(proposal)
        ]
        return Response(
            {
                "document_set": proposal.document_set_id,
                "documents": DocumentSerializer(documents, many=True).data,
                "checklist": checklist,
                "missing": [item["kind"] for item in checklist if not item["present"]],
                "changes": {
                    "kinds": changes["kinds"],
                    "resubmission_open": changes["resubmission_open"],
                    "resubmission_until": changes["resubmission_until"],
                    "reason": changes["reason"].as_dict() if changes["reason"] else None,
                },
            }
        )

    @extend_schema(request=DocumentSlotSerializer, responses={201: DocumentSerializer})
    def post(self, request, pk):
        """Add a document slot ({kind, title}); then upload versions to it."""
        proposal = self._proposal(request, pk)
        serializer = DocumentSlotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document_set = document_set_for(proposal)
        document = document_services.create_document(document_set, request.user, **serializer.validated_data)
        document = document_selectors.documents_of(document_set).get(pk=document.pk)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
