"""Database connection: URL resolution, engine and session factory.

The directory runs on the embedded SQLite file by default and on PostgreSQL in production; nothing here or in
the models may depend on one of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnDefault, Connection, Engine, Table, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "ovi.sqlite3"


def default_database_url() -> str:
    """``DATABASE_URL`` if set, else the embedded SQLite file ``<repo>/var/ovi.sqlite3`` (absolute path)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores FOREIGN KEY clauses unless asked, per connection; the cascades depend on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _psycopg_client_binding(kwargs: dict[str, Any]) -> None:
    # psycopg 3 binds parameters on the server by default, and the PostgreSQL protocol allows at most 65535
    # parameters per statement; an IN list of a full national import's service ids has more. Binding on the
    # client (as psycopg2 did) has no such limit. A caller's own cursor_factory wins.
    from psycopg import ClientCursor

    kwargs["connect_args"] = {"cursor_factory": ClientCursor, **kwargs.get("connect_args", {})}


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: :func:`default_database_url`)."""
    url = url or default_database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        _psycopg_client_binding(kwargs)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay usable after commit (the CLI and the web app read them afterwards)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) in the session's transaction: with PostgreSQL's ``COPY``
    where it writes what ``INSERT`` would, else with one executemany (on SQLite the driver's own, see
    _sqlite_executemany).

    Over psycopg an executemany formats and sends every row as a statement of its own (client-side binding,
    see _psycopg_client_binding), most of a large import's time on PostgreSQL; ``COPY`` streams the rows.
    It bypasses SQLAlchemy's column defaults, so a table with a Python-side default for a column the rows
    leave out goes through ``INSERT``."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    defaulted = any(c.default is not None for c in table.columns if c.key not in names)
    if connection.dialect.name == "sqlite" and connection.dialect.paramstyle == "qmark":
        _sqlite_executemany(connection, table, names, rows)
        return
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg" or defaulted:
        session.execute(insert(table), rows)
        return
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.c[name].name) for name in names)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def _sqlite_executemany(
    connection: Connection, table: Table, names: list[str], rows: list[dict[str, Any]]
) -> None:
    """One ``INSERT`` executemany given to the SQLite driver as value tuples.

    The rows are those ``insert(table)`` writes: a column left out gets its Python-side default for each row
    (a value, or a function such as ``utcnow`` called per row, as SQLAlchemy does), and every value goes
    through its column's bind processor (dates stored as SQLAlchemy stores them). What this skips is
    SQLAlchemy's compiled-statement machinery, which builds and processes a parameter dict per row (a third
    of a first import's insert time)."""
    dialect = connection.dialect
    generators = [c.default for c in table.columns if c.key not in names and c.default is not None]
    defaults = [d for d in generators if isinstance(d, ColumnDefault) and (d.is_scalar or d.is_callable)]
    if len(defaults) < len(generators):
        connection.execute(insert(table), rows)  # a default computed in SQL: SQLAlchemy's own insert
        return
    columns = [table.c[name] for name in names]
    columns += [c for c in table.columns if c.key not in names and c.default is not None]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    processors = [
        (i, processor)
        for i, column in enumerate(columns)
        if (processor := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    pick = _value_tuple(names)
    if not defaults and not processors:
        # Most tables (children with their positions given, attributes, history): the values as they are,
        # picked by C code rather than a Python loop per row.
        connection.exec_driver_sql(statement, list(map(pick, rows)))
        return
    parameters = []
    for row in rows:
        values = list(pick(row))
        # A callable default's ``arg`` is SQLAlchemy's wrapper taking the execution context (unused here).
        values += [d.arg(None) if d.is_callable else d.arg for d in defaults]
        for i, processor in processors:
            values[i] = processor(values[i])
        parameters.append(tuple(values))
    connection.exec_driver_sql(statement, parameters)


def _value_tuple(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's values of ``names`` as a tuple, in that order."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return itemgetter(*names)
