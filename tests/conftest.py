import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from tests import factories

pytest_plugins = ["tests.s3_server"]


@pytest.fixture(autouse=True)
def english():
    """Tests read messages in English; a test about Turkish asks for it (translation.override, a header)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttles, sign-in and reset limits count in the cache: each test starts from zero."""
    cache.clear()


@pytest.fixture
def api_client():
    """api_client(user) is a client signed in as that user; api_client() is anonymous."""

    def make(user=None):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def disk_storage(settings, tmp_path):
    """Embedded mode (local files) in a private directory: the repository's var/media stays untouched."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def office_user(db):
    return factories.office_staff(username="coordinator")


@pytest.fixture
def admin_user_(db):
    return factories.office_admin(username="officeadmin")


@pytest.fixture
def team_member(db):
    return factories.TeamMembershipFactory().user
