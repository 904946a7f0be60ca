"""Who may read what the service holds about people (predicates): the office, which answers for it, and
each person for themselves."""

from grants_office.core.people import signed_in
from grants_office.members.permissions import is_office_admin, is_office_staff


def reads_trail(user, obj=None) -> bool:
    """Office staff and admins read every entry; a person's own data is served by their export."""
    return is_office_staff(user)


def reads_people(user, obj=None) -> bool:
    """The office's person pages: what the service holds about anyone, and the export of it."""
    return is_office_staff(user)


def may_export(user, subject) -> bool:
    """A person exports their own data; the office anyone's (answering a request made to it)."""
    return signed_in(user) and (user.pk == subject.pk or reads_people(user))


def may_download(user, export) -> bool:
    """The person who asked for the export, and the person it is about."""
    return signed_in(user) and user.pk in (export.requested_by_id, export.subject_id)


def may_erase(user, person=None) -> bool:
    """Office admins erase a person (answering their request, or when the purpose has ended)."""
    return is_office_admin(user)


def may_apply_retention(user, obj=None) -> bool:
    """The job runs every night; office admins may run it at once."""
    return is_office_admin(user)


def may_publish_notice(user, obj=None) -> bool:
    """The privacy notice is the data controller's: office admins publish its versions."""
    return is_office_admin(user)
