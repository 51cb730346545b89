"""The import pipeline shared by every format: validate all records, then write them in batches, all in one
transaction.

Records come from a *source* (:data:`RecordSource`): a list in memory (CSV, PTV), or a file streamed from
disk (HSDS-JSON), so memory does not grow with the file.

Pass 1 reads the source, maps ids and stamps the source on each record (source_ids.py), validates it
(validation.py; after the first batch in a worker process if a core is free, checking.py) and keeps it in a
spool on disk (spool.py): every problem of the whole file is reported together, before anything is
written. Pass 2 reads the spool back and writes the records :data:`BATCH` at a
time (writer.py, bulk.py), the search documents of each batch with it; the session's identity map is emptied
between batches. ``prune`` archives
the source's services the feed no longer has at the end. Then one commit, or one rollback on any error and
on a dry run: nothing is ever half-written.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder

from ..models import utcnow
from .bulk import WRITTEN_MODELS, BulkWriter, empty_tables
from .checking import Checks
from .deferred_indexes import indexes_built_after
from .documents import BatchDocuments
from .errors import ImportValidationError, IssueCollector
from .progress import Progress
from .source_ids import map_ids, stamp_source
from .spool import RecordSpool, load_batch
from .structure import Record
from .terms import ImportTerms, TermResolver
from .writer import RecordWriter, WriteStats, prune_source

BATCH = 1000
"""Records written per batch: large enough for bulk statements, small enough to keep memory flat."""

SQLITE_CACHE_KIB = 256 * 1024
"""SQLite's page cache during an import (see _sqlite_page_cache): memory the import may take for speed."""

GC_THRESHOLD = 100_000
"""Allocations between young-generation garbage collections during an import (Python's default: 700)."""

RecordSource = Callable[[Progress | None], Iterator[Record]]
"""Yields the records (and may move the progress bar); the pipeline reads it once. Records hold JSON values
(as the schema check requires), which the spool keeps with :mod:`marshal`."""


@dataclass(frozen=True)
class ImportResult:
    services_created: int
    services_updated: int
    organizations_created: int
    organizations_updated: int
    locations_created: int
    locations_updated: int
    index_rows: int
    service_ids: tuple[str, ...]
    warnings: tuple[str, ...]
    dry_run: bool
    services_unchanged: int = 0
    """Of ``services_updated``: those whose content did not change (no history rows, no new timestamp)."""
    history_rows: int = 0
    source: str | None = None
    archived: tuple[tuple[str, str], ...] = ()
    """(id, name) of the services ``prune`` archived (or would archive, in a dry run)."""

    @property
    def services(self) -> int:
        return self.services_created + self.services_updated

    @property
    def organizations(self) -> int:
        return self.organizations_created + self.organizations_updated

    def summary_fi(self) -> str:
        verb = "Tarkistettiin (kuivaharjoitus, mitään ei tallennettu)" if self.dry_run else "Tuotiin"
        unchanged = f", joista {self.services_unchanged} ennallaan" if self.services_unchanged else ""
        text = (
            f"{verb} {self.services} palvelua ({self.services_created} uutta, {self.services_updated} "
            f"päivitettyä{unchanged}), {self.organizations} organisaatiota ja "
            f"{self.locations_created + self.locations_updated} sijaintia."
        )
        if self.archived:
            verb = "Arkistoitaisiin" if self.dry_run else "Arkistoitiin"
            gone = f"{len(self.archived)} lähteen {self.source} palvelua, joita tiedostossa ei enää ole"
            text += f" {verb} {gone}."
        return text


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    encoder: SentenceEncoder | None = None
    source: str | None = None
    """Stamped on every service; without it a record keeps the source it names, else ``default_source``."""
    default_source: str = "hsds-json"
    user: str | None = None
    prune: bool = False
    bulk: bool = True
    """Write batches that only add with bulk inserts (bulk.py); False forces the ORM writer (for tests)."""


def _prepared(records: Iterable[Record], options: ImportOptions) -> Iterator[Record]:
    for record in records:
        map_ids([record])
        stamp_source([record], options.source, options.default_source)
        yield record


def _prune_refused(source: str) -> ImportValidationError:
    issues = IssueCollector()
    issues.add(
        f"lähde {source}",
        None,
        "--prune ilman yhtään palvelua arkistoisi lähteen kaikki palvelut; tuonti hylättiin",
    )
    return ImportValidationError(issues.issues)


@dataclass
class _Totals:
    stats: WriteStats = field(default_factory=WriteStats)

    def add(self, batch: WriteStats) -> None:
        for item in fields(WriteStats):
            value = getattr(batch, item.name)
            total = getattr(self.stats, item.name)
            setattr(self.stats, item.name, total + value)


