"""The search documents of the batches the bulk path writes (bulk.py), built in a worker process while this
one builds and inserts the batches' rows.

A new service's document is built from its record and the terms its attributes name (unsaved.py,
search_index.build_document): pure Python, a fifth of a first import's time. Every term of the import is
resolved before the first batch (terms.TermResolver.resolve_first) and none changes after, so the worker,
forked then, holds detached copies of them (unsaved.KnownTerms: it never reads the database), and for each
batch it is sent the records as the spool stores them. It builds a batch's documents while this process
builds and inserts the batch's rows; :meth:`BatchDocuments.take` collects them. The documents are the ones
this process would build (the same functions over the same values; the tests compare the stored index).

An import of one batch or less builds them here, and so does any import when no core is free (worker.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial
from multiprocessing.connection import Connection

from ..models import TaxonomyTerm
from ..search_index import Document, EncodedDocument, encoded
from . import worker
from .spool import load_batch
from .structure import Record
from .unsaved import AttributeTerms, KnownTerms, build_documents


def _serve(connection: Connection, now: datetime, terms: KnownTerms) -> None:
    """The worker: the documents of each batch it is sent, until an empty one, encoded for their rows."""

    def documents(data: bytes) -> list[EncodedDocument]:
        return [encoded(document) for document in build_documents(load_batch(data), now, terms)]

    while data := connection.recv_bytes():
        worker.answer(connection, partial(documents, data))


class BatchDocuments(worker.WithWorker):
    """The documents of bulk-written batches: :meth:`start` a batch (as stored), then :meth:`take` its
    documents. A context manager, so the worker is stopped whatever happens to the import."""

    def __init__(self, terms: AttributeTerms, resolved: Mapping[str, TaxonomyTerm], now: datetime, *,
                 apart: bool) -> None:  # fmt: skip
        """``terms``: the import's resolver; ``resolved``: its terms by file id, all of them (for the
        worker); ``apart``: in a worker if a core is free (else here)."""
        self._terms, self._now = terms, now
        self._worker: worker.Worker | None = None
        if apart and worker.core_free():
            serve = partial(_serve, now=now, terms=KnownTerms(resolved))
            self._worker = worker.Worker(serve, "ovi-import-documents")
        self._started = False

    def start(self, data: bytes) -> None:
        """The batch ``data`` is being bulk-written: the worker builds its documents meanwhile."""
        if self._worker is not None:
            self._worker.connection.send_bytes(data)
            self._started = True

    def take(self, records: Sequence[Record]) -> Sequence[Document | EncodedDocument]:
        """The documents of the started batch, whose records are ``records``."""
        if self._worker is None or not self._started:
            return build_documents(records, self._now, self._terms)
        self._started = False
        documents: list[EncodedDocument] = self._worker.answer()
        return documents

