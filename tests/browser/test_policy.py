"""Pages we serve but do not write (the API docs, the admin) run under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, office_admin, office_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_load_without_inline_script(actors):
    office_staff(username="koordinator")
    office = actors("office")
    sign_in(office, "koordinator", PASSWORD)
    office.go("/api/docs/")
    expect(office.page.locator(".swagger-ui .info")).to_be_visible()
    office.shot("api docs")


def test_the_admin_runs_under_the_policy(actors):
    office_admin(username="yonetici")
    admin = actors("admin")
    admin.go("/admin/login/")
    admin.page.locator("#id_username").fill("yonetici")
    admin.page.locator("#id_password").fill(PASSWORD)
    admin.page.locator("input[type=submit]").click()
    admin.page.wait_for_load_state("networkidle")
    for path in (
        "/admin/",
        "/admin/workflows/proposal/",
        "/admin/workflows/proposal/add/",
    ):
        admin.go(path)
    admin.shot("admin")
