"""Database URL, engine, and Alembic migrations (idempotent, matching the models, cwd-independent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from directory_db import db, migrate
from directory_db.models import Base


def test_default_url_is_the_embedded_sqlite_file_under_the_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = db.default_database_url()
    assert url == f"sqlite:///{db.REPO_ROOT / 'var' / 'ovi.sqlite3'}"
    assert Path(url.removeprefix("sqlite:///")).is_absolute()
    assert (db.REPO_ROOT / "directory_db").is_dir()


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://ovi@localhost/ovi")
    assert db.default_database_url() == "postgresql+psycopg://ovi@localhost/ovi"


def test_sqlite_engine_enforces_foreign_keys(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert (tmp_path / "sub").is_dir()


def test_upgrade_is_idempotent_and_works_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrate.upgrade(url)
    migrate.upgrade(url)
    engine = db.make_engine(url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.is_current(engine)
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    engine.dispose()


def test_fresh_database_is_not_current(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert migrate.current_revision(engine) is None
    assert not migrate.is_current(engine)
    engine.dispose()


def test_migrations_match_the_models(db_url: str) -> None:
    engine = db.make_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []
