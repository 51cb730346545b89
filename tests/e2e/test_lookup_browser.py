"""The professionals' quick lookup (/haku) in real headless Chromium against the running stack: results
follow the typing and the address keeps the query, the plain form works without JavaScript, and axe-core
finds no WCAG 2.1 AA violation at desktop and 320 px widths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ovi_stack import paths
from ovi_stack.run import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = paths.ROOT / "var" / "axe" / "axe.min.js"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def _cards(page: Page) -> list[str]:
    return [page.locator("li.card h3").nth(i).inner_text() for i in range(page.locator("li.card").count())]


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail("axe-core missing: run `make var/axe/axe.min.js` (make test does it)")
    page.add_script_tag(path=str(AXE))
    tags = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
    result: dict[str, Any] = page.evaluate(
        f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]} for v in result["violations"]]


def test_results_follow_the_typing_and_the_address_keeps_the_query(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(f"{stack.web_url}/haku")
    assert _cards(page) == []
    page.select_option("#municipality", "285")
    page.fill("#q", "velkaneuvonta")  # no submit: the results come as the professional types
    page.wait_for_selector("li.card", timeout=15_000)
    page.wait_for_function("() => location.search.includes('q=')", timeout=15_000)
    query = parse_qs(urlparse(page.url).query)
    assert query["q"] == ["velkaneuvonta"] and query["municipality"] == ["285"]
    typed = _cards(page)
    page.reload()  # the shared link gives the same list
    assert _cards(page) == typed
    context.close()


def test_the_plain_form_works_without_javascript(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(locale="fi-FI", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{stack.web_url}/haku")
    page.fill("#q", "ruoka-apu")
    page.select_option("#municipality", "286")
    page.check("input[name=free_of_charge]")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert _cards(page), "the submitted form lists services"
    query = parse_qs(urlparse(page.url).query)
    assert query["free_of_charge"] == ["true"] and page.is_checked("input[name=free_of_charge]")
    context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_no_wcag_violations(browser: Browser, stack: Stack, width: int) -> None:
    context = browser.new_context(locale="fi-FI", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    for path in ("/haku", "/haku?q=p%C3%A4ihdepalvelut&municipality=285", "/haku?municipality=999"):
        page.goto(f"{stack.web_url}{path}")
        assert _axe_violations(page) == [], path
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, "no sideways scrolling"
    context.close()
