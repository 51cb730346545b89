"""A large first import on PostgreSQL drops the secondary indexes and foreign keys of the tables it fills and
makes them again before the commit (importers/deferred_indexes.py): the data is what the ORM writer writes,
the schema afterwards is the migrated one, and a failed import or a dry run leaves the schema as it was."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from directory_db.db import make_engine, make_session_factory
from directory_db.importers import bulk, deferred_indexes, hsds_json, pipeline
from directory_db.importers.pipeline import ImportOptions, ImportResult, run_import
from directory_db.search_eval.speed import generate

from .test_import_batches import _contents  # every table's rows, sorted

_SCHEMA = text(
    "SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
    " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'"
    " UNION ALL SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
    " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = 'public'"
)


def _schema(url: str) -> set[tuple[str, str, str]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = {(str(a), str(b), str(c)) for a, b, c in connection.execute(_SCHEMA).all()}
    engine.dispose()
    return rows


def _import(url: str, records: list[dict[str, Any]], statements: list[str], **options: Any) -> ImportResult:
    engine = make_engine(url)

    @event.listens_for(engine, "before_cursor_execute")
    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    try:
        with make_session_factory(engine)() as session:
            labelled = hsds_json.records_from_data(records)
            return run_import(session, lambda _progress: iter(labelled), ImportOptions(**options))
    finally:
        engine.dispose()


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Small enough for a test: 12 services in batches of 4 count as a large first import.
    monkeypatch.setattr(pipeline, "BATCH", 4)
    monkeypatch.setattr(deferred_indexes, "DEFER_FROM", 10)
    yield


@pytest.mark.usefixtures("deferred")
def test_a_large_first_import_rebuilds_the_indexes_and_writes_what_the_orm_writes(
    postgres_server: Any, postgres_template: str, postgres_url: str
) -> None:
    records = generate(12)
    schema = _schema(postgres_url)
    statements: list[str] = []
    result = _import(postgres_url, records, statements)
    assert result.services_created == 12
    # The path was taken: indexes were dropped and made again.
    assert any(s.startswith("DROP INDEX") for s in statements)
    assert any(s.startswith("CREATE INDEX") for s in statements)
    assert any(" ADD CONSTRAINT " in s and "FOREIGN KEY" in s for s in statements)
    assert _schema(postgres_url) == schema
    orm_url = postgres_server.create_database(template=postgres_template)
    try:
        orm_statements: list[str] = []
        _import(orm_url, records, orm_statements, bulk=False)
        assert not any(s.startswith("DROP INDEX") for s in orm_statements)
        assert _contents(postgres_url) == _contents(orm_url)
    finally:
        postgres_server.drop_database(orm_url)


@pytest.mark.usefixtures("deferred")
def test_a_failure_after_the_drop_leaves_the_schema_and_no_rows(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = _schema(postgres_url)
    calls = []
    write = bulk.BulkWriter.write

    def fail_on_the_third(self: bulk.BulkWriter) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("levy täynnä")
        return write(self)

    monkeypatch.setattr(bulk.BulkWriter, "write", fail_on_the_third)
    statements: list[str] = []
    with pytest.raises(RuntimeError, match="levy täynnä"):
        _import(postgres_url, generate(12), statements)
    assert any(s.startswith("DROP INDEX") for s in statements)
    assert _schema(postgres_url) == schema
    assert all(not rows for table, rows in _contents(postgres_url).items() if table != "search_index_state")


@pytest.mark.usefixtures("deferred")
def test_a_dry_run_leaves_the_schema_and_no_rows(postgres_url: str) -> None:
    schema = _schema(postgres_url)
    result = _import(postgres_url, generate(12), [], dry_run=True)
    assert result.dry_run and result.services_created == 12
    assert _schema(postgres_url) == schema
    assert not _contents(postgres_url)["services"]


def test_a_small_or_second_import_keeps_the_indexes(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH", 4)
    records = generate(24)
    small: list[str] = []
    _import(postgres_url, records[:8], small)  # below the default DEFER_FROM
    monkeypatch.setattr(deferred_indexes, "DEFER_FROM", 10)
    second: list[str] = []
    _import(postgres_url, records[8:], second)  # large enough, but the directory is not empty
    assert not any(s.startswith("DROP INDEX") for s in small + second)
