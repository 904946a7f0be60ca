"""The office's two groups and what they may do, kept in step with the code after every migrate.

Office admins may do everything with the office's own models; office staff may view everything and,
beyond that, what each app lists in its AppConfig as `office_staff_permissions` ("app_label.codename").
"""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

OFFICE_STAFF = "office_staff"
OFFICE_ADMIN = "office_admin"

# The apps whose models are the office's own data.
OFFICE_APPS = ("members", "calls", "workflows", "documents", "notifications", "reports")
# Apps only office admins manage: django-axes' sign-in lockouts (unlocking deletes an access attempt).
ADMIN_ONLY_APPS = ("axes",)


def _office_permissions(app_labels=OFFICE_APPS):
    labels = [label for label in app_labels if label in django_apps.app_configs]
    return Permission.objects.filter(content_type__app_label__in=labels).select_related("content_type")


def sync_office_groups(**kwargs) -> None:
    permissions = list(_office_permissions())
    staff_extra = {
        perm
        for config in django_apps.get_app_configs()
        for perm in getattr(config, "office_staff_permissions", ())
    }
    staff = [
        p
        for p in permissions
        if p.codename.startswith("view_") or f"{p.content_type.app_label}.{p.codename}" in staff_extra
    ]
    admin_group, _ = Group.objects.get_or_create(name=OFFICE_ADMIN)
    admin_group.permissions.set([*permissions, *_office_permissions(ADMIN_ONLY_APPS)])
    staff_group, _ = Group.objects.get_or_create(name=OFFICE_STAFF)
    staff_group.permissions.set(staff)
