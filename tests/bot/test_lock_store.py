"""The shared SQL lock store (bot/lock_store.py) on real SQLite and PostgreSQL: several processes, as
several Rasa workers, take turns on one conversation; tickets are never handed out twice; Rasa accepts it
for more than one worker."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import OviSqlLockStore

pytestmark = pytest.mark.rasa

PROCESSES = 4
TURNS = 5
CHURN = 60


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'locks.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url.replace("postgresql+psycopg://", "postgresql+psycopg2://")


def _worker_turns(url: str, counter: str) -> None:
    """One 'worker': read the conversation's counter, think, write it back — under the conversation lock."""

    async def turns() -> None:
        store = OviSqlLockStore(url=url)
        for _ in range(TURNS):
            async with store.lock("resident-1", wait_time_in_seconds=0.01):
                value = int(Path(counter).read_text())
                time.sleep(0.02)  # without the lock another process reads the same value meanwhile
                Path(counter).write_text(str(value + 1))

    asyncio.run(turns())


def _issue(url: str, queue: multiprocessing.Queue[int]) -> None:
    store = OviSqlLockStore(url=url)
    for _ in range(TURNS):
        queue.put(store.issue_ticket("resident-2"))


def _issue_and_clean_up(url: str) -> None:
    """A ticket, at once given back, many times: the row comes and goes while the other processes take
    theirs, the moment in which a ticket once came back as None on PostgreSQL."""
    store = OviSqlLockStore(url=url)
    for _ in range(CHURN):
        ticket = store.issue_ticket("resident-4")
        assert isinstance(ticket, int)
        store.cleanup("resident-4", ticket)


def _run(target: object, *args: object) -> None:
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=target, args=args) for _ in range(PROCESSES)]  # type: ignore[arg-type]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0


def test_processes_take_turns_on_one_conversation(database_url: str, tmp_path: Path) -> None:
    OviSqlLockStore(url=database_url)  # the table exists before the workers race to create it
    counter = tmp_path / "counter"
    counter.write_text("0")
    _run(_worker_turns, database_url, str(counter))
    assert int(counter.read_text()) == PROCESSES * TURNS


def test_no_ticket_number_is_handed_out_twice(database_url: str) -> None:
    OviSqlLockStore(url=database_url)
    queue: multiprocessing.Queue[int] = multiprocessing.get_context("fork").Queue()
    _run(_issue, database_url, queue)
    tickets = [queue.get(timeout=10) for _ in range(PROCESSES * TURNS)]
    assert sorted(tickets) == list(range(PROCESSES * TURNS))


def test_a_ticket_is_issued_while_other_workers_delete_the_lock(database_url: str) -> None:
    OviSqlLockStore(url=database_url)
    _run(_issue_and_clean_up, database_url)


async def test_the_lock_is_gone_when_nobody_waits(database_url: str) -> None:
    store = OviSqlLockStore(url=database_url)
    first = store.issue_ticket("resident-3")
    second = store.issue_ticket("resident-3")
    store.cleanup("resident-3", first)
    waiting = store.get_lock("resident-3")
    assert waiting is not None and waiting.now_serving == second
    store.cleanup("resident-3", second)
    assert store.get_lock("resident-3") is None


def test_sqlite_locks_are_not_written_through_to_the_disk(tmp_path: Path) -> None:
    store = OviSqlLockStore(url=f"sqlite:///{tmp_path / 'locks.sqlite3'}")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 0  # OFF


def test_rasa_builds_it_from_the_endpoints_and_allows_several_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = EndpointConfig(url=f"sqlite:///{tmp_path / 'locks.sqlite3'}",
                            type="bot.lock_store.OviSqlLockStore")
    assert isinstance(LockStore.create(config), OviSqlLockStore)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(config) == 2
    assert number_of_sanic_workers(EndpointConfig(type="in_memory")) == 1


def test_the_stacks_endpoints_give_rasa_two_workers_with_the_shared_locks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``ovi_stack.run`` writes and sets is what Rasa reads: the lock store and SANIC_WORKERS."""
    from rasa.core.utils import AvailableEndpoints

    from ovi_stack.conversations import ConversationSettings
    from ovi_stack.run import Ports, Stack
    from ovi_stack.settings_table import SettingsError

    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    env = Stack(ports=Ports(web=1, rasa=2, actions=3), tracker_store_url=url)._env()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(ConversationSettings.from_env(env).endpoints_yaml(), encoding="utf-8")
    read = AvailableEndpoints.read_endpoints(str(endpoints))
    lock_store = read.lock_store
    assert lock_store is not None and isinstance(LockStore.create(lock_store), OviSqlLockStore)
    # The locks, written without fsync, are never in the conversations' file (a torn write damages its file).
    assert read.tracker_store is not None and read.tracker_store.url == url
    locks_file = Path(str(lock_store.url).removeprefix("sqlite:///"))
    assert locks_file.parent == tmp_path and locks_file.exists()
    assert locks_file != tmp_path / "tracker.sqlite3"
    monkeypatch.setenv("SANIC_WORKERS", env["SANIC_WORKERS"])
    assert number_of_sanic_workers(lock_store) == 2
    for wrong in ("0", "two", "1.5", "99"):
        with pytest.raises(SettingsError, match="OVI_RASA_WORKERS"):
            ConversationSettings.from_env({"OVI_RASA_WORKERS": wrong})
