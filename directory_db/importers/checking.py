"""Pass 1's checks of an import (pipeline.py), in this process or, for a large import, in a worker process.

Checking a record (validation.py: schema, profile, repeats across the file) and gathering its taxonomy
terms for the writer (terms.ImportTerms) costs about twice what reading, mapping and spooling it does. A
large import therefore hands each later batch the spool stores (already marshalled) to a forked worker,
which checks it while this process reads on: pass 1 then takes about the time of the checks alone. The worker
sees the records in file order, so it finds, orders and words the problems as the in-process check does.

Writing still waits for the checks: nothing is written from a file with a problem, and every taxonomy term
of the file is resolved before the first batch (terms.TermResolver.resolve_first), so a batch's services
are compared with the terms the import ends with.

The first batch is checked here, record by record as it is read; the worker is forked when it has been
stored, so it starts from the checks of the first batch. An import of one batch or less (CSV and PTV
conversions, the admin's edits, most tests) never needs the worker, nor does any import when no core is
free (worker.py).
"""

from __future__ import annotations

from functools import partial
from multiprocessing.connection import Connection

from . import worker
from .errors import ImportValidationError
from .spool import StoredBatch, load_batch
from .structure import Record, walk
from .terms import ImportTerms
from .validation import Validator

Checked = tuple[list[str], int, ImportTerms]
"""The warnings, the number of records, and the import's taxonomy terms (for the writer)."""


class RecordChecks:
    """The checks of pass 1 fed one record at a time, in file order."""

    def __init__(self) -> None:
        self._validator = Validator()
        self._terms = ImportTerms()

    def add(self, record: Record) -> None:
        nodes = list(walk("service", record.data)) if isinstance(record.data, dict) else None
        self._validator.check(record, nodes)
        if nodes is not None:
            self._terms.add(record.label, nodes)

    def result(self) -> Checked:
        """Raises :class:`ImportValidationError` listing every problem found (up to the cap)."""
        return self._validator.finish(), self._validator.records, self._terms


def _serve(connection: Connection, checks: RecordChecks) -> None:
    """The worker: goes on with ``checks`` (this process's, as they were at the fork) over the batches it is
    sent until an empty one, then answers with the result. It reads every batch even after a failure, so the
    importing process is never left writing to a closed pipe."""
    failure: BaseException | None = None
    while data := connection.recv_bytes():
        if failure is None:
            try:
                for record in load_batch(data):
                    checks.add(record)
            except BaseException as error:  # noqa: BLE001 (answered below)
                failure = error

    def result() -> tuple[str, object]:
        if failure is not None:
            raise failure
        try:
            return "checked", checks.result()
        except ImportValidationError as error:  # the exception itself does not pickle: its parts do
            return "invalid", (error.issues, error.more)

    worker.answer(connection, result)


class Checks(worker.WithWorker):
    """Pass 1's checks: :meth:`add` each record and :meth:`stored` each batch the spool stores, then
    :meth:`result`. The records of the first batch are checked here as they come; once it is stored, a
    worker is forked if a core is free and goes on from there with the later batches. A context manager, so
    the worker is stopped whatever happens to the import."""

    def __init__(self) -> None:
        self._here: RecordChecks | None = RecordChecks()
        self._worker: worker.Worker | None = None
        self._batches = 0

    def add(self, record: Record) -> None:
        if self._here is not None:
            self._here.add(record)

    def stored(self, batch: StoredBatch | None, *, last: bool = False) -> None:
        """A batch the spool stored (None: none); ``last``: the source has ended."""
        if batch is None:
            return
        self._batches += 1
        if self._worker is not None:
            self._worker.connection.send_bytes(batch.data)
        elif self._batches == 1 and not last and self._here is not None and worker.core_free():
            self._worker = worker.Worker(partial(_serve, checks=self._here), "ovi-import-checks")
            self._here = None  # the worker has them, as they are now

    def result(self) -> Checked:
        """After the last batch: as :meth:`RecordChecks.result`."""
        if self._worker is None:
            assert self._here is not None
            return self._here.result()
        self._worker.connection.send_bytes(b"")
        kind, value = self._worker.answer()
        if kind == "invalid":
            issues, more = value
            raise ImportValidationError(issues, more=more)
        checked: Checked = value
        return checked

