"""Headless Chromium journeys against pytest-django's live server.

Fixtures: `browser` (one Debian chromium per session), `page` (a fresh context per test, locale
id-ID), `live_url(tenant, path)`, and `assert_accessible(page)` (axe-core: no serious or critical
violation). Mail lands in `django.core.mail.outbox`: the live server runs in this process and the
test settings use the locmem backend with immediate tasks.

Mark journeys `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE_VIEWPORT = {"width": 390, "height": 844}
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A new browser context per test; links in mail point at the live server."""
    settings.PRAJA_PUBLIC_BASE_URL = live_server.url
    context = browser.new_context(locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_url(live_server):
    """live_url(tenant, "register/") -> absolute URL of a tenant page on the live server."""

    def build(tenant, path: str = "") -> str:
        return f"{live_server.url}/t/{tenant.slug}/{path.lstrip('/')}"

    return build


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def assert_accessible(page) -> None:
    """Run axe-core on the page; fail on any serious or critical violation, listing each."""
    # Our pages forbid inline scripts (CSP), so `add_script_tag` is refused; evaluating through the
    # DevTools protocol injects axe without weakening the policy under test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
        for violation in blocking:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"    {node['html'][:200]}" for node in violation["nodes"][:5])
        report = "\n".join(lines)
        print(report)
        pytest.fail(report)


def log_in_at(page, url: str, user, totp=None) -> None:
    """Open `url` as `user`: the login page it redirects to, the password and, for approvers, the
    TOTP code (`totp` gives the current one); back on `url` at the end."""
    from praja.core.testing.plugin import PASSWORD

    page.goto(url)
    page.wait_for_url("**/login/?next=*")
    page.get_by_label("Email, NIK atau NIP").fill(user.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    if totp is not None:
        page.wait_for_url("**/login/second-factor/*")
        page.get_by_label("Kode 6 digit dari aplikasi autentikator").fill(totp())
        page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(url)


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    return assert_accessible
