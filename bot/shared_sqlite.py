"""One SQLite file shared by all Rasa workers (the embedded default profile): how they start and write.

* Start-up: creating tables in one SQLite file from two processes at once fails in the second one ("table
  already exists", or "no such table" for an index created right after), so the stores run their start-up
  steps one worker at a time (``one_worker_at_a_time``). PostgreSQL needs no help here.
* Writes: every message commits three times (take the conversation's lock, save its events, release the
  lock). In SQLite's default rollback journal each commit waits for the disk (fsync) with the event loop of
  the worker blocked: profiled with py-spy under the load of ``make bench`` that was 14 % of a Rasa worker's
  time. The file is therefore in write-ahead-log mode with ``synchronous=NORMAL``: a commit writes to the
  log without waiting for the disk, and the log is synced when it is copied back into the file. A crash of a
  process loses nothing; a power cut can lose the last commits, never the file. The mode is set once, when a
  store starts and before any worker serves a message, so no reader ever sees the file change mode under it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BUSY_TIMEOUT_S = 30.0
"""How long a worker waits for another's write; the transactions here take milliseconds."""


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@contextmanager
def one_worker_at_a_time(url: str) -> Iterator[None]:
    """Serialise a start-up step over the Rasa workers of one machine (they all start at once)."""
    if not url.startswith("sqlite:///"):
        yield
        return
    database = Path(url.removeprefix("sqlite:///"))
    with open(database.with_name(database.name + ".start-lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _synchronous_normal(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def prepare(engine: sa.Engine) -> None:
    """Write-ahead log for the file, ``synchronous=NORMAL`` for every connection (see the module docstring).
    Call inside ``one_worker_at_a_time``; does nothing for other databases."""
    if engine.dialect.name != "sqlite":
        return
    sa.event.listen(engine, "connect", _synchronous_normal)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
