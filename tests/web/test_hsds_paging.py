"""Paging in the database, the search order, the Finnish extensions and the filters still waiting for data.

On the seven-service fixture (``fixtures/directory_small.json``) and the demo directory; every response is
validated against the OpenAPI document and the HSDS 3.0 schemas it refers to (``webtest_hsds.get_json``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import event, select
from webtest_hsds import get_json

from directory_db.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from directory_db.text_analysis import finnish_sort_key

API = "/api/hsds"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://test.ovi.invalid/web-fixture")  # as in fixtures/build_fixture.py
SLUGS = ("kotka-ruoka", "kymen-sosiaali", "kriisipuhelin", "nuorten-paja", "kouvola-ruoka", "tampere-ruoka",
         "helsinki-velka")  # fmt: skip
SLUG_BY_ID = {str(uuid.uuid5(NS, f"service/{slug}")): slug for slug in SLUGS}


def oid(slug: str) -> str:
    return str(uuid.uuid5(NS, f"org/{slug}"))


def slugs(page: dict[str, Any]) -> list[str]:
    return [SLUG_BY_ID[item["id"]] for item in page["contents"]]


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["contents"]]


async def all_pages(client: TestClient, path: str, per_page: int) -> list[str]:
    """Ids page by page until the last page; the envelope agrees with itself on every page."""
    sep = "&" if "?" in path else "?"
    found: list[str] = []
    number = 1
    while True:
        page = await get_json(client, f"{path}{sep}per_page={per_page}&page={number}")
        assert page["page_number"] == number and page["size"] == len(page["contents"]) <= per_page
        assert page["first_page"] is (number == 1)
        assert page["total_pages"] == -(-page["total_items"] // per_page)
        found += ids(page)
        if page["last_page"]:
            assert len(found) == page["total_items"]
            return found
        assert page["size"] == per_page
        number += 1


@contextmanager
def counting_loads(*models: type) -> Iterator[dict[str, int]]:
    """How many rows of each model the ORM loads (``load`` events) inside the block."""
    counts = {model.__name__: 0 for model in models}
    listeners = []
    for model in models:

        def on_load(target: Any, context: Any, name: str = model.__name__) -> None:
            counts[name] += 1

        event.listen(model, "load", on_load)
        listeners.append((model, on_load))
    try:
        yield counts
    finally:
        for model, listener in listeners:
            event.remove(model, "load", listener)


# --- paging ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/services",
        "/services?municipality=285",
        "/services?search=ruoka-apu",
        "/services?taxonomy_id=nope",
        "/services?modified_after=2025-02-01",
        "/organizations",
        "/organizations?search=ry",
        "/taxonomies",
        "/taxonomy_terms",
        "/taxonomy_terms?taxonomy=ptvserclass2",
        "/service_at_locations",
        "/service_at_locations?search=ruoka",
    ],
)
async def test_pages_neither_overlap_nor_skip(client: TestClient, path: str) -> None:
    everything = ids(await get_json(client, f"{API}{path}{'&' if '?' in path else '?'}per_page=500"))
    for per_page in (1, 2, 3):
        assert await all_pages(client, API + path, per_page) == everything


async def test_a_page_past_the_end_is_empty(client: TestClient) -> None:
    for path in ("/services", "/services?municipality=285", "/organizations", "/taxonomy_terms"):
        page = await get_json(client, f"{API}{path}{'&' if '?' in path else '?'}page=2147483647&per_page=500")
        assert page["size"] == 0 and page["contents"] == [] and page["empty"] and page["last_page"]
        assert page["total_items"] > 0


@pytest.mark.parametrize(
    ("path", "model", "expected"),
    [
        ("/services?per_page=2", Service, 2),
        ("/services?per_page=2&page=3", Service, 2),
        ("/services?per_page=2&organization_id=" + oid("kotkan-ruoka-apu"), Service, 1),
        ("/services?per_page=2&search=ruoka-apu", Service, 2),
        ("/services?per_page=2&municipality=285&modified_after=2025-01-01", Service, 2),
        ("/services?per_page=2&page=99", Service, 0),
        ("/organizations?per_page=2", Organization, 2),
        ("/organizations?per_page=2&search=ry", Organization, 2),
        ("/taxonomies?per_page=1", Taxonomy, 1),
        ("/taxonomy_terms?per_page=2", TaxonomyTerm, 2),
        ("/service_at_locations?per_page=1", ServiceAtLocation, 1),
        ("/service_at_locations?per_page=1&search=ruoka", ServiceAtLocation, 1),
    ],
)
async def test_only_the_page_is_loaded(client: TestClient, path: str, model: type, expected: int) -> None:
    """Listing loads the page's rows and no others (ids and sort keys stay in the database or the index)."""
    with counting_loads(model) as counts:
        page = await get_json(client, API + path)
    assert page["size"] == expected
    assert counts[model.__name__] == expected, counts


