"""The HSDS API on PostgreSQL (the production backend): the demo directory on the session's throwaway server
(``postgres_server`` in tests/conftest.py) answers exactly as the same directory on SQLite does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from webtest_hsds import assert_valid

from directory_db.db import make_engine, make_session_factory
from directory_db.importers import import_hsds_json
from directory_db.migrate import upgrade
from ovi_stack.postgres import TemporaryPostgres

API = "/api/hsds"
DEMO = Path(__file__).resolve().parents[2] / "directory_db" / "data" / "demo" / "kymenlaakso_demo.json"
MakeClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture(scope="module")
def demo_postgres_url(postgres_server: TemporaryPostgres) -> Iterator[str]:
    url = postgres_server.create_database()
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            import_hsds_json(session, DEMO)
    finally:
        engine.dispose()
    yield url
    postgres_server.drop_database(url)


async def get_json(client: TestClient, path: str) -> Any:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return _without_import_history(await response.json())


def _without_import_history(data: Any) -> Any:
    """The answer without the history rows each database's own import wrote (their time and ids differ)."""
    if isinstance(data, dict):
        return {
            key: (
                [m for m in value if not str(m.get("updated_by", "")).startswith("import:")]
                if key == "metadata" and isinstance(value, list)
                else _without_import_history(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_without_import_history(item) for item in data]
    return data


async def test_hsds_api_on_postgresql_answers_as_on_sqlite(
    make_client: MakeClient, demo_postgres_url: str, demo_db_url: str
) -> None:
    postgres = await make_client(demo_postgres_url)
    sqlite = await make_client(demo_db_url)

    page = await get_json(postgres, f"{API}/services?search=päihde&municipality=285")
    assert page["total_items"] > 0 and page["contents"]
    for item in page["contents"]:
        assert_valid("compiled/service_list.json", item)
    assert page == await get_json(sqlite, f"{API}/services?search=päihde&municipality=285")

    first = page["contents"][0]["id"]
    service = await get_json(postgres, f"{API}/services/{first}")
    assert service["id"] == first
    assert_valid("compiled/service.json", service)
    assert service == await get_json(sqlite, f"{API}/services/{first}")  # timestamps in UTC, "…Z"

    # Orders made in Python (Finnish names) and timestamp filters: the same on both.
    for path in (
        f"{API}/services?per_page=200",
        f"{API}/services?modified_after=2025-01-01T00:00:00%2B02:00&per_page=200",
        f"{API}/organizations?per_page=200",
        f"{API}/taxonomy_terms?per_page=200",
    ):
        assert await get_json(postgres, path) == await get_json(sqlite, path), path
