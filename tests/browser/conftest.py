"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Never downloads a browser (`playwright install` is not used): Chromium comes from the system package
(`apt-get install chromium`, done by .ci/run). Without it the tests skip locally and fail on CI.
Screenshots of the key pages go to test-artifacts/browser/ (not committed).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.identity import app_code

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between page
# steps are synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
ON_CI = os.environ.get("CI") == "true"


def _unavailable(reason: str):
    if ON_CI:
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Actor:
    """One person in their own browser context (own cookies), with their page and what went wrong."""

    name: str
    page: object
    base_url: str
    shots: Path
    problems: list[str] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0])

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, label: str) -> Path:
        """A full-page screenshot, numbered in the order the journey takes them."""
        self.counter[0] += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        path = self.shots / f"{self.counter[0]:02d}-{self.name}-{slug}.png"
        # caret="initial": hiding the caret leaves style="" on every input, which htmx then copies onto
        # the swapped-in inputs (it settles "style") and the Content-Security-Policy rightly blocks.
        self.page.screenshot(path=str(path), full_page=True, caret="initial")
        return path


@pytest.fixture
def actors(chromium, live_server, request):
    """actors("office") opens a browser context for one person; all close at the end of the test.

    Every console error (a Content-Security-Policy violation, a failed script) fails the test.
    """
    shots = ARTIFACTS / request.node.name
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    contexts, made, counter = [], [], [0]

    def make(
        name: str, *, width: int = 1366, height: int = 900, language: str | None = "en", locale: str = "en-GB"
    ) -> Actor:
        """language: the site's language cookie (None: not chosen yet); locale: the browser's own."""
        context = chromium.new_context(viewport={"width": width, "height": height}, locale=locale)
        if language:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        actor = Actor(name=name, page=page, base_url=live_server.url, shots=shots, counter=counter)
        page.on(
            "console",
            lambda message: (
                actor.problems.append(f"console {message.type} on {page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: actor.problems.append(f"page error: {error}"))
        made.append(actor)
        return actor

    yield make
    problems = [f"{actor.name}: {problem}" for actor in made for problem in actor.problems]
    for context in contexts:
        context.close()
    # 404/403 pages are expected where the test asks for them; everything else is a real problem.
    problems = [p for p in problems if "status of 404" not in p and "status of 403" not in p]
    assert not problems, "\n".join(problems)


def sign_in(actor: Actor, username: str, password: str) -> None:
    """Through the sign-in form, as a person would."""
    actor.go("/accounts/login/")
    actor.page.locator("#id_username").fill(username)
    actor.page.locator("#id_password").fill(password)
    actor.page.locator("main form button[type=submit]").click()
    actor.page.wait_for_load_state("networkidle")
    _second_factor(actor, username)


def _second_factor(actor: Actor, username: str) -> None:
    """The office's accounts give their app's code next; the first time, they set the app up (its key is
    read from the database, as the phone would have read the QR code)."""
    page = actor.page
    if "/accounts/login/second-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    elif "/account/two-factor/setup/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    else:
        return
    page.locator("#id_code").fill(app_code(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    if page.locator("#recovery-codes-done").count():
        page.locator("#recovery-codes-done").click()
        page.wait_for_load_state("networkidle")


@pytest.fixture
def s3_for_browsers(s3_storage):
    """The live server keeps documents on SeaweedFS (tests/s3_server.py), and the bucket accepts the
    browsers' uploads from the site's origin (CORS), as a deployment's bucket must."""
    s3_storage.client().put_bucket_cors(
        Bucket=s3_storage.bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["*"],
                    "AllowedMethods": ["PUT"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 600,
                }
            ]
        },
    )
    return s3_storage
