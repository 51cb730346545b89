"""A forked worker process of an import: pure Python work on records, beside this process's own.

An import's work per record is Python, one core's worth. On a machine with a free core (:func:`core_free`)
part of it runs in a worker while the importing process does the rest (checking.py: pass 1's checks;
documents.py: the search documents of pass 2). The worker is forked, not spawned: it starts at once with
this process's modules, caches and resolved terms. It is given only work that needs neither the database
connection nor a lock another thread may hold, and it exits without running this process's clean-up.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any, Self

IDLE_SAMPLE_S = 0.1
"""How long :func:`core_free` watches the machine's cores."""


def core_free() -> bool:
    """May a worker be forked, and is a core left for it? Only from a process running no other thread (the
    web app's import runs beside its request threads: a lock one of them held at the fork, Voikko's say,
    would stay held forever in the worker), and only with the machine's cores idle for most of the next
    tenth of a second: at least 1.5 of them, one for this process (waiting meanwhile) and one for the
    worker. On a machine whose cores are busy a worker gains nothing and costs its share (a second copy of
    the records, pages copied after the fork): ~10 % more CPU, measured on two cores saturated by a
    training run. (The load average lags by a minute and counts this import's own processes.)"""
    if threading.active_count() > 1:
        return False
    try:
        before = _cpu_times()
        time.sleep(IDLE_SAMPLE_S)
        after = _cpu_times()
    except OSError:  # no /proc (not Linux): no fork either
        return False
    total = sum(after) - sum(before)
    idle = (after[3] + after[4]) - (before[3] + before[4])  # idle and iowait
    cores = os.cpu_count() or 1
    return total > 0 and idle / total * cores >= 1.5


def _cpu_times() -> list[int]:
    """The machine's CPU time so far by state (/proc/stat: user, nice, system, idle, iowait, …)."""
    with open("/proc/stat", encoding="ascii") as stat:
        return [int(value) for value in stat.readline().split()[1:]]


def answer(connection: Connection, work: Callable[[], Any]) -> None:
    """In the worker: send ``work()``'s value, or the traceback of its failure (raised in the importer)."""
    try:
        message: tuple[bool, Any] = (True, work())
    except BaseException:  # noqa: BLE001 (reported to the importing process, which raises it)
        message = (False, traceback.format_exc())
    connection.send(message)


class Worker:
    """The importing process's end: send work, read answers, and :meth:`stop` the worker in any case."""

    def __init__(self, serve: Callable[[Connection], None], name: str) -> None:
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        self._process: BaseProcess = context.Process(target=serve, args=(theirs,), name=name, daemon=True)
        # The objects that exist now are left out of the worker's garbage collections: a collection that
        # walked them would write to (and so copy) every page the worker shares with this process.
        gc.freeze()
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        theirs.close()
        self.connection = ours

    def answer(self) -> Any:
        """The next answer (:func:`answer`); a failure in the worker is raised here."""
        try:
            done, value = self.connection.recv()
        except EOFError as error:
            code = self._process.exitcode
            raise RuntimeError(f"tuonnin apuprosessi {self._process.name} päättyi kesken ({code})") from error
        if not done:
            raise RuntimeError(f"tuonnin apuprosessi {self._process.name} epäonnistui:\n{value}")
        return value

    def stop(self) -> None:
        """End the worker, done or not (an import that stops early no longer needs it)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self.connection.close()


class WithWorker:
    """A part of the import that may hand its work to a :class:`Worker`: used in a ``with`` block, whose
    end stops the worker, done or not."""

    _worker: Worker | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
