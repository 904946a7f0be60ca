"""Pages we serve but do not write (the API docs, the admin) run under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_load_without_inline_script(actors):
    factories.office_staff(username="koordinator")
    office = actors("office")
    sign_in(office, "koordinator", factories.PASSWORD)
    office.go("/api/docs/")
    expect(office.page.locator(".swagger-ui .info")).to_be_visible()
    office.shot("api docs")


def test_the_admin_runs_under_the_policy(actors):
    factories.office_admin(username="yonetici")
    admin = actors("admin")
    admin.go("/admin/login/")
    admin.page.locator("#id_username").fill("yonetici")
    admin.page.locator("#id_password").fill(factories.PASSWORD)
    admin.page.locator("input[type=submit]").click()
    admin.page.wait_for_load_state("networkidle")
    for path in (
        "/admin/",
        "/admin/workflows/proposal/",
        "/admin/workflows/proposal/add/",
    ):
        admin.go(path)
    admin.shot("admin")
