"""Pass 1's checks of an import (pipeline.py), in this process or, for a large import, in a worker process.

Checking a record (validation.py: schema, profile, repeats across the file) and gathering its taxonomy
terms for the writer (terms.ImportTerms) costs about twice what reading, mapping and spooling it does. A
large import therefore hands each batch the spool stores (already marshalled) to a forked worker, which
checks it while this process reads on: pass 1 then takes about the time of the checks alone. The worker
sees the records in file order, so it finds, orders and words the problems as the in-process check does.

Writing still waits for the checks: nothing is written from a file with a problem, and every taxonomy term
of the file is resolved before the first batch (terms.TermResolver.resolve_first), so a batch's services
are compared with the terms the import ends with.

An import of one batch or less (CSV and PTV conversions, the admin's edits, most tests) is checked here,
where a worker would cost more than it saves, and so is any import when no core is free (worker.py).
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from types import TracebackType

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


def _serve(connection: Connection) -> None:
    """The worker: checks the batches it is sent until an empty one, then answers with the result. It reads
    every batch even after a failure, so the importing process is never left writing to a closed pipe."""
    checks = RecordChecks()
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


class Checks:
    """Where pass 1's checks run: :meth:`add` each stored batch, then :meth:`result`. A context manager, so
    the worker is stopped whatever happens to the import."""

    def __init__(self) -> None:
        self._here: RecordChecks | None = None
        self._worker: worker.Worker | None = None

    def add(self, batch: StoredBatch | None, *, last: bool = False) -> None:
        """One stored batch (None: none); ``last``: the source has ended. The first batch decides: the
        whole import (``last``) is checked here, anything larger by the worker if a core is free."""
        if self._here is None and self._worker is None:
            if last or not worker.core_free():
                self._here = RecordChecks()
            else:
                self._worker = worker.Worker(_serve, "ovi-import-checks")
        if batch is None:
            return
        if self._worker is not None:
            self._worker.connection.send_bytes(batch.data)
        elif self._here is not None:
            for record in batch.records:
                self._here.add(record)

    def result(self) -> Checked:
        """After the last batch: as :meth:`RecordChecks.result`."""
        if self._worker is None:
            return (self._here or RecordChecks()).result()
        self._worker.connection.send_bytes(b"")
        kind, value = self._worker.answer()
        if kind == "invalid":
            issues, more = value
            raise ImportValidationError(issues, more=more)
        checked: Checked = value
        return checked

    def __enter__(self) -> Checks:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
