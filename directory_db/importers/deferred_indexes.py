"""A large first import on PostgreSQL builds the secondary indexes and checks the foreign keys of the tables
it fills once, after the rows are in, rather than row by row (as ``pg_restore`` does).

Into an empty directory, a 100k-service import writes some 1.7 million rows. Each ``COPY``ed row updates
every index of its table (most keyed by random UUIDs, so nearly every update lands on another page) and runs
a trigger per foreign key that looks the owner up; that was a third of the import's time, spent in the
server while the importer waited. Dropped first and rebuilt at the end, the same indexes are built by
sorting and the same foreign keys are checked by one join per constraint: a 100k import took 77–81 s before
and 55–57 s after (the import of ``speed --sizes 100000 --with-postgres``).

All of it happens in the import's one transaction. PostgreSQL's DDL is transactional, so a failed import or
a dry run rolls the drop back with the rows: the schema is never left without its indexes or constraints.
Index and constraint definitions are read from the server (``pg_get_indexdef``, ``pg_get_constraintdef``),
not from the models, so what is rebuilt is exactly what the migrations made. Primary keys and unique indexes
stay: they are what an import's own checks of ids stand on.

The cost: from the drop until the commit, readers of those tables (a search in the web app) wait for the
import's lock. The tables are empty until then anyway, and only a first import of at least
:data:`DEFER_FROM` records takes this path; every other import writes into the indexes as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

DEFER_FROM = 10_000
"""Records from which a first import into an empty directory on PostgreSQL builds its indexes afterwards;
below it, dropping and rebuilding saves less than the readers would wait."""

_INDEXES = text(
    "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
    " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = current_schema() AND t.relname = :table AND NOT x.indisprimary AND NOT x.indisunique"
    " ORDER BY i.relname"
)
_FOREIGN_KEYS = text(
    "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
    " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = current_schema() AND t.relname = :table AND c.contype = 'f'"
    " ORDER BY c.conname"
)


@contextmanager
def indexes_built_after(session: Session, tables: Iterable[str], records: int) -> Iterator[None]:
    """Around writing ``records`` into ``tables`` (all empty): on PostgreSQL and from :data:`DEFER_FROM`
    records, their secondary indexes and foreign keys are dropped before and made again after; otherwise
    nothing changes. On an exception nothing is remade: the transaction is rolled back, and the drop with it.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql" or records < DEFER_FROM:
        yield
        return
    dropped = _drop(connection, sorted(tables))
    yield
    _remake(connection, dropped)


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _drop(connection: Connection, tables: list[str]) -> list[str]:
    """Drops the tables' foreign keys and secondary indexes; the statements that make them again."""
    indexes: list[str] = []
    foreign_keys: list[str] = []
    for table in tables:
        quoted = _quote(connection, table)
        for name, definition in connection.execute(_FOREIGN_KEYS, {"table": table}).all():
            constraint = _quote(connection, name)
            connection.exec_driver_sql(f"ALTER TABLE {quoted} DROP CONSTRAINT {constraint}")
            foreign_keys.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {constraint} {definition}")
        for name, definition in connection.execute(_INDEXES, {"table": table}).all():
            connection.exec_driver_sql(f"DROP INDEX {_quote(connection, name)}")
            indexes.append(definition)
    return indexes + foreign_keys  # as pg_restore orders them


def _remake(connection: Connection, statements: list[str]) -> None:
    for statement in statements:
        connection.exec_driver_sql(statement)
