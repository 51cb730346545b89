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

from .structure import Record


class RecordSpool:
    """Add records one at a time (:meth:`add`), then read them back in batches (:meth:`batches`)."""

    def __init__(self, batch_size: int) -> None:
        self._batch_size = batch_size
        self._pending: list[Record] = []
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)

    def add(self, record: Record) -> None:
        self._pending.append(record)
        if len(self._pending) >= self._batch_size:
            self._dump()

    def _dump(self) -> None:
        if self._pending:
            # Length-prefixed bytes: marshal.load() on a file reads it piece by piece, ten times slower.
            data = marshal.dumps([(r.label, r.data) for r in self._pending])
            self._file.write(len(data).to_bytes(8, "little") + data)
            self._pending = []

    def batches(self) -> Iterator[list[Record]]:
        """The records added, in order, a batch at a time (each call reads them from the start)."""
        self._dump()
        self._file.seek(0)
        while header := self._file.read(8):
            batch = marshal.loads(self._file.read(int.from_bytes(header, "little")))
            yield [Record(label, data) for label, data in batch]

    def __enter__(self) -> RecordSpool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._file.close()
