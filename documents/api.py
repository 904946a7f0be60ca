"""Documents API: thin over services and selectors (paths fixed in docs/architecture.md).

The embedded-mode content endpoints take no session or token: like S3's presigned URLs, the signature
in the query string is the credential.
"""

from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors, services
from documents.models import Document, DocumentSet, DocumentVersion, PendingUpload
from documents.storage import content_disposition
from grants_office.calls.models import DocumentKind
from grants_office.core.errors import StorageUnavailable
from grants_office.core.middleware import StorageUnavailableMiddleware
from grants_office.core.people import display_name
from grants_office.core.schema import ErrorSerializer
from grants_office.members.models import Municipality


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return display_name(user)


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by = PersonBriefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "number",
            "original_filename",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "note",
            "download_url",
        ]

    def get_download_url(self, version) -> str:
        return reverse("documents:version-download", args=[version.pk])


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    versions = VersionSerializer(many=True, read_only=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "kind_label", "title", "created_at", "latest_version", "versions"]

    def get_latest_version(self, document) -> int | None:
        versions = list(document.versions.all())  # prefetched, newest first
        return versions[0].number if versions else None


class DocumentSlotSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class UploadRequestSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=1000, trim_whitespace=False)
    size = serializers.IntegerField()
    content_type = serializers.CharField(max_length=200)
    sha256 = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


SignedUpload = inline_serializer(
    "SignedUpload",
    {
        "id": serializers.UUIDField(),
        "method": serializers.CharField(),
        "url": serializers.CharField(),
        "headers": serializers.DictField(child=serializers.CharField()),
        "expires_at": serializers.DateTimeField(),
    },
)


def _absolute(request, url: str) -> str:
    """Embedded mode signs paths on our own host; S3 URLs are already absolute."""
    return request.build_absolute_uri(url) if url.startswith("/") else url


class DocumentDetailView(APIView):
    @extend_schema(responses=DocumentSerializer)
    def get(self, request, pk):
        """One document with all its versions, newest first."""
        document = selectors.document_for(request.user, pk)
        document = selectors.documents_of(document.set).get(pk=document.pk)
        return Response(DocumentSerializer(document).data)


class DocumentUploadsView(APIView):
    @extend_schema(request=UploadRequestSerializer, responses={201: SignedUpload})
    def post(self, request, pk):
        """Ask for a signed upload: PUT the bytes to `url` with `headers` before `expires_at`, then
        POST /uploads/{id}/complete/."""
        document = selectors.document_for(request.user, pk)
        serializer = UploadRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _pending, signed = services.request_upload(document, request.user, **serializer.validated_data)
        signed["url"] = _absolute(request, signed["url"])
        return Response(signed, status=status.HTTP_201_CREATED)


class CompleteUploadView(APIView):
    @extend_schema(request=None, responses={201: VersionSerializer})
    def post(self, request, pk):
        """Verify the stored file (size, SHA-256, real type) and create the next version."""
        version = services.complete_upload(PendingUpload(pk=pk), request.user)
        version = selectors.versions_newest_first().get(pk=version.pk)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class RawBodyParser(BaseParser):
    """Accept any content type; the view streams request.stream itself and never parses it."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


class UploadContentView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [RawBodyParser]

    @extend_schema(
        request=None,
        responses={
            200: None,
            400: OpenApiResponse(ErrorSerializer, description="The body does not match the signed upload."),
            403: OpenApiResponse(ErrorSerializer, description="`signature_refused`: expired or used up."),
        },
    )
    def put(self, request, pk):
        """Embedded mode: the signed upload URL. Streams the body to disk in 64 KiB chunks."""
        stream = request.stream
        services.receive_upload_content(
            pk,
            request.query_params.get("token", ""),
            request.META.get("CONTENT_LENGTH"),
            stream.read if stream is not None else (lambda n: b""),
        )
        return Response(status=status.HTTP_200_OK)


class VersionDownloadView(APIView):
    @extend_schema(
        responses={
            302: OpenApiResponse(description="Redirect to a short-lived signed URL"),
            503: OpenApiResponse(
                ErrorSerializer, description="`storage_unavailable`: storage does not answer (Retry-After)."
            ),
        }
    )
    def get(self, request, pk):
        """Redirect to a short-lived signed URL of exactly this version, and log the download."""
        version = selectors.version_for(request.user, pk)
        return HttpResponseRedirect(_absolute(request, services.download_url(version, request.user)))

    def handle_exception(self, exc):
        # The proposal page links here: a person who clicks a file while storage is down gets a page
        if isinstance(exc, StorageUnavailable) and StorageUnavailableMiddleware.wants_page(self.request):
            return StorageUnavailableMiddleware.response(self.request, exc)
        return super().handle_exception(exc)


class VersionContentView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its own content type"
            ),
            403: OpenApiResponse(ErrorSerializer, description="`signature_refused`: expired or tampered."),
        }
    )
    def get(self, request, pk):
        """Embedded mode: the signed download URL; streams the file."""
        version, handle = services.open_version_content(pk, request.query_params.get("token", ""))
        response = FileResponse(handle, content_type=version.content_type)
        response["Content-Disposition"] = content_disposition(version.original_filename)
        response["Content-Length"] = str(version.size)
        return response


# --- the office's library ----------------------------------------------------------------------------


class LibrarySetSerializer(serializers.ModelSerializer):
    # required here: the model's blank default would let a set without a title reach the service
    title = serializers.CharField(max_length=300)
    municipalities = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), many=True, required=False
    )
    audience = serializers.ChoiceField(choices=DocumentSet.Audience.choices)

    class Meta:
        model = DocumentSet
        fields = ["id", "title", "description", "audience", "municipalities", "created_at"]
        read_only_fields = ["created_at"]


class LibraryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The office's shared library: guides, templates, model budgets for all members or chosen ones."""

    serializer_class = LibrarySetSerializer

    def get_queryset(self):
        return selectors.library_sets_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document_set = services.create_library_set(request.user, **serializer.validated_data)
        document_set = self.get_queryset().get(pk=document_set.pk)
        return Response(self.get_serializer(document_set).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(methods=["POST"], request=DocumentSlotSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        """The set's documents with their versions; the office adds documents."""
        document_set = self.get_object()
        if request.method == "POST":
            serializer = DocumentSlotSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            document = services.create_document(document_set, request.user, **serializer.validated_data)
            document = selectors.documents_of(document_set).get(pk=document.pk)
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        return Response(DocumentSerializer(selectors.documents_of(document_set), many=True).data)
