from django.urls import include, path
from rest_framework.routers import SimpleRouter

from documents import api

app_name = "documents"

router = SimpleRouter()
router.register("library", api.LibraryViewSet, basename="library")

urlpatterns = [
    path("documents/<int:pk>/", api.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/uploads/", api.DocumentUploadsView.as_view(), name="document-uploads"),
    path("uploads/<uuid:pk>/complete/", api.CompleteUploadView.as_view(), name="upload-complete"),
    path("uploads/<uuid:pk>/content/", api.UploadContentView.as_view(), name="upload-content"),
    path("document-versions/<int:pk>/download/", api.VersionDownloadView.as_view(), name="version-download"),
    path("document-versions/<int:pk>/content/", api.VersionContentView.as_view(), name="version-content"),
    path("", include(router.urls)),
]
