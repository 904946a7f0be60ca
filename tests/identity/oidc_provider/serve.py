"""python -m tests.identity.oidc_provider.serve PORT SETUP.json: migrate the provider's SQLite file, create
its users and the service's client from SETUP.json, and serve on 127.0.0.1:PORT until killed.

SETUP.json: {"users": [{"username", "password", "email", "verified"}],
             "client": {"client_id", "client_secret", "redirect_uri"}}
"""

import json
import os
import sys
from pathlib import Path


def set_up(setup: dict) -> None:
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    from tests.identity.oidc_provider.validator import VERIFIED

    verified, _ = Group.objects.get_or_create(name=VERIFIED)
    for person in setup["users"]:
        user = User.objects.create_user(person["username"], person["email"], person["password"])
        if person["verified"]:
            user.groups.add(verified)
    client = setup["client"]
    Application.objects.create(
        name="grants office",
        client_id=client["client_id"],
        client_secret=client["client_secret"],  # hashed on save; the service keeps the plain one
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # no consent page
    )


def main() -> None:
    port, setup_path = int(sys.argv[1]), Path(sys.argv[2])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", interactive=False, verbosity=0)
    set_up(json.loads(setup_path.read_text()))
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
