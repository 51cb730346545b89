"""The professionals' quick lookup ``/haku`` and its JSON twin, on a real SQLite directory (the demo data).

What is checked against the directory itself (the HSDS API's records), not against what the lookup says of
them: the filters hold for every result, the page and its twin list the same services, a confidential
address never reaches the page, and a bad parameter is named.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from directory_db.importers.terms import ovi_attribute
from ovi_lang.needs import NEEDS
from tests.web.conftest import FIXTURE, MakeClient, build_database
from tests.web.test_web_page import tags


@pytest.fixture
async def demo(make_client: MakeClient, demo_db_url: str) -> TestClient:
    return await make_client(demo_db_url)


async def _json(client: TestClient, query: str) -> dict[str, Any]:
    response = await client.get(f"/haku.json?{query}")
    assert response.status == 200, await response.text()
    data: dict[str, Any] = await response.json()
    return data


async def _record(client: TestClient, service_id: str) -> dict[str, Any]:
    """The service as the HSDS API gives it: the directory's own record."""
    response = await client.get(f"/api/hsds/services/{service_id}")
    assert response.status == 200
    data: dict[str, Any] = await response.json()
    return data


def _codes(record: dict[str, Any], taxonomy: str) -> set[str]:
    return {(a.get("taxonomy_term") or {}).get("code") for a in record.get("attributes") or []
            if (a.get("taxonomy_term") or {}).get("taxonomy") == taxonomy}


def _card_ids(html: str) -> list[str]:
    return [str(li["id"]).removeprefix("palvelu-") for li in tags(html, "li") if li.get("class") == "card"]


async def test_a_search_lists_cards_and_its_json_twin_lists_the_same(demo: TestClient) -> None:
    response = await demo.get("/haku?q=p%C3%A4ihdepalvelut&municipality=285")
    assert response.status == 200
    html = await response.text()
    ids = _card_ids(html)
    assert ids, "a common need in Kotka should find services"
    link = response.headers["Link"]
    match = re.fullmatch(r'<(/haku\.json\?[^>]+)>; rel="alternate"; type="application/json"', link)
    assert match is not None, link
    twin = await demo.get(match.group(1))
    data = await twin.json()
    assert [r["id"] for r in data["results"]] == ids
    assert data["query"] == {"q": "päihdepalvelut", "municipality": "285"}
    assert tags(html, "input")[0]["value"] == "päihdepalvelut"  # the form keeps the query
    for result in data["results"]:
        assert (await _record(demo, result["id"]))["name"] in html
    for result in data["results"][:3]:  # the best ones are substance-use services (PTV class P5.x)
        record = await _record(demo, result["id"])
        assert "P5" in {c.split(".")[0] for c in _codes(record, "ptvserclass2")}, record["name"]


async def test_a_need_filter_keeps_only_services_of_its_classes(demo: TestClient) -> None:
    wanted = NEEDS["debt"].service_classes
    data = await _json(demo, "need=debt&municipality=286")
    assert data["results"]
    for result in data["results"]:
        classes = _codes(await _record(demo, result["id"]), "ptvserclass2")
        assert any(c == w or c.startswith(w + ".") for c in classes for w in wanted), \
            (result["name"], classes)


async def test_provider_free_and_open_filters_hold_for_every_result(demo: TestClient) -> None:
    everyone = await _json(demo, "municipality=285")
    ngos = await _json(demo, "municipality=285&provider_type=ngo")
    assert ngos["results"] and any(r["provider_type"] != "ngo" for r in everyone["results"])
    for result in ngos["results"]:
        record = await _record(demo, result["id"])
        org_url = f"/api/hsds/organizations/{record['organization']['id']}"
        organization = await (await demo.get(org_url)).json()
        assert "Organization" in _codes(organization, "ptv_organization_type") or \
            organization["name"].endswith(("ry", "ry (demo)")), organization["name"]
    free = await _json(demo, "municipality=285&free_of_charge=true")
    assert 0 < free["count"] <= everyone["count"]
    for result in free["results"]:
        assert "free" in _codes(await _record(demo, result["id"]), "ovi_cost")
    open_now = await _json(demo, "municipality=285&open_now=true")
    assert all(r["open_now"] or r["always_open"] for r in open_now["results"])


