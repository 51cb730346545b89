"""The records of an import's first pass, kept on disk for the second (pipeline.py).

The first pass reads, maps (stable ids, source) and validates every record; the second writes them. Reading
the file again meant parsing its JSON and mapping every record a second time, a tenth of a large import's
time. Instead the first pass's records are written with :mod:`marshal` (JSON values are all it needs to
hold; it is several times faster than ``pickle`` for them) a batch at a time into an anonymous temporary
file, so memory holds one batch, and the second pass writes exactly the records the first pass checked.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import NamedTuple

from .structure import Record


class StoredBatch(NamedTuple):
    records: list[Record]
    data: bytes
    """The records as stored (see :func:`load_batch`), for a worker process."""


class RecordSpool:
    """Add records one at a time (:meth:`add`), then read them back in batches (:meth:`batches`)."""

    def __init__(self, batch_size: int) -> None:
        self._batch_size = batch_size
        self._pending: list[Record] = []
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)

    def add(self, record: Record) -> StoredBatch | None:
        """Keep a record; returns the batch it completed, if it did."""
        self._pending.append(record)
        return self.flush() if len(self._pending) >= self._batch_size else None

    def flush(self) -> StoredBatch | None:
        """Store the records added since the last batch as a batch of their own; returns it (None: none)."""
        if not self._pending:
            return None
        data = marshal.dumps([(r.label, r.data) for r in self._pending])
        # Length-prefixed bytes: marshal.load() on a file reads it piece by piece, ten times slower.
        self._file.write(len(data).to_bytes(8, "little") + data)
        batch = StoredBatch(self._pending, data)
        self._pending = []
        return batch

    def batches(self) -> Iterator[list[Record]]:
        """The records added, in order, a batch at a time (each call reads them from the start)."""
        return map(load_batch, self.stored_batches())

    def stored_batches(self) -> Iterator[bytes]:
        """:meth:`batches` as stored (see :func:`load_batch`), for a worker process to read too."""
        self.flush()
        self._file.seek(0)
        while header := self._file.read(8):
            yield self._file.read(int.from_bytes(header, "little"))

    def __enter__(self) -> RecordSpool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._file.close()


def load_batch(data: bytes) -> list[Record]:
    """The records of one stored batch (:attr:`StoredBatch.data`)."""
    return [Record(label, record) for label, record in marshal.loads(data)]