# --- order ------------------------------------------------------------------------------------------------


async def test_without_ranking_services_are_in_finnish_order(make_client: Any, demo_db_url: str) -> None:
    client = await make_client(demo_db_url)
    page = await get_json(client, f"{API}/services?per_page=500")
    names = [item["name"] for item in page["contents"]]
    assert names == sorted(names, key=finnish_sort_key)  # the project's Finnish order, made in SQL here
    assert names.index("Yömaja") > names.index("Ystävätoiminta")  # ö after s, å/ä/ö after z
    assert names.index("Täydentävä ja ehkäisevä toimeentulotuki") > names.index("Turvakoti")


async def test_search_is_best_first_and_combines_with_sql_filters(client: TestClient) -> None:
    page = await get_json(client, f"{API}/services?search=kriisipuhelin")
    assert slugs(page)[0] == "kriisipuhelin"
    food = await get_json(client, f"{API}/services?search=ruoka-apu")
    assert {"kotka-ruoka", "kouvola-ruoka", "tampere-ruoka"} <= set(slugs(food))
    # The SQL conditions keep the search's order.
    recent = await get_json(client, f"{API}/services?search=ruoka-apu&modified_after=2025-02-10")
    assert slugs(recent) == [s for s in slugs(food) if s in {"kotka-ruoka", "tampere-ruoka"}]
    one = await get_json(client, f"{API}/services?search=ruoka-apu&organization_id={oid('kotkan-ruoka-apu')}")
    assert slugs(one) == ["kotka-ruoka"]
    sal = await get_json(client, f"{API}/service_at_locations?search=ruoka-apu&municipality=285")
    assert [item["service"]["id"] for item in sal["contents"]] == [
        ids(food)[slugs(food).index("kotka-ruoka")]
    ]


async def test_search_order_is_the_search_ranking(make_client: Any, demo_db_url: str) -> None:
    """The API's order is directory_db's ranking (rank_services), page after page."""
    from directory_db.db import make_engine, make_session_factory
    from directory_db.search import rank_services

    client = await make_client(demo_db_url)
    engine = make_engine(demo_db_url)
    try:
        for query, municipality in (("päihdeongelma", None), ("asunnoton", "285"), ("velkaa", "286")):
            with make_session_factory(engine)() as session:
                expected = [
                    r.service_id
                    for r in rank_services(
                        session, query, municipality=municipality, limit=None, active_only=False
                    )
                ]
            path = f"{API}/services?search={quote(query)}" + (
                f"&municipality={municipality}" if municipality else ""
            )
            assert expected, query
            assert await all_pages(client, path, 4) == expected, query
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_postgres_url(postgres_server: Any) -> Iterator[str]:
    """The demo directory on the session's throwaway PostgreSQL (Finnish ICU collation, Helsinki time)."""
    from directory_db.db import make_engine, make_session_factory
    from directory_db.importers import import_hsds_json
    from directory_db.migrate import upgrade
    from tests.web.conftest import DEMO

    url: str = postgres_server.create_database()
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            import_hsds_json(session, DEMO)
    finally:
        engine.dispose()
    yield url
    postgres_server.drop_database(url)


