"""The chat widget in real headless Chromium against the running stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from ovi_stack.run import Stack
from tests.e2e.conftest import axe_violations, send

pytestmark = [pytest.mark.e2e, pytest.mark.browser]



@pytest.fixture
def page(browser: Browser, stack: Stack) -> Iterator[Page]:
    context = browser.new_context(locale="fi-FI")
    tab = context.new_page()
    tab.goto(f"{stack.web_url}/")
    yield tab
    context.close()


def test_widget_asks_the_place_and_shows_services(page: Page) -> None:
    replies = send(page, "mulla ei oo kämppää")
    assert any("Missä kunnassa asut" in reply for reply in replies), replies

    send(page, "Kotkassa")
    page.wait_for_selector(".ovi-service", timeout=60_000)
    cards = page.locator(".ovi-service")
    assert cards.count() >= 3
    kinds = {cards.nth(i).get_attribute("data-provider-type") for i in range(cards.count())}
    assert {"ngo", "public"} <= kinds
    assert cards.locator(".ovi-service-hours").count() >= 3  # when each service is open
    assert cards.locator("a.ovi-service-phone[href^='tel:']").count() >= 3
    # The user's own words are shown as written, and the page keeps focus in the input.
    assert page.locator(".ovi-msg.ovi-user").first.inner_text().strip() == "mulla ei oo kämppää"
    assert page.evaluate("document.activeElement.id") == "ovi-input"


def test_widget_shows_crisis_help_first(page: Page) -> None:
    first_reply = send(page, "en jaksa enää elää")[0]
    assert "112" in first_reply and "09 2525 0111" in first_reply


def test_widget_shows_crisis_banner_above_the_reply(page: Page) -> None:
    # The standing emergency notice is in the header, visible before anything is typed.
    assert page.locator(".ovi-header-emergency a[href='tel:112']").is_visible()

    send(page, "en jaksa enää elää")
    banner = page.locator(".ovi-crisis[role=alert]").first
    banner.wait_for(state="visible", timeout=60_000)
    phones = banner.locator("a.ovi-crisis-phone")
    assert phones.first.get_attribute("href") == "tel:112"
    hrefs = [phones.nth(i).get_attribute("href") for i in range(phones.count())]
    assert "tel:0925250111" in hrefs[1:], hrefs
    # The banner is inside the bot message and comes before that message's text.
    assert banner.evaluate(
        """b => {
            const msg = b.closest('.ovi-msg.ovi-bot');
            const text = msg && msg.querySelector('.ovi-text');
            return Boolean(text) && b.compareDocumentPosition(text) === Node.DOCUMENT_POSITION_FOLLOWING;
        }"""
    )


@pytest.mark.parametrize("width", [1280, 320])
def test_the_chat_page_with_service_cards_has_no_wcag_violations(browser: Browser, stack: Stack,
                                                                  width: int) -> None:
    context = browser.new_context(locale="fi-FI", viewport={"width": width, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.goto(f"{stack.web_url}/")
    assert axe_violations(tab) == [], "before the first message"
    send(tab, "mulla ei oo kämppää")
    send(tab, "Kotka")
    tab.wait_for_selector(".ovi-service", timeout=60_000)
    assert axe_violations(tab) == [], "with the service cards"
    context.close()
