"""One SQLAlchemy engine per action-server process, created on first use (never at import)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy.orm import Session, sessionmaker

from directory_db.db import default_database_url, make_engine, make_session_factory


@cache
def _factory() -> sessionmaker[Session]:
    return make_session_factory(make_engine(default_database_url()))


@contextmanager
def read_session() -> Iterator[Session]:
    """A read-only unit of work: rolled back at the end, whatever happened."""
    session = _factory()()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def write_session() -> Iterator[Session]:
    """A unit of work that commits at the end, or rolls back on any error."""
    session = _factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
