"""The HSDS 3.0 API on a real SQLite directory built from ``fixtures/directory_small.json``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from webtest_hsds import assert_valid, get_json

API = "/api/hsds"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://test.ovi.invalid/web-fixture")  # as in fixtures/build_fixture.py


def sid(slug: str) -> str:
    return str(uuid.uuid5(NS, f"service/{slug}"))


def oid(slug: str) -> str:
    return str(uuid.uuid5(NS, f"org/{slug}"))


ALL_SERVICES = {
    "kotka-ruoka", "kymen-sosiaali", "kriisipuhelin", "nuorten-paja", "kouvola-ruoka", "tampere-ruoka",
    "helsinki-velka",
}  # fmt: skip
SLUG_BY_ID = {sid(slug): slug for slug in ALL_SERVICES}


def slugs(page: dict[str, Any]) -> list[str]:
    return [SLUG_BY_ID[item["id"]] for item in page["contents"]]


def assert_envelope(page: dict[str, Any], *, total: int, page_number: int, size: int) -> None:
    assert set(page) == {
        "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents",
    }  # fmt: skip
    assert (page["total_items"], page["page_number"], page["size"]) == (total, page_number, size)
    assert len(page["contents"]) == size
    assert page["empty"] is (size == 0)


async def test_api_info(client: TestClient) -> None:
    info = await get_json(client, f"{API}/")
    assert info["version"] == "3.0"
    assert info["profile"].endswith("/api/hsds/profile")
    assert info["openapi_url"].endswith("/api/hsds/openapi.json")
    assert info["links"]["services"].endswith("/api/hsds/services")
    assert await get_json(client, API) == info
    profile = await get_json(client, f"{API}/profile")
    assert "ptvserclass2" in profile["taxonomies"] and "municipality" in profile["query_extensions"]
    assert set(profile["query_extensions"]) >= {"target_group", "language", "provider_type", "open_now"}
    openapi = await get_json(client, f"{API}/openapi.json")
    refs = {p["$ref"].rsplit("/", 1)[-1] for p in openapi["paths"]["/services"]["get"]["parameters"]}
    assert {"municipality", "target_group", "language", "provider_type", "free_of_charge"} <= refs


async def test_services_page_envelope_and_items_validate(client: TestClient) -> None:
    response = await client.get(f"{API}/services")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    page = await response.json()
    assert_envelope(page, total=7, page_number=1, size=7)
    assert page["first_page"] and page["last_page"] and page["total_pages"] == 1
    for item in page["contents"]:
        assert_valid("compiled/service_list.json", item)
        assert item["organization"]["name"]
    # Without a search: Finnish alphabetical order of name.
    names = [item["name"] for item in page["contents"]]
    assert names == sorted(names, key=str.casefold)
    assert set(slugs(page)) == ALL_SERVICES


async def test_services_paging(client: TestClient) -> None:
    first = await get_json(client, f"{API}/services?per_page=3")
    assert_envelope(first, total=7, page_number=1, size=3)
    assert (first["total_pages"], first["first_page"], first["last_page"]) == (3, True, False)
    last = await get_json(client, f"{API}/services?per_page=3&page=3")
    assert_envelope(last, total=7, page_number=3, size=1)
    assert (last["first_page"], last["last_page"]) == (False, True)
    seen = slugs(first) + slugs(await get_json(client, f"{API}/services?per_page=3&page=2")) + slugs(last)
    assert sorted(seen) == sorted(ALL_SERVICES)  # pages neither overlap nor skip
    beyond = await get_json(client, f"{API}/services?per_page=3&page=9")
    assert_envelope(beyond, total=7, page_number=9, size=0)


async def test_search_puts_the_best_match_first(client: TestClient) -> None:
    page = await get_json(client, f"{API}/services?search=kriisipuhelin")
    assert slugs(page)[0] == "kriisipuhelin"
    page = await get_json(client, f"{API}/services?search=ruoka-apu")
    found = slugs(page)
    assert {"kotka-ruoka", "kouvola-ruoka", "tampere-ruoka"} <= set(found)
    assert "helsinki-velka" not in found
    # A text that names one municipality is filtered by it (directory_db.search), as municipality=285 is.
    page = await get_json(client, f"{API}/services?search=ruoka-apua+Kotkassa")
    assert slugs(page)[0] == "kotka-ruoka"
    assert not {"kouvola-ruoka", "tampere-ruoka"} & set(slugs(page))


async def test_municipality_includes_county_region_and_nationwide(client: TestClient) -> None:
    page = await get_json(client, f"{API}/services?municipality=285")
    assert set(slugs(page)) == {"kotka-ruoka", "kymen-sosiaali", "nuorten-paja", "kriisipuhelin"}
    # Most local first when nothing else ranks them.
    assert slugs(page)[0] == "kotka-ruoka" and slugs(page)[-1] == "kriisipuhelin"
    food = await get_json(client, f"{API}/services?municipality=285&search=ruoka-apu")
    assert slugs(food)[0] == "kotka-ruoka"
    assert not {"kouvola-ruoka", "tampere-ruoka"} & set(slugs(food))
    kouvola = await get_json(client, f"{API}/services?municipality=286")
    assert "kouvola-ruoka" in slugs(kouvola) and "kotka-ruoka" not in slugs(kouvola)


async def test_standard_filters(client: TestClient) -> None:
    page = await get_json(client, f"{API}/services?organization_id={oid('kotkan-ruoka-apu')}")
    assert slugs(page) == ["kotka-ruoka"]
    term = (await get_json(client, f"{API}/taxonomy_terms?taxonomy=ptvserclass2&search=P5.20"))["contents"][0]
    page = await get_json(client, f"{API}/services?taxonomy_term_id={term['id']}")
    assert set(slugs(page)) == {"kotka-ruoka", "kouvola-ruoka", "tampere-ruoka"}
    page = await get_json(client, f"{API}/services?taxonomy_term_id={term['id']}&municipality=285")
    assert slugs(page) == ["kotka-ruoka"]
    page = await get_json(client, f"{API}/services?modified_after=2025-04-01T00:00:00Z")
    assert set(slugs(page)) == {"kymen-sosiaali", "kriisipuhelin", "nuorten-paja"}
    assert (await get_json(client, f"{API}/services?modified_after=2030-01-01"))["total_items"] == 0
    page = await get_json(client, f"{API}/services?organization_id=no-such-organization")
    assert page["total_items"] == 0 and page["empty"] is True


async def test_target_group_filter(client: TestClient) -> None:
    # KR1.1 (elderly people) is inside KR1: services for KR1 qualify, the youth workshop (KR1.3) does not.
    page = await get_json(client, f"{API}/services?target_group=KR1.1")
    assert "nuorten-paja" not in slugs(page) and "kriisipuhelin" in slugs(page)
    page = await get_json(client, f"{API}/services?target_group=KR1.3&municipality=285")
    assert "nuorten-paja" in slugs(page)


async def test_full_service_validates(client: TestClient) -> None:
    service = await get_json(client, f"{API}/services/{sid('kotka-ruoka')}")
    assert_valid("compiled/service.json", service)
    assert service["name"] == "Ruoka-apu Kotkassa"
    assert service["organization"]["name"] == "Kotkan Ruoka-apu ry"
    assert service["service_areas"][0]["uri"].endswith("/kunta_1_20230101/code/285")
    assert service["service_at_locations"][0]["location"]["addresses"][0]["city"] == "Kotka"
    terms = [a["taxonomy_term"] for a in service["attributes"]]
    ptv = {t["code"] for t in terms if t["taxonomy"] in ("ptvserclass2", "ptvkohderyhmat")}
    assert ptv == {"P5.20", "KR1"}


@pytest.mark.parametrize(
    "path",
    [
        "/services/00000000-0000-0000-0000-000000000000",
        "/organizations/nope",
        "/taxonomies/nope",
        "/taxonomy_terms/nope",
        "/service_at_locations/nope",
        "/no-such-collection",
    ],
)
async def test_unknown_ids_are_json_404(client: TestClient, path: str) -> None:
    body = await get_json(client, API + path, status=404)
    assert body["error"]["status"] == 404
    assert "Traceback" not in body["error"]["message"]
    if path != "/no-such-collection":  # the API's own 404s are in Finnish too
        assert body["error"]["message_fi"].startswith(("palvelua", "organisaatiota", "luokitus"))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=0", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=100000", "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("municipality=12", "municipality"),
        ("municipality=kotka", "municipality"),
        ("municipality=999", "municipality"),
        ("target_group=KR99", "target_group"),
        ("modified_after=yesterday", "modified_after"),
        ("modified_after=2025-13-01", "modified_after"),
        ("format=ndjson", "format"),
        ("language=fin", "language"),
        ("language=FI", "language"),
        ("provider_type=charity", "provider_type"),
        ("free_of_charge=maybe", "free_of_charge"),
        ("anonymous=2", "anonymous"),
        ("open_now=yes please", "open_now"),
        ("search=" + "x" * 201, "search"),
        ("organization_id=a%00b", "organization_id"),
    ],
)
async def test_bad_parameters_are_400_naming_the_parameter(
    client: TestClient, query: str, parameter: str
) -> None:
    body = await get_json(client, f"{API}/services?{query}", status=400)
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"].startswith(f"{parameter}: ")  # English
    assert body["error"]["message_fi"].startswith(f"{parameter}: ")  # and Finnish
    assert body["error"]["message_fi"] != body["error"]["message"]


async def test_bad_parameters_on_other_collections(client: TestClient) -> None:
    for path in ("/organizations?page=x", "/taxonomies?per_page=0", "/taxonomy_terms?top_only=maybe",
                 "/service_at_locations?municipality=1"):  # fmt: skip
        body = await get_json(client, API + path, status=400)
        assert body["error"]["parameter"] in path


async def test_organizations(client: TestClient) -> None:
    page = await get_json(client, f"{API}/organizations")
    assert_envelope(page, total=7, page_number=1, size=7)
    for item in page["contents"]:
        assert_valid("compiled/organization_list.json", item)
    found = await get_json(client, f"{API}/organizations?search=ruoka-apu")
    assert [o["id"] for o in found["contents"]] == [oid("kotkan-ruoka-apu")]
    full = await get_json(client, f"{API}/organizations/{oid('kotkan-ruoka-apu')}")
    assert_valid("compiled/organization.json", full)
    assert [s["id"] for s in full["services"]] == [sid("kotka-ruoka")]


async def test_taxonomies_and_terms(client: TestClient) -> None:
    terms = await get_json(client, f"{API}/taxonomy_terms?per_page=100")
    assert terms["total_items"] >= 8
    for term in terms["contents"]:
        assert_valid("taxonomy_term.json", term)
    classes = await get_json(client, f"{API}/taxonomy_terms?taxonomy=ptvserclass2")
    codes = [t["code"] for t in classes["contents"]]
    assert {"P5.20", "P5.7", "P28.3"} <= set(codes)
    assert codes.index("P5.7") < codes.index("P5.20")  # numeric, not text, order
    one = await get_json(client, f"{API}/taxonomy_terms/{classes['contents'][0]['id']}")
    assert one["id"] == classes["contents"][0]["id"]
    taxonomies = await get_json(client, f"{API}/taxonomies")
    for taxonomy in taxonomies["contents"]:
        assert_valid("taxonomy.json", taxonomy)
        assert (await get_json(client, f"{API}/taxonomies/{taxonomy['id']}"))["id"] == taxonomy["id"]
    by_name = {t["name"]: t["id"] for t in taxonomies["contents"]}
    groups = await get_json(client, f"{API}/taxonomy_terms?taxonomy_id={by_name['ptvkohderyhmat']}")
    assert {t["code"] for t in groups["contents"]} == {"KR1", "KR1.3"}
    assert (await get_json(client, f"{API}/taxonomy_terms?parent_id=nope"))["total_items"] == 0
    # taxonomy_id on /services: services with any term of that taxonomy.
    classified = await get_json(client, f"{API}/services?taxonomy_id={by_name['ptvserclass2']}")
    assert classified["total_items"] == 7
    assert (await get_json(client, f"{API}/services?taxonomy_id=nope"))["total_items"] == 0
    top = await get_json(client, f"{API}/taxonomy_terms?top_only=true&per_page=100")
    assert all("parent_id" not in t for t in top["contents"])


async def test_service_at_locations(client: TestClient) -> None:
    page = await get_json(client, f"{API}/service_at_locations")
    assert_envelope(page, total=1, page_number=1, size=1)
    item = page["contents"][0]
    assert_valid("compiled/service_at_location_list.json", item)
    assert item["service"]["id"] == sid("kotka-ruoka")
    full = await get_json(client, f"{API}/service_at_locations/{item['id']}")
    assert_valid("compiled/service_at_location.json", full)
    none = await get_json(client, f"{API}/service_at_locations?municipality=091")
    assert none["total_items"] == 0


async def test_demo_directory_validates(make_client: Any, demo_db_url: str) -> None:
    """Every service of the demo data, as list item and in full, validates; the Kotka filter holds."""
    client = await make_client(demo_db_url)
    page = await get_json(client, f"{API}/services?per_page=500")
    assert page["total_items"] == page["size"] > 20
    for item in page["contents"]:
        assert_valid("compiled/service_list.json", item)
        assert_valid("compiled/service.json", await get_json(client, f"{API}/services/{item['id']}"))
    kotka = await get_json(client, f"{API}/services?municipality=285&per_page=500")
    allowed = {
        "/kunta_1_20230101/code/285",
        "/hyvinvointialue_1_20211013/code/10",
        "/maakunta_1_20220101/code/08",
    }
    for item in kotka["contents"]:
        full = await get_json(client, f"{API}/services/{item['id']}")
        areas = full["service_areas"]
        assert any(
            a.get("extent") == "FI" or any(a.get("uri", "").endswith(x) for x in allowed) for a in areas
        )
    assert 0 < kotka["total_items"] < page["total_items"]
