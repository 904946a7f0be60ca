import pytest
from django.core.cache import cache
from django.utils import translation

from tests.clients import page_client, script_client
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    ProposalFactory,
    TeamMembershipFactory,
    office_admin,
    office_staff,
)
from workflows.models import ProposalPartner

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
def admin_client(admin_user):
    """pytest-django's, with the second factor given as page_client gives it (the admin requires it)."""
    return page_client(admin_user, language=None)


@pytest.fixture
def api_client():
    """api_client(user) is a script's client authenticated as that user; api_client() is anonymous."""
    return script_client


@pytest.fixture
def client_for():
    """client_for(user) is a browser signed in as that user (None: anonymous), reading the pages in English
    unless told otherwise (language="tr"; None: no language chosen yet), so assertions on texts do not
    depend on the Turkish catalogue. Other keywords go to Django's Client (enforce_csrf_checks=True)."""
    return page_client


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
    return office_staff(username="coordinator")


@pytest.fixture
def admin_user_(db):
    return office_admin(username="officeadmin")


@pytest.fixture
def team_member(db):
    return TeamMembershipFactory().user


@pytest.fixture
def lead_municipality(db):
    return MunicipalityFactory(name="Süleymanpaşa Belediyesi")


@pytest.fixture
def partner_organisation(db):
    return OrganisationFactory(name="Haskovo Municipality", country="BG")


@pytest.fixture
def make_proposal(db, lead_municipality, partner_organisation):
    """make_proposal(state=..., call=...): led by the lead municipality, the organisation its partner."""

    def make(**kwargs):
        kwargs.setdefault("lead", lead_municipality)
        proposal = ProposalFactory(**kwargs)
        ProposalPartner.objects.create(proposal=proposal, organisation=partner_organisation)
        return proposal

    return make
