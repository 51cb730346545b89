"""Migration 0003 on a database that already holds data: SQLite rebuilds ``phones`` and ``languages`` in batch
mode, and every row must survive (also on the way down); the full service loading reads everything the
serializer touches without a query per row."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from directory_db import hsds, migrate
from directory_db.db import make_engine
from directory_db.importers import ImportResult
from directory_db.loading import full_service_options
from directory_db.models import Service

ORG, SERVICE, LOCATION = (
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
)
NOW = "2025-01-01 00:00:00"


def _rows_at_0002(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO organizations (id, name, description, last_modified) "
            "VALUES (:id, 'Yhdistys', '', :now)"
        ), {"id": ORG, "now": NOW})  # fmt: skip
        connection.execute(text(
            "INSERT INTO services (id, organization_id, name, status, last_modified) "
            "VALUES (:id, :org, 'Palvelu', 'active', :now)"
        ), {"id": SERVICE, "org": ORG, "now": NOW})  # fmt: skip
        connection.execute(text(
            "INSERT INTO locations (id, location_type, last_modified) VALUES (:id, 'physical', :now)"
        ), {"id": LOCATION, "now": NOW})  # fmt: skip
        for i in range(3):
            connection.execute(text(
                "INSERT INTO phones (id, position, service_id, number) VALUES (:id, :i, :s, :n)"
            ), {"id": f"p{i}", "i": i, "s": SERVICE, "n": f"040 00{i}"})  # fmt: skip
            connection.execute(text(
                "INSERT INTO languages (id, position, location_id, code) VALUES (:id, :i, :l, 'fi')"
            ), {"id": f"l{i}", "i": i, "l": LOCATION})  # fmt: skip
    engine.dispose()


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    engine.dispose()
    return found


def test_existing_rows_survive_the_upgrade_and_the_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = migrate.alembic_config(url)
    command.upgrade(config, "0002")
    _rows_at_0002(url)
    migrate.upgrade(url)
    engine = make_engine(url)
    assert migrate.is_current(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("phones")}
    assert "contact_id" in columns and "phone_id" in {
        c["name"] for c in inspect(engine).get_columns("languages")
    }
    engine.dispose()
    assert (_count(url, "phones"), _count(url, "languages"), _count(url, "services")) == (3, 3, 1)
    command.downgrade(config, "0002")
    assert (_count(url, "phones"), _count(url, "languages"), _count(url, "services")) == (3, 3, 1)
    engine = make_engine(url)
    assert "metadata" not in inspect(engine).get_table_names()
    engine.dispose()


def test_full_service_loading_needs_no_query_per_row(session: Session, imported: ImportResult) -> None:
    services = session.scalars(select(Service).options(*full_service_options())).all()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", count)
    try:
        for service in services:
            hsds.service(service, public=False)
            hsds.service(service)
    finally:
        event.remove(bind, "before_cursor_execute", count)
    assert statements == []
