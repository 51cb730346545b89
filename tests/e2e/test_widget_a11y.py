"""WCAG 2.1 AA of every widget surface in real Chromium: axe-core (0 violations) on the demo page, the other
origin's page and the full-page chat, at 1280 and 320 CSS pixels, before the first message, with the crisis
banner, with service cards and with a report form open; and 200 % zoom without horizontal scrolling.

200 % zoom is emulated the way a browser zooms: a 1280×800 window at 200 % lays the page out in a 640×400
CSS-pixel viewport, so the tests use that viewport (not CSS ``zoom``, which does not change the layout
viewport and so hides reflow problems)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ovi_stack.run import Stack
from tests.e2e.conftest import Site, axe_violations, screenshot, send

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SURFACES = ("demo", "embed", "chat")
SHOTS = {("demo", 320): "widget-demo-320.png", ("chat", 1280): "chat-page.png",
         ("chat", 320): "chat-page-320.png", ("embed", 320): "widget-embed-320.png"}


def _open(browser: Browser, stack: Stack, embed_site: Site, surface: str, width: int, height: int) -> Page:
    context = browser.new_context(locale="fi-FI", viewport={"width": width, "height": height},
                                  bypass_csp=True)
    page = context.new_page()
    url = {"demo": f"{stack.web_url}/demo", "embed": f"{embed_site.origin}/", "chat": f"{stack.web_url}/"}
    page.goto(url[surface])
    if surface != "chat":
        page.get_by_role("button", name="Avaa Ovi-keskustelu").click()
    page.wait_for_selector(".ovi-privacy")
    return page


def _reflow_problems(page: Page) -> dict[str, Any]:
    """What sticks out sideways: the page scrolls horizontally, or a visible widget element is cut off."""
    result: dict[str, Any] = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const scroll = document.documentElement.scrollWidth > width;
        const log = document.querySelector('.ovi-log');
        const cut = [...document.querySelectorAll('.ovi-widget *, .ovi-launcher')].filter(e => {
            const r = e.getBoundingClientRect();
            if (!r.width || !r.height || e.closest('.ovi-sr-only')) return false;
            const box = log.contains(e) ? log.getBoundingClientRect() : {left: 0, right: width};
            return r.left < box.left - 1 || r.right > box.right + 1;
        }).map(e => e.className || e.tagName).slice(0, 5);
        return {scroll, cut};
    }""")
    return result


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("surface", SURFACES)
def test_no_wcag_violations_before_and_with_crisis_banner_cards_and_report_form(
        browser: Browser, stack: Stack, embed_site: Site, surface: str, width: int) -> None:
    page = _open(browser, stack, embed_site, surface, width, 800 if width > 320 else 640)
    found = {"before the first message": axe_violations(page)}
    if (surface, width) == ("demo", 1280):
        screenshot(page, "widget-privacy.png")  # the notice before the first message

    send(page, "en jaksa enää elää")
    page.locator(".ovi-crisis[role=alert]").first.wait_for(state="visible", timeout=60_000)
    found["crisis banner"] = axe_violations(page)
    if (surface, width) == ("demo", 1280):
        screenshot(page, "widget-crisis.png")
    elif (surface, width) == ("demo", 320):
        screenshot(page, "widget-crisis-320.png")

    page.get_by_role("button", name="Aloita alusta: tyhjennä keskustelu ja aloita uusi").click()
    send(page, "mulla ei oo kämppää")
    send(page, "Kotkassa")
    page.wait_for_selector(".ovi-service", timeout=60_000)
    found["service cards"] = axe_violations(page)
    found["reflow with cards"] = _reflow_problems(page)
    if (surface, width) in SHOTS:
        screenshot(page, SHOTS[(surface, width)])

    page.locator(".ovi-service button.ovi-report-open").first.click()
    found["report form open"] = axe_violations(page)

    assert found == {"before the first message": [], "crisis banner": [], "service cards": [],
                     "reflow with cards": {"scroll": False, "cut": []}, "report form open": []}
    page.context.close()


@pytest.mark.parametrize("surface", ["demo", "chat"])
def test_200_percent_zoom_keeps_everything_usable(browser: Browser, stack: Stack, embed_site: Site,
                                                  surface: str) -> None:
    page = _open(browser, stack, embed_site, surface, 640, 400)
    send(page, "mulla ei oo kämppää")
    send(page, "Kotkassa")
    page.wait_for_selector(".ovi-service", timeout=60_000)
    assert _reflow_problems(page) == {"scroll": False, "cut": []}
    # The controls one needs are on screen (or scrolled to, on the full page) and usable.
    for selector in ("#ovi-input", "#ovi-send", "button.ovi-exit", "button.ovi-restart"):
        control = page.locator(selector)
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 640, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= 400, selector
    if surface == "demo":
        # The floating panel leaves the launcher visible (to close it) and stays inside the viewport.
        panel = page.locator("#ovi-panel").bounding_box()
        assert panel is not None and panel["y"] >= 0 and panel["y"] + panel["height"] <= 400
        assert page.locator(".ovi-launcher").is_visible()
        screenshot(page, "widget-demo-zoom-200.png")
    assert axe_violations(page) == []
    page.context.close()