def run_import(
    session: Session, source: RecordSource, options: ImportOptions, progress: Progress | None = None
) -> ImportResult:
    """Validate, then write the records of ``source`` in one transaction of ``session`` (committed, or rolled
    back on error or dry run). Use a session with no other pending work."""
    with RecordSpool(BATCH) as spool, _fewer_collections():
        return _run(session, source, options, progress, spool)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector run rarely during the import, as usual after it.

    An import allocates millions of objects that live for a record or a batch (freed by their reference
    counts) and keeps a large set of long-lived ones (validation's per-id bookkeeping, caches); at the usual
    thresholds the collector ran thousands of times and its full collections walked the long-lived ones
    again and again, an eighth of the import's time. Cycles (ORM objects) are still collected, in bulk."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run(
    session: Session,
    source: RecordSource,
    options: ImportOptions,
    progress: Progress | None,
    spool: RecordSpool,
) -> ImportResult:
    pruned_source = options.source or options.default_source
    warnings, total, terms = _check(source, options, progress, spool)
    if options.prune and total == 0:
        raise _prune_refused(pruned_source)
    now = utcnow()
    user = options.user or f"import:{pruned_source}"
    try:
        with _sqlite_page_cache(session):
            stats = _write(session, spool.stored_batches(), options, now, user, total, progress, terms)
        if options.prune:
            archived = prune_source(session, set(stats.service_ids), pruned_source, now=now, user=user)
            stats.archived = archived
            stats.history_rows += len(archived)
            stats.index_rows += len(archived)
    except BaseException:
        session.rollback()
        raise
    if options.dry_run:
        session.rollback()
    else:
        session.commit()
    return _result(stats, warnings, options.dry_run, pruned_source)


def _check(
    source: RecordSource, options: ImportOptions, progress: Progress | None, spool: RecordSpool
) -> tuple[list[str], int, ImportTerms]:
    """Pass 1: map, check and spool every record (checking.py: the batches after the first in a worker
    process while this one reads on, if a core is free); (warnings, records, the import's terms) if all are
    valid. The checks' per-id bookkeeping (millions of small objects in a large import) is gone before
    pass 2, rather than held, and scanned by every garbage collection, until the end."""
    with Checks() as checks:
        for record in _prepared(source(progress), options):
            checks.add(record)
            checks.stored(spool.add(record))
        checks.stored(spool.flush(), last=True)
        return checks.result()


@contextmanager
def _sqlite_page_cache(session: Session) -> Iterator[None]:
    """A larger SQLite page cache while the batches are written, the connection's own size after.

    SQLite keeps 2 MB of the database in memory by default. Every row of a batch goes into indexes keyed by
    random UUIDs and has its foreign keys looked up in them, so once the database is larger than the cache
    nearly each of those touches a page that must be read again from the file."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before or 0)}")


def _write(
    session: Session,
    batches: Iterator[bytes],
    options: ImportOptions,
    now: datetime,
    user: str,
    total: int,
    progress: Progress | None,
    import_terms: ImportTerms,
) -> WriteStats:
    """Pass 2: the batches as the spool stores them, written one after another; the search documents of a
    bulk-written batch are built meanwhile in a worker process (documents.py) if the import has more than
    one batch and a core is free."""
    totals = _Totals()
    written: dict[str, set[str]] = {"organization": set(), "location": set(), "program": set()}
    issues = IssueCollector()
    terms = TermResolver(session, issues)
    with session.no_autoflush:
        terms.resolve_first(import_terms.taxonomies.values(), import_terms.terms.values())
    issues.raise_if_any()
    session.flush()
    if progress is not None:
        progress.phase("Tallennetaan", total, "palvelua")
    done = 0
    empty = empty_tables(session)
    # A first import into an empty directory (every batch takes the bulk path) may index afterwards.
    first = options.bulk and empty == WRITTEN_MODELS
    deferred = [str(model.__tablename__) for model in WRITTEN_MODELS] if first else []
    with (
        BatchDocuments(terms, terms.resolved(), now, apart=total > BATCH) as documents,
        indexes_built_after(session, deferred, total),
    ):
        common: dict[str, Any] = {"now": now, "encoder": options.encoder, "user": user, "written": written}
        for data in batches:
            batch = load_batch(data)
            bulk = BulkWriter(session, batch, IssueCollector(), terms=terms, empty=empty, **common)
            use_bulk = options.bulk and bulk.applies()
            if use_bulk:
                documents.start(data)
                bulk.documents = documents
            writer = bulk if use_bulk else RecordWriter(session, batch, bulk.issues, terms=terms, **common)
            totals.add(writer.write())
            # The rows are flushed; forgetting them keeps the session's memory that of one batch.
            session.expunge_all()
            done += len(batch)
            if progress is not None:
                progress.update(done)
    if progress is not None:
        progress.close()
    return totals.stats


def _result(stats: WriteStats, warnings: list[str], dry_run: bool, source: str) -> ImportResult:
    return ImportResult(
        services_created=stats.services_created,
        services_updated=stats.services_updated,
        organizations_created=stats.organizations_created,
        organizations_updated=stats.organizations_updated,
        locations_created=stats.locations_created,
        locations_updated=stats.locations_updated,
        index_rows=stats.index_rows,
        service_ids=tuple(stats.service_ids),
        warnings=tuple(warnings),
        dry_run=dry_run,
        services_unchanged=stats.services_unchanged,
        history_rows=stats.history_rows,
        source=source,
        archived=tuple(stats.archived),
    )
