"""What every page's frame needs: which navigation this person gets. Lazy: no query unless a page asks."""

from django.utils.functional import SimpleLazyObject

from grants_office.members.permissions import is_office_staff


def office(request):
    user = getattr(request, "user", None)
    return {"is_office": SimpleLazyObject(lambda: bool(user and is_office_staff(user)))}