async def test_pages_are_the_same_on_postgresql(
    make_client: Any, demo_db_url: str, demo_postgres_url: str
) -> None:
    """The order made in SQL (Finnish sort key, byte-compared) does not depend on the database's collation:
    page by page, PostgreSQL and SQLite list the same ids."""
    sqlite, postgres = await make_client(demo_db_url), await make_client(demo_postgres_url)
    for path in (
        "/services",
        "/services?modified_after=2025-01-01T00:00:00%2B02:00",
        "/organizations",
        "/organizations?search=ry",
        "/taxonomies",
        "/taxonomy_terms",
        "/service_at_locations",
        "/services?municipality=285",
    ):
        assert await all_pages(postgres, API + path, 7) == await all_pages(sqlite, API + path, 7), path


# --- the Finnish extensions -------------------------------------------------------------------------------


async def test_provider_type(client: TestClient) -> None:
    async def found(value: str) -> set[str]:
        return set(slugs(await get_json(client, f"{API}/services?provider_type={value}&per_page=500")))

    assert await found("parish") == {"tampere-ruoka"}
    assert await found("private") == {"nuorten-paja"}
    assert await found("public") == {"kymen-sosiaali", "kouvola-ruoka", "helsinki-velka"}
    assert await found("ngo") == {"kotka-ruoka", "kriisipuhelin"}
    both = await get_json(client, f"{API}/services?provider_type=public&municipality=285")
    assert slugs(both) == ["kymen-sosiaali"]


async def test_language(client: TestClient, make_client: Any, demo_db_url: str) -> None:
    assert (await get_json(client, f"{API}/services?language=fi"))["total_items"] == 7
    assert (await get_json(client, f"{API}/services?language=sv"))["total_items"] == 0
    demo = await make_client(demo_db_url)
    swedish = await get_json(demo, f"{API}/services?language=sv&per_page=500")
    everything = await get_json(demo, f"{API}/services?per_page=500")
    assert 0 < swedish["total_items"] < everything["total_items"]
    for item in swedish["contents"]:
        full = await get_json(demo, f"{API}/services/{item['id']}")
        assert "sv" in {language.get("code") for language in full["languages"]}


async def test_municipality_target_group_and_modified_after_together(client: TestClient) -> None:
    page = await get_json(client, f"{API}/services?municipality=285&target_group=KR1.3")
    assert set(slugs(page)) == {"kotka-ruoka", "kymen-sosiaali", "nuorten-paja", "kriisipuhelin"}
    page = await get_json(client, f"{API}/services?municipality=285&modified_after=2025-04-15")
    assert set(slugs(page)) == {"nuorten-paja", "kriisipuhelin"}


@pytest.mark.parametrize(
    "value",
    [
        "2025-04-01T00:00:00Z",
        "2025-04-01T03:00:00+03:00",
        "2025-03-31T21:00:00-03:00",
        "2025-04-01t00:00:00z",
        "2025-04-01T00:00:00.000000Z",
        "2025-04-01T00:00:00",
        "2025-04-01",
    ],
)
async def test_modified_after_forms(client: TestClient, value: str) -> None:
    page = await get_json(client, f"{API}/services?modified_after={quote(value)}")
    assert set(slugs(page)) == {"kymen-sosiaali", "kriisipuhelin", "nuorten-paja"}


async def test_modified_after_at_the_ends_of_time(client: TestClient) -> None:
    # Before year 1 or after 9999 once in UTC: no overflow, just everything or nothing.
    early = await get_json(client, f"{API}/services?modified_after={quote('0001-01-01T00:00:00+05:00')}")
    assert early["total_items"] == 7
    late = await get_json(client, f"{API}/services?modified_after={quote('9999-12-31T23:00:00-05:00')}")
    assert late["total_items"] == 0


# --- Ovi's profile flags ---------------------------------------------------------------------------------