async def test_an_empty_form_lists_nothing_and_asks(demo: TestClient) -> None:
    response = await demo.get("/haku")
    html = await response.text()
    assert response.status == 200
    assert _card_ids(html) == []
    assert "Hae palveluja" in html
    assert (await _json(demo, ""))["results"] == []


@pytest.mark.parametrize(("query", "parameter"), [("municipality=999", "municipality"),
                                                   ("need=crisis", "need"),
                                                   ("service_class=P99.9", "service_class"),
                                                   ("open_now=maybe", "open_now")])
async def test_a_bad_parameter_is_named_on_the_page_and_in_the_twin(demo: TestClient, query: str,
                                                                   parameter: str) -> None:
    response = await demo.get(f"/haku?{query}")
    assert response.status == 400
    html = await response.text()
    assert f"Hakua ei voitu tehdä: {parameter}:" in html
    assert tags(html, "form"), "the form is shown again to correct the search"
    twin = await demo.get(f"/haku.json?{query}")
    assert twin.status == 400
    assert (await twin.json())["error"]["parameter"] == parameter


async def test_the_query_is_escaped(demo: TestClient) -> None:
    html = await (await demo.get("/haku?q=%3Cscript%3Ealert(1)%3C/script%3E")).text()
    assert "<script>alert(1)" not in html
    assert tags(html, "input")[0]["value"] == "<script>alert(1)</script>"


async def test_a_confidential_address_is_never_shown(make_client: MakeClient, tmp_path: Path) -> None:
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    service = next(r for r in records if any((sal.get("location") or {}).get("addresses")
                                             for sal in r.get("service_at_locations") or []))
    location = next(sal["location"] for sal in service["service_at_locations"]
                    if sal["location"].get("addresses"))
    street = location["addresses"][0]["address_1"]
    before = await make_client(build_database(tmp_path / "open.sqlite3", FIXTURE))
    assert street in await (await before.get(f"/haku?q={service['name']}")).text(), \
        "the address is shown while it is not confidential"

    location.setdefault("attributes", []).append(
        ovi_attribute(location["id"], "ovi_location", "confidential_address"))
    shelter = tmp_path / "shelter.json"
    shelter.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    client = await make_client(build_database(tmp_path / "shelter.sqlite3", shelter))
    html = await (await client.get(f"/haku?q={service['name']}")).text()
    assert service["id"] in _card_ids(html)
    assert street not in html
    data = await (await client.get(f"/haku.json?q={service['name']}")).json()
    assert street not in json.dumps(data, ensure_ascii=False)


async def test_a_county_filter_keeps_services_that_reach_the_county(demo: TestClient) -> None:
    """The demo directory is Kymenlaakso's (county 10) plus nationwide lines: in Lapland (21) only the
    nationwide ones are left; in Kymenlaakso the local ones come too."""
    kymenlaakso = await _json(demo, "county=10&q=apua")
    lapland = await _json(demo, "county=21&q=apua")
    assert lapland["results"] and len(kymenlaakso["results"]) > len(lapland["results"])
    for result in lapland["results"]:
        areas = (await _record(demo, result["id"]))["service_areas"]
        assert any(a.get("extent") == "FI" for a in areas), (result["name"], areas)
    local = 0
    for result in kymenlaakso["results"]:
        areas = (await _record(demo, result["id"]))["service_areas"]
        local += not any(a.get("extent") == "FI" for a in areas)
    assert local > 0
    response = await demo.get("/haku.json?county=99")
    assert response.status == 400 and (await response.json())["error"]["parameter"] == "county"
