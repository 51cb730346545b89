"""The maintainers' admin in real headless Chromium against the running stack: keyboard-only login, an
edit and its history, an import upload's dry run, and axe-core on every admin page at 1280 and 320 px.
Screenshots of the admin go to docs/screenshots/ (the README shows them)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from ovi_stack import paths
from ovi_stack.run import Stack
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SCREENSHOTS = paths.ROOT / "docs" / "screenshots"
PASSWORD = "selaimen-testisalasana"
FIXTURE = paths.ROOT / "tests" / "web" / "fixtures" / "directory_small.json"


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> None:
    """An admin and a maintainer in the stack's directory, made with the documented command."""
    env = {**os.environ, "DATABASE_URL": str(stack.database_url), "PYTHONPATH": str(paths.ROOT)}
    for name, role in (("selma", "admin"), ("ville", "maintainer")):
        done = subprocess.run([str(paths.APP_PYTHON), "-m", "ovi_web", "users", "add", name, "--role", role],
                              input=f"{PASSWORD}\n", text=True, capture_output=True, env=env, cwd=paths.ROOT)
        assert done.returncode == 0 or "on jo käytössä" in done.stderr, done.stderr


def _login(page: Page, stack: Stack, name: str) -> None:
    page.goto(f"{stack.web_url}/admin")
    assert "/admin/login" in page.url
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{stack.web_url}/admin")


@pytest.fixture
def admin_context(browser: Browser, stack: Stack, accounts: None) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fi-FI", bypass_csp=True)
    yield context
    context.close()


def test_keyboard_only_login_then_edit_and_history(admin_context: BrowserContext, stack: Stack) -> None:
    page = admin_context.new_page()
    page.goto(f"{stack.web_url}/admin")
    # Keyboard only: Tab from the top of the page reaches the fields and the button in order.
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("ville")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{stack.web_url}/admin")
    assert "Kirjautuneena: ville" in page.inner_text(".admin-user")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-dashboard.png"), full_page=True)

    page.goto(f"{stack.web_url}/admin/palvelut?q=ruoka-apu")
    page.click("table.admin-table tbody a >> nth=0")
    name = page.inner_text("h1")
    page.fill("#f-application_process", "Tule paikalle jakopäivänä, ajanvarausta ei tarvita.")
    page.fill("#f-url", "ei osoite")
    page.click("form.admin-form button[type=submit]")
    # The importers' rule, in Finnish next to the field, and the field is marked for screen readers.
    assert "kelvollinen URI" in page.inner_text("#e-url")
    assert page.get_attribute("#f-url", "aria-invalid") == "true"
    page.screenshot(path=str(SCREENSHOTS / "admin-edit-error.png"), full_page=True)
    assert axe_violations(page) == []
    page.fill("#f-url", "https://esimerkki.fi/ruoka-apu")
    page.click("form.admin-form button[type=submit]")
    assert "Muutokset tallennettu" in page.inner_text("[role=status]")

    page.click("text=muutoshistoria")
    rows = page.locator("table.history tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("application_process" in t and "ville" in t and "ajanvarausta ei tarvita" in t for t in texts)
    assert any(t.split("\t")[3:4] == ["url"] or "\turl\t" in t for t in texts), texts
    assert name in page.inner_text("h1")
    page.screenshot(path=str(SCREENSHOTS / "admin-history.png"), full_page=True)


def test_import_upload_shows_a_dry_run_report(admin_context: BrowserContext, stack: Stack) -> None:
    page = admin_context.new_page()
    _login(page, stack, "selma")
    page.goto(f"{stack.web_url}/admin/tuonti")
    page.check("input[value=hsds-json]")
    page.set_input_files("#file", str(FIXTURE))
    page.click("form[enctype] button[type=submit]")
    summary = page.inner_text("#import-summary")
    assert re.match(r"Tarkistettiin \(kuivaharjoitus, mitään ei tallennettu\) 7 palvelua", summary), summary
    assert page.locator("text=Tallenna tuonti").is_visible()  # an admin may commit it
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "admin-import-dry-run.png"), full_page=True)


def _scroll_width(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


ADMIN_PAGES = ["/admin/login", "/admin", "/admin/palvelut", "/admin/palvelut?q=kriisi",
               "/admin/organisaatiot", "/admin/vanhentuneet", "/admin/ilmoitukset", "/admin/tuonti",
               "/admin/kayttajat",
               "/admin/palvelut/uusi", "/admin/organisaatiot/uusi"]


@pytest.mark.parametrize("width", [1280, 320])
def test_no_wcag_violations_on_the_admin(browser: Browser, stack: Stack, accounts: None, width: int) -> None:
    context = browser.new_context(locale="fi-FI", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{stack.web_url}/admin/login")
    assert axe_violations(page) == [], "/admin/login"
    _login(page, stack, "selma")
    first_service = None
    for path in ADMIN_PAGES[1:]:
        page.goto(f"{stack.web_url}{path}")
        assert axe_violations(page) == [], path
        assert _scroll_width(page) <= width, f"sideways scroll: {path}"
        if path == "/admin/palvelut":
            first_service = page.get_attribute("table.admin-table tbody a >> nth=0", "href")
    assert first_service
    for path in (first_service, f"{first_service}/historia"):
        page.goto(f"{stack.web_url}{path}")
        assert axe_violations(page) == [], path
        assert _scroll_width(page) <= width, f"sideways scroll: {path}"
    if width == 320:
        page.goto(f"{stack.web_url}{first_service}")
        page.screenshot(path=str(SCREENSHOTS / "admin-service-320.png"), full_page=True)
    context.close()
