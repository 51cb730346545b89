"""The professionals' quick lookup (/haku) in real headless Chromium against the running stack: results
follow the typing and the address keeps the query, the plain form works without JavaScript, and axe-core
finds no WCAG 2.1 AA violation at desktop and 320 px widths."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from ovi_stack import paths
from ovi_stack.run import Stack
from tests.e2e.conftest import axe_violations

SCREENSHOTS = paths.ROOT / "docs" / "screenshots"

pytestmark = [pytest.mark.e2e, pytest.mark.browser]



def _cards(page: Page) -> list[str]:
    return [page.locator("li.card h3").nth(i).inner_text() for i in range(page.locator("li.card").count())]


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
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "lookup-results.png"))  # the first screenful: the list is long
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
        assert axe_violations(page) == [], path
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, "no sideways scrolling"
    context.close()


def test_picked_services_become_a_printable_a4_referral_sheet(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(locale="fi-FI", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{stack.web_url}/haku?q=velkaneuvonta&municipality=285")
    names = _cards(page)[:2]
    assert len(names) == 2
    boxes = page.locator("li.card input[name=id]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.select_option("#lang", "sv")
    page.click(".sheet-make button[type=submit]")
    page.wait_for_selector("ol.sheet-services")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert [page.locator("ol.sheet-services h2").nth(i).inner_text() for i in range(2)] == names
    assert axe_violations(page) == []
    assert page.locator("#tulosta").is_visible(), "with JavaScript the print button is shown"
    copy = page.locator("#kopioi").input_value()
    assert all(name in copy for name in names) and "112" in copy

    page.emulate_media(media="print")
    assert not page.locator("#kopioi").is_visible() and not page.locator("#tulosta").is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    page.screenshot(path=str(SCREENSHOTS / "referral-sheet-sv.png"), full_page=True)
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3, "two services fit on one to three A4 pages"
    context.close()
