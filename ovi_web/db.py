"""The database for the app's lifetime, and running synchronous SQLAlchemy work off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.orm import Session

from directory_db.db import make_engine, make_session_factory
from ovi_web.keys import engine_key, session_factory_key, settings_key

T = TypeVar("T")


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: create the engine at startup (never at import) and dispose of it at shutdown."""
    # The engine does not connect yet: a bad URL scheme fails here, an unreachable database in /healthz.
    # directory_db owns the dialect details (SQLite foreign keys, creating var/).
    engine = make_engine(app[settings_key].database_url, pool_pre_ping=True)
    app[engine_key] = engine
    app[session_factory_key] = make_session_factory(engine)
    yield
    await asyncio.to_thread(engine.dispose)


async def run_in_session(app: web.Application, work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` in a worker thread: SQLAlchemy is synchronous and must not block the loop."""
    factory = app[session_factory_key]

    def run() -> T:
        with factory() as session:
            return work(session)

    return await asyncio.to_thread(run)


def ping(session: Session) -> None:
    session.execute(text("SELECT 1")).scalar_one()