# ovi_cost / ovi_eligibility attributes (profile.OVI_TAXONOMIES) added to the small fixture: (taxonomy, code,
# value); a value "false" says the flag does not hold.
FLAGGED: dict[str, list[tuple[str, str, str | None]]] = {
    "kotka-ruoka": [("ovi_cost", "free", None), ("ovi_eligibility", "anonymous", None)],
    "kriisipuhelin": [("ovi_cost", "free", "true"), ("ovi_eligibility", "anonymous", "")],
    "kymen-sosiaali": [("ovi_cost", "free", "false")],
    "nuorten-paja": [("ovi_cost", "fee", None)],
    "kouvola-ruoka": [("ovi_cost", "free", None), ("ovi_eligibility", "anonymous", "false")],
    "tampere-ruoka": [("ovi_cost", "free", None), ("ovi_cost", "service_voucher", None)],
}
FREE = {"kotka-ruoka", "kriisipuhelin", "kouvola-ruoka", "tampere-ruoka"}
ANONYMOUS = {"kotka-ruoka", "kriisipuhelin"}


@pytest.fixture(scope="module")
def flags_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from directory_db.importers.terms import ovi_attribute
    from tests.web.conftest import FIXTURE, build_database

    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for record in records:
        for taxonomy, code, value in FLAGGED.get(SLUG_BY_ID[record["id"]], []):
            record["attributes"].append(ovi_attribute(record["id"], taxonomy, code, value))
    source = tmp_path_factory.mktemp("flags") / "directory_flags.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return build_database(source.parent / "ovi.sqlite3", source)


async def test_free_of_charge_and_anonymous(make_client: Any, flags_db_url: str) -> None:
    client = await make_client(flags_db_url)

    async def found(query: str, path: str = "/services") -> list[str]:
        return slugs(await get_json(client, f"{API}{path}?{query}&per_page=500"))

    assert set(await found("free_of_charge=true")) == FREE
    assert set(await found("anonymous=true")) == ANONYMOUS
    assert set(await found("free_of_charge=true&anonymous=true")) == FREE & ANONYMOUS
    assert len(await found("free_of_charge=false")) == 7
    # With the search's ranking: the same order, fewer services.
    ranked = await found("municipality=285")
    assert await found("municipality=285&free_of_charge=true") == [s for s in ranked if s in FREE]
    food = await found("search=ruoka-apu")
    assert await found("search=ruoka-apu&free_of_charge=true") == [s for s in food if s in FREE]
    assert await found("search=ruoka-apu&anonymous=true") == [s for s in food if s in ANONYMOUS]
    # Services at locations follow their services.
    sal = await get_json(client, f"{API}/service_at_locations?free_of_charge=true")
    assert [SLUG_BY_ID[item["service"]["id"]] for item in sal["contents"]] == ["kotka-ruoka"]
    assert (await get_json(client, f"{API}/service_at_locations?anonymous=true&municipality=286"))["empty"]


def test_flags_mean_what_service_facts_say(flags_db_url: str) -> None:
    """The SQL conditions agree with directory_db.service_facts.is_free / is_anonymous on every service."""
    from directory_db import service_facts
    from directory_db.db import make_engine, make_session_factory
    from ovi_web import hsds_queries as q

    engine = make_engine(flags_db_url)
    try:
        with make_session_factory(engine)() as session:
            everything = session.scalars(select(Service)).all()
            for filters, fact in (
                (q.ServiceFilter(free_of_charge=True), service_facts.is_free),
                (q.ServiceFilter(anonymous=True), service_facts.is_anonymous),
            ):
                in_sql = set(session.scalars(select(Service.id).where(*filters.conditions())))
                assert in_sql == {s.id for s in everything if fact(s)}, filters
    finally:
        engine.dispose()


# --- open now ------------------------------------------------------------------------------------------


async def test_open_now_narrows_the_list(make_client: Any, demo_db_url: str) -> None:
    """The services open now (service_facts.open_now), in the list's order."""
    from datetime import datetime, timezone

    from directory_db import service_facts
    from directory_db.db import make_engine, make_session_factory

    client = await make_client(demo_db_url)
    everything = ids(await get_json(client, f"{API}/services?municipality=285&per_page=500"))
    narrowed = ids(await get_json(client, f"{API}/services?municipality=285&per_page=500&open_now=true"))
    engine = make_engine(demo_db_url)
    try:
        with make_session_factory(engine)() as session:
            now = datetime.now(timezone.utc)
            open_ids = {s.id for s in session.scalars(select(Service)) if service_facts.open_now(s, now)}
    finally:
        engine.dispose()
    assert narrowed == [i for i in everything if i in open_ids]
