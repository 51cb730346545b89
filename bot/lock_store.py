"""Rasa's conversation locks in SQL, shared by all Rasa workers, so Rasa can use more than one core.

Rasa serves the messages of one conversation one at a time with a *ticket lock* per conversation. Its
default lock store keeps those locks in the memory of one process, and with it Rasa refuses to start more
than one Sanic worker (``SANIC_WORKERS``): one Python process, one core, and on this 2-core machine the load
test saturated with the second core idle. Rasa's other store needs Redis, which the embedded default
profile does not have. This one keeps the locks in SQL (``ovi_stack.conversations``: on SQLite a file of
their own beside the conversations' under ``var/`` by default, the conversations' PostgreSQL database in the
production profile), so every worker, and later every Rasa instance, sees the same locks.

On SQLite the locks are written without ``fsync`` (``PRAGMA synchronous=OFF``): a lock lives for one
message and means nothing after a restart of the machine, yet each turn wrote its two lock changes through to
the disk, and each writer holds the file for its fsync while the other workers wait for it. Measured under
``make bench``'s saturation, with the conversations in the same file: 76 ms of Rasa's CPU per turn; with the
locks in their own file, written without fsync: 66 ms (22.2 turns/s, was 18.9). That is why the file is their
own: an interrupted write without fsync may damage the file it is in, and the conversations' file keeps its
fsync.

Each change of a lock (issue a ticket, drop expired tickets, finish serving and clean up) is one
read-modify-write in ONE transaction: the row is locked by a write that changes nothing (SQLite's write
lock, PostgreSQL's row lock; when a ticket is issued, an ``INSERT … ON CONFLICT DO UPDATE`` that creates the
row if missing), then read and written back. Rasa's Redis store does a separate get and set, which can
hand out one ticket number twice when two workers take a ticket for the same conversation at the same moment.

Configured by ``ovi_stack.run`` in the endpoints file::

    lock_store:
      type: bot.lock_store.OviSqlLockStore
      url: "sqlite:////…/var/tracker.sqlite3"
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.dialects import postgresql, sqlite

TABLE = "conversation_locks"
SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long a worker waits for another's write on SQLite; the transactions here take milliseconds. (The
file keeps SQLite's default rollback journal: switched to WAL by the running workers, a test process
reading the same file at the same moment saw "database disk image is malformed"; tried again with the mode set
once at start, before any worker served a message: the file was reported malformed as soon as the tracker
store's retention purge ran on its thread beside a save, so the default journal stays.)"""

_metadata = sa.MetaData()
locks = sa.Table(
    TABLE, _metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("lock", sa.Text, nullable=False),
)

Change = Callable[[TicketLock], Any]
"""Changes the lock in place (one of ``TicketLock``'s own methods)."""


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        sa.event.listen(engine, "connect", _no_sync)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _no_sync(connection: Any, _record: Any) -> None:
    """Locks are not written through to the disk (see the module docstring)."""
    connection.execute("PRAGMA synchronous=OFF")


@contextmanager
def one_worker_at_a_time(url: str) -> Iterator[None]:
    """Serialise a start-up step over the Rasa workers of one machine (they all start at once).

    Creating tables in one SQLite file from two processes at once fails in the second one ("table already
    exists", or "no such table" for an index created right after). PostgreSQL needs no help here: Rasa and
    this store retry a failed creation."""
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


class OviSqlLockStore(LockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, url: str | None = None) -> None:
        url = url or (endpoint_config.url if endpoint_config else None)
        if not url:
            raise ValueError("OviSqlLockStore needs the database URL (lock_store: url: …)")
        self.engine = _engine(url)
        for attempt in range(3):
            try:
                with one_worker_at_a_time(url):
                    _metadata.create_all(self.engine, checkfirst=True)
                break
            except sa.exc.DBAPIError:  # PostgreSQL: another worker created it meanwhile
                if attempt == 2:
                    raise
                time.sleep(0.5)

    # Rasa's storage primitives ------------------------------------------------------------------------

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(locks.c.lock).where(locks.c.conversation_id == conversation_id)).first()
        return TicketLock.from_dict(_loads(row[0])) if row else None

    def delete_lock(self, conversation_id: str) -> None:
        with self.engine.begin() as connection:
            deleted = connection.execute(
                locks.delete().where(locks.c.conversation_id == conversation_id)).rowcount
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        with self.engine.begin() as connection:
            connection.execute(_upsert(connection, lock.conversation_id, lock.dumps(), keep_existing=False))

    # Rasa's read-modify-write steps, each made atomic --------------------------------------------------

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            ticket: int = self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime),
                                       create=True)
        except Exception as error:  # Rasa's own contract: a LockError, whatever failed
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish serving and delete the lock when nobody waits (Rasa's two steps, in one)."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number),
                     delete_if_free=True)

    def _change(self, conversation_id: str, change: Change, create: bool = False,
                delete_if_free: bool = False) -> Any:
        with self.engine.begin() as connection:
            where = locks.c.conversation_id == conversation_id
            # A write first: it takes SQLite's write lock (a plain SELECT would not even begin the
            # transaction in Python's sqlite3) and PostgreSQL's row lock, until the commit.
            if create:
                # One upsert, not "insert if missing" and then an update: ON CONFLICT DO NOTHING locks
                # nothing, so on PostgreSQL another worker's cleanup could delete the row between the two
                # and the ticket came back as None (seen once in CI). DO UPDATE inserts or locks, atomically.
                connection.execute(_upsert(connection, conversation_id, TicketLock(conversation_id).dumps(),
                                           keep_existing=True))
            else:
                connection.execute(locks.update().where(where).values(lock=locks.c.lock))
            row = connection.execute(sa.select(locks.c.lock).where(where)).first()
            if row is None:
                if create:
                    raise LockError(f"the lock row of {conversation_id!r} vanished inside its transaction")
                return None
            lock = TicketLock.from_dict(_loads(row[0]))
            result = change(lock)
            if delete_if_free and not lock.is_someone_waiting():
                connection.execute(locks.delete().where(where))
            else:
                connection.execute(locks.update().where(where).values(lock=lock.dumps()))
            return result



def _upsert(connection: sa.Connection, conversation_id: str, serialised: str,
            keep_existing: bool) -> sa.Executable:
    """Insert the lock row, or (on conflict) write ``serialised`` over it or keep what is there, which
    still locks the row until the commit."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(locks).values(conversation_id=conversation_id, lock=serialised)
    return insert.on_conflict_do_update(
        index_elements=[locks.c.conversation_id],
        set_={"lock": locks.c.lock if keep_existing else insert.excluded.lock})


def _loads(serialised: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(serialised)
    return data
