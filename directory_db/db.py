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

from sqlalchemy import Column, ColumnDefault, Connection, Engine, Table, create_engine, event, insert
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
    """Insert ``rows`` (dicts with the same keys) in the session's transaction: with PostgreSQL's ``COPY``,
    else with one executemany (on SQLite the driver's own, see _sqlite_executemany).

    Over psycopg an executemany formats and sends every row as a statement of its own (client-side binding,
    see _psycopg_client_binding), most of a large import's time on PostgreSQL; ``COPY`` streams the rows.
    Neither fast path runs SQLAlchemy's column defaults, so both add the Python-side ones themselves
    (``_python_defaults``); a table with a default computed in SQL goes through SQLAlchemy's ``INSERT``."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    defaults = _python_defaults(table, names)
    dialect = connection.dialect
    sqlite = dialect.name == "sqlite" and dialect.paramstyle == "qmark"
    postgres = dialect.name == "postgresql" and dialect.driver == "psycopg"
    if defaults is None or not (sqlite or postgres):
        session.execute(insert(table), rows)
    elif sqlite:
        _sqlite_executemany(connection, table, names, defaults, rows)
    else:
        _postgres_copy(connection, table, names, defaults, rows)


Defaults = list[tuple[Column[Any], ColumnDefault]]
"""The columns a row leaves out that have a Python-side default, with that default."""


def _python_defaults(table: Table, names: list[str]) -> Defaults | None:
    """The defaults ``insert(table)`` would add to rows of ``names``: a value, or a function such as
    ``utcnow`` called per row. None when one of them is computed in SQL."""
    out: Defaults = []
    for column in table.columns:
        if column.key in names or column.default is None:
            continue
        default = column.default
        if not (isinstance(default, ColumnDefault) and (default.is_scalar or default.is_callable)):
            return None
        out.append((column, default))
    return out


def _default_values(defaults: Defaults) -> list[Any]:
    # A callable default's ``arg`` is SQLAlchemy's wrapper taking the execution context (unused here).
    return [d.arg(None) if d.is_callable else d.arg for _, d in defaults]


def _postgres_copy(
    connection: Connection, table: Table, names: list[str], defaults: Defaults, rows: list[dict[str, Any]]
) -> None:
    """``COPY … FROM STDIN`` of the rows, the defaults of the columns they leave out added per row (a first
    import's organizations and locations carry no ``last_modified`` of their own)."""
    quote = connection.dialect.identifier_preparer.quote
    columns = [table.c[name] for name in names] + [column for column, _ in defaults]
    listed = ", ".join(quote(column.name) for column in columns)
    pick = _value_tuple(names)
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*pick(row), *_default_values(defaults)] if defaults else pick(row))


def _sqlite_executemany(
    connection: Connection, table: Table, names: list[str], defaults: Defaults, rows: list[dict[str, Any]]
) -> None:
    """One ``INSERT`` executemany given to the SQLite driver as value tuples.

    The rows are those ``insert(table)`` writes: the columns they leave out get their Python-side defaults,
    and every value goes through its column's bind processor (dates stored as SQLAlchemy stores them). What
    this skips is SQLAlchemy's compiled-statement machinery, which builds and processes a parameter dict per
    row (a third of a first import's insert time)."""
    dialect = connection.dialect
    columns = [table.c[name] for name in names] + [column for column, _ in defaults]
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
        values = [*pick(row), *_default_values(defaults)]
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
