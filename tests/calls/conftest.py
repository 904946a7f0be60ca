import pytest


@pytest.fixture
def admin_client(client_for, admin_user_):
    """The office admin in the admin site, reading English; in Istanbul (the site's default zone): three
    hours ahead of UTC all year."""
    return client_for(admin_user_)
