"""Fixtures for the web app tests: the aiohttp app on a real SQLite database in tmp_path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from directory_db.db import make_engine, make_session_factory
from directory_db.importers import import_hsds_json
from directory_db.migrate import upgrade
from ovi_web.app import init_app
from ovi_web.settings import Settings

RASA_URL = "http://rasa.test:5005"
FIXTURE = Path(__file__).parent / "fixtures" / "directory_small.json"
DEMO = Path(__file__).resolve().parents[2] / "directory_db" / "data" / "demo" / "kymenlaakso_demo.json"


def build_database(path: Path, source: Path) -> str:
    """A real SQLite directory: migrated (Alembic), then ``source`` imported with the HSDS-JSON importer."""
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            import_hsds_json(session, source)
    finally:
        engine.dispose()
    return url


MakeClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
def rasa_url() -> str:
    return RASA_URL


@pytest.fixture
def empty_db_url(tmp_path: Path) -> str:
    """An SQLite file with no schema: enough for the page, the widget and /healthz."""
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture(scope="session")
def small_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seven-service fixture (read-only for the tests, so built once)."""
    return build_database(tmp_path_factory.mktemp("small") / "ovi.sqlite3", FIXTURE)


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not DEMO.exists():
        pytest.skip("demo data not present")
    return build_database(tmp_path_factory.mktemp("demo") / "ovi.sqlite3", DEMO)


@pytest.fixture
def make_client(aiohttp_client: Any) -> MakeClient:
    """``await make_client(database_url, **env)``: a test client for an app with those settings."""

    async def factory(database_url: str, **env: str) -> TestClient:
        settings = Settings.from_env({"DATABASE_URL": database_url, "OVI_RASA_URL": RASA_URL, **env})
        client: TestClient = await aiohttp_client(init_app(settings))
        return client

    return factory


@pytest.fixture
async def plain_client(make_client: MakeClient, empty_db_url: str) -> TestClient:
    return await make_client(empty_db_url)


@pytest.fixture
async def client(make_client: MakeClient, small_db_url: str) -> TestClient:
    return await make_client(small_db_url)
