"""The personal-data endpoints under /api/v1/."""

from django.urls import path

from privacy.api import erasure, exports, notice, retention, trail

urlpatterns = [
    path("audit/", trail.TrailView.as_view(), name="privacy-audit"),
    path("privacy-notice/", notice.NoticeView.as_view(), name="privacy-notice"),
    path("privacy-notice/accept/", notice.AcceptNoticeView.as_view(), name="privacy-notice-accept"),
    path("retention/", retention.RetentionView.as_view(), name="privacy-retention"),
    path("retention/runs/", retention.RetentionRunsView.as_view(), name="privacy-retention-runs"),
    path("people/<int:pk>/erasure/", erasure.ErasureView.as_view(), name="privacy-erasure"),
    path("me/data-export/", exports.MyDataExportView.as_view(), name="privacy-my-data-export"),
    path("data-exports/", exports.DataExportListView.as_view(), name="privacy-data-exports"),
    path("data-exports/<int:pk>/", exports.DataExportView.as_view(), name="privacy-data-export"),
    path(
        "data-exports/<int:pk>/download/",
        exports.DataExportFileView.as_view(),
        name="privacy-data-export-file",
    ),
]
