"""Shared fixtures: a migrated SQLite file per test, the small valid fixture, helpers to count rows, and
fresh PostgreSQL databases on the session's server (``postgres_server`` in tests/conftest.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from directory_db import migrate
from directory_db.db import make_engine, make_session_factory
from directory_db.importers import ImportResult, import_hsds_json
from directory_db.models import Base
from ovi_stack.postgres import TemporaryPostgres

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid_services.json"

# The fixture's six services (see fixtures/README.md): name → id.
SERVICE_IDS: dict[str, str] = {s["name"]: s["id"] for s in json.loads(VALID.read_text(encoding="utf-8"))}


def valid_records() -> list[dict[str, Any]]:
    """A fresh, mutable copy of the valid fixture."""
    return copy.deepcopy(json.loads(VALID.read_text(encoding="utf-8")))


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def row_counts(session: Session) -> dict[str, int]:
    """Rows in every data table of the schema (not the index's one-row state, which always exists)."""
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name != "search_index_state"
    }


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'directory.sqlite3'}"
    migrate.upgrade(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def imported(session: Session) -> ImportResult:
    """The valid fixture imported into the test database."""
    return import_hsds_json(session, VALID)


# --- PostgreSQL (the production backend) -------------------------------------------------------------------

MIGRATED_TEMPLATE = "ovi_migrated_template"


@pytest.fixture(scope="session")
def postgres_template(postgres_server: TemporaryPostgres) -> str:
    """A PostgreSQL database migrated once (Alembic); fresh migrated databases are copies of it."""
    migrate.upgrade(postgres_server.create_database(MIGRATED_TEMPLATE))
    return MIGRATED_TEMPLATE


@pytest.fixture
def postgres_url(postgres_server: TemporaryPostgres, postgres_template: str) -> Iterator[str]:
    """A fresh migrated PostgreSQL database for this test (CREATE DATABASE … TEMPLATE), dropped after it."""
    url = postgres_server.create_database(template=postgres_template)
    yield url
    postgres_server.drop_database(url)


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def empty_backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema yet), once per backend; the PostgreSQL server starts on first use."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'backend.sqlite3'}"
        return
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh migrated database, once per backend (SQLite file in tmp_path, or a PostgreSQL database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'backend.sqlite3'}"
        migrate.upgrade(url)
        return url
    return str(request.getfixturevalue("postgres_url"))
