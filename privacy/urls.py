"""The personal-data pages."""

from django.urls import path

from privacy.views import exports, notice, people, retention, trail

app_name = "privacy"

urlpatterns = [
    path("privacy/audit/", trail.trail, name="audit"),
    path("privacy/notice/", notice.notice, name="notice"),
    path("privacy/notice/accept/", notice.accept, name="notice-accept"),
    path("privacy/notice/publish/", notice.publish, name="notice-publish"),
    path("privacy/retention/", retention.retention, name="retention"),
    path("privacy/retention/run/", retention.run_retention, name="retention-run"),
    path("privacy/people/", people.people, name="people"),
    path("privacy/people/<int:pk>/", people.person, name="person"),
    path("privacy/people/<int:pk>/export/", people.export_person, name="person-export"),
    path("privacy/people/<int:pk>/erase/", people.erase_person, name="person-erase"),
    path("privacy/exports/<int:pk>/file/", exports.export_file, name="export-file"),
    path("account/data/", exports.my_data, name="my-data"),
]
