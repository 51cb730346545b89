"""HSDS-JSON import (also the export format, so export → import round-trips).

Format: a JSON array of HSDS 3.0 *service* objects shaped as ``compiled/service.json``, each with its nested
``organization`` (with the organization type attribute), ``phones``, ``schedules``, ``service_areas``,
``service_at_locations`` (each with an inline ``location`` with ``addresses``, ``phones``, ``schedules``),
``languages`` and ``attributes`` with an inline ``taxonomy_term``, following Ovi's Finnish profile (SPEC §5).

The file is streamed (stream.py) once (pipeline.py): first every record is checked against the JSON schema
and the profile before anything is written, all problems reported together (:class:`ImportValidationError`);
then the checked records, kept on disk meanwhile (spool.py), are written in batches. Ids that are not UUIDs
are mapped to stable UUIDs and every service is stamped with its source (source_ids.py) before either. The
write is one transaction: services are upserted by id with their children replaced, shared organizations,
locations and programs are stored once, the change history gets a row per created service and per changed
field (history.py), ``prune`` archives the source's services that the feed no longer has, and the search
index of the services touched is rebuilt before the commit (search_index.py). A dry run does all of it and
rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder

from .errors import ImportValidationError, IssueCollector, record_label
from .pipeline import ImportOptions, ImportResult, run_import
from .progress import Progress
from .stream import StreamError, iter_records
from .structure import Record
from .validation import Validator

FORMAT = "hsds-json"

__all__ = [
    "FORMAT", "ImportResult", "import_hsds_json", "import_records", "records_from_data", "validate_records",
]  # fmt: skip


def _file_issue(path: Path, message: str) -> ImportValidationError:
    collector = IssueCollector()
    collector.add(f"tiedosto {path.name}", None, message)
    return ImportValidationError(collector.issues)


def records_from_data(items: Sequence[Any], source: str | None = None) -> list[Record]:
    """Label already parsed service objects (1-based positions; ``source`` prefixes the label)."""
    return [Record(record_label(i, item, source), item) for i, item in enumerate(items, start=1)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as error:
        raise _file_issue(path, f"tiedostoa ei voi lukea: {error.strerror or error}") from error


def _file_records(paths: Sequence[Path]) -> Callable[[Progress | None], Iterator[Record]]:
    """The records of the files, streamed (the pipeline reads them once); with several files the labels name
    the file too. Every file must be readable before the first is read."""
    sizes = {path: _size(path) for path in paths}
    many = len(paths) > 1

    def records(progress: Progress | None) -> Iterator[Record]:
        for path in paths:
            size = sizes[path]
            moved = None
            if progress is not None:
                progress.phase(f"Tarkistetaan {path.name}", size, "B")
                moved = progress.update
            try:
                for i, item in enumerate(iter_records(path, moved), start=1):
                    yield Record(record_label(i, item, path.name if many else None), item)
            except StreamError as error:
                raise _file_issue(path, str(error)) from error
            except OSError as error:
                raise _file_issue(path, f"tiedostoa ei voi lukea: {error.strerror or error}") from error
            if progress is not None:
                progress.close()

    return records


def validate_records(records: Sequence[Record]) -> list[str]:
    """Check every record (schema, then profile) and the file as a whole; return warnings.

    Raises :class:`ImportValidationError` listing every problem found (up to the cap).
    """
    validator = Validator()
    for record in records:
        validator.check(record)
    return validator.finish()


def import_records(
    session: Session,
    records: Sequence[Record],
    *,
    dry_run: bool = False,
    encoder: SentenceEncoder | None = None,
    source: str | None = None,
    default_source: str = FORMAT,
    user: str | None = None,
    prune: bool = False,
) -> ImportResult:
    """Validate and write ``records`` in one transaction of ``session`` (committed, or rolled back on error
    or dry run). Use a session with no other pending work. With an ``encoder``, the search vectors of
    changed services are computed too (else later, by ``python -m directory_db embed``).

    ``source`` names where the records come from (stamped on every service; without it a record keeps the
    source it names, else gets ``default_source``); ``prune`` archives the services of ``source`` (or
    ``default_source``) that the records no longer have: give it only a full feed. ``user`` is who the change
    history names (the format importers default to ``import:<format>``). The records are changed in place:
    non-UUID ids become stable UUIDs.
    """
    options = ImportOptions(
        dry_run=dry_run, encoder=encoder, source=source, default_source=default_source, user=user, prune=prune
    )
    return run_import(session, lambda _progress: iter(records), options)


def import_hsds_json(
    session: Session,
    paths: Path | str | Sequence[Path | str],
    *,
    dry_run: bool = False,
    encoder: SentenceEncoder | None = None,
    source: str | None = None,
    user: str | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one or more HSDS-JSON files atomically (all files in one transaction), streamed: memory does
    not grow with the files. The options as in :func:`import_records` (the default source is
    ``hsds-json``); ``progress`` draws a bar of both passes."""
    path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    options = ImportOptions(
        dry_run=dry_run, encoder=encoder, source=source, default_source=FORMAT,
        user=user or f"import:{FORMAT}", prune=prune,
    )  # fmt: skip
    return run_import(session, _file_records(path_list), options, progress)
