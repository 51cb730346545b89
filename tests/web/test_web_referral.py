"""The referral sheet (/haku/kooste): picked services for the client, as a page, as text and as JSON, in
Finnish, Swedish and English; what it says of each service is checked against the HSDS API's record."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import MakeClient
from tests.web.test_web_page import tags


@pytest.fixture
async def demo(make_client: MakeClient, demo_db_url: str) -> TestClient:
    return await make_client(demo_db_url)


async def _picked(client: TestClient, query: str, n: int) -> list[dict[str, Any]]:
    data = await (await client.get(f"/haku.json?{query}")).json()
    assert len(data["results"]) >= n
    return list(data["results"][:n])


def _phones(record: dict[str, Any]) -> set[str]:
    found = {p["number"] for p in record.get("phones") or []}
    for sal in record.get("service_at_locations") or []:
        found |= {p["number"] for p in (sal.get("location") or {}).get("phones") or []}
    return found


async def test_the_sheet_lists_the_picked_services_in_order_with_their_contacts(demo: TestClient) -> None:
    picked = await _picked(demo, "q=velkaneuvonta&municipality=285", 3)
    order = [picked[2]["id"], picked[0]["id"]]  # the professional's own order
    response = await demo.get(f"/haku/kooste?id={order[0]}&id={order[1]}&id={order[0]}")
    assert response.status == 200
    html = await response.text()
    assert tags(html, "html") == [{"lang": "fi"}]
    twin = await (await demo.get(f"/haku/kooste.json?id={order[0]}&id={order[1]}")).json()
    assert [s["id"] for s in twin["services"]] == order  # a repeated pick is listed once
    text = twin["text"]
    positions = []
    for service_id in order:
        record = await (await demo.get(f"/api/hsds/services/{service_id}")).json()
        assert record["name"] in html and record["name"] in text
        positions.append(text.index(record["name"]))
        phones = _phones(record) | _phones(record["organization"])
        shown = [a["href"] for a in tags(html, "a") if (a.get("href") or "").startswith("tel:")]
        if phones:
            assert any(p.replace(" ", "") in {h.removeprefix("tel:") for h in shown} for p in phones)
    assert positions == sorted(positions)
    assert "112" in text and "112" in html


@pytest.mark.parametrize(("lang", "heading", "hours_word"),
                         [("sv", "Tjänster som kan hjälpa", "Öppettider"),
                          ("en", "Services that may help", "Opening hours")])
async def test_the_sheet_in_swedish_and_english(demo: TestClient, lang: str, heading: str,
                                                hours_word: str) -> None:
    picked = await _picked(demo, "q=ruoka-apu&municipality=286", 2)
    ids = "&".join(f"id={p['id']}" for p in picked)
    html = await (await demo.get(f"/haku/kooste?{ids}&lang={lang}")).text()
    assert tags(html, "html") == [{"lang": lang}]
    assert heading in html
    data = await (await demo.get(f"/haku/kooste.json?{ids}&lang={lang}")).json()
    assert data["language"] == lang and data["text"].startswith(heading)
    finnish = await (await demo.get(f"/haku/kooste.json?{ids}")).json()
    for ours, theirs in zip(data["services"], finnish["services"], strict=True):
        if theirs["opening_hours"] and any(c.isdigit() for c in theirs["opening_hours"]):
            assert hours_word in data["text"]
            # the hours are written in the sheet's language ("ma–pe" is Finnish only)
            assert ours["opening_hours"] != theirs["opening_hours"] or not any(
                day in theirs["opening_hours"] for day in ("ma", "ti", "ke", "to", "pe", "la", "su"))


@pytest.mark.parametrize(("query", "parameter"), [("", "id"), ("id=no-such-service", "id"),
                                                   ("id=x&lang=de", "lang")])
async def test_a_bad_request_names_its_parameter(demo: TestClient, query: str, parameter: str) -> None:
    response = await demo.get(f"/haku/kooste.json?{query}")
    assert response.status == 400
    assert (await response.json())["error"]["parameter"] == parameter
    page = await demo.get(f"/haku/kooste?{query}")
    assert page.status == 400


async def test_the_lookup_cards_can_be_picked_for_the_sheet(demo: TestClient) -> None:
    html = await (await demo.get("/haku?q=velkaneuvonta&municipality=285")).text()
    forms = [f for f in tags(html, "form") if f.get("action") == "/haku/kooste"]
    assert forms and forms[0].get("method") == "get"
    boxes = [i for i in tags(html, "input") if i.get("name") == "id" and i.get("type") == "checkbox"]
    cards = [li for li in tags(html, "li") if li.get("class") == "card"]
    assert len(boxes) == len(cards) > 0
