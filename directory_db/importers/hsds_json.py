"""HSDS-JSON import (also the export format, so export → import round-trips).

Format: a JSON array of HSDS 3.0 *service* objects shaped as ``compiled/service.json``, each with its nested
``organization`` (with the organization type attribute), ``phones``, ``schedules``, ``service_areas``,
``service_at_locations`` (each with an inline ``location`` with ``addresses``, ``phones``, ``schedules``),
``languages`` and ``attributes`` with an inline ``taxonomy_term``, following Ovi's Finnish profile (SPEC §5).

Every record is checked against the JSON schema and the profile before anything is written; all problems are
reported together (:class:`ImportValidationError`). Before that, ids that are not UUIDs are mapped to stable
UUIDs and every service is stamped with its source (source_ids.py). The write is one transaction: services are
upserted by id with their children replaced, shared organizations, locations and programs are stored once,
the change history gets a row per created service and per changed field (history.py), ``prune`` archives the
source's services that the feed no longer has, and the search index of the services touched is rebuilt
before the commit (search_index.py). A dry run does all of it and rolls back.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder

from ..models import utcnow
from ..profile import SERVICE_CLASS_TAXONOMY
from .errors import ImportValidationError, IssueCollector, record_label
from .profile_check import file_problems, record_problems
from .schema_check import schema_problems
from .source_ids import map_ids, stamp_source
from .structure import KINDS, Record, walk
from .writer import RecordWriter, WriteStats

FORMAT = "hsds-json"


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


def _file_issue(path: Path, message: str) -> ImportValidationError:
    collector = IssueCollector()
    collector.add(f"tiedosto {path.name}", None, message)
    return ImportValidationError(collector.issues)


def read_json_array(path: Path) -> list[Any]:
    """The records of one file; :class:`ImportValidationError` if it cannot be read or is not an array."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise _file_issue(path, f"tiedostoa ei voi lukea: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise _file_issue(path, f"tiedosto ei ole UTF-8-tekstiä ({error.reason})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _file_issue(
            path, f"ei ole kelvollista JSONia (rivi {error.lineno}, sarake {error.colno}): {error.msg}"
        ) from error
    if not isinstance(data, list):
        raise _file_issue(path, "tiedoston pitää olla JSON-taulukko HSDS-palveluista ([{...}, {...}])")
    return data


def records_from_data(items: Sequence[Any], source: str | None = None) -> list[Record]:
    """Label already parsed service objects (1-based positions; ``source`` prefixes the label)."""
    return [Record(record_label(i, item, source), item) for i, item in enumerate(items, start=1)]


def load_records(paths: Sequence[Path]) -> list[Record]:
    """Records of one or more files; with several files the labels name the file too."""
    many = len(paths) > 1
    records: list[Record] = []
    for path in paths:
        records += records_from_data(read_json_array(path), path.name if many else None)
    return records


_INDEX = re.compile(r"\[\d+\]")


def _warnings(records: Sequence[Record]) -> list[str]:
    ignored: Counter[str] = Counter()
    warnings: list[str] = []
    for record in records:
        seen: set[str] = set()
        for node in walk("service", record.data):
            for name, value in node.data.items():
                if name not in KINDS[node.kind].fields and value not in (None, "", [], {}):
                    seen.add(_INDEX.sub("[]", node.field_path(name)))
        ignored.update(seen)
        classes = [
            a
            for a in record.data.get("attributes", [])
            if a.get("taxonomy_term", {}).get("taxonomy") == SERVICE_CLASS_TAXONOMY
        ]
        if not classes:
            warnings.append(
                f"{record.label}: ei palveluluokkaa ({SERVICE_CLASS_TAXONOMY}); "
                "botti löytää palvelun vain tekstihaulla"
            )
    warnings += [
        f"kenttää {name} ei tallenneta (Ovi ei tue sitä): {count} palvelussa"
        for name, count in sorted(ignored.items())
    ]
    return warnings


def validate_records(records: Sequence[Record]) -> list[str]:
    """Check every record (schema, then profile) and the file as a whole; return warnings.

    Raises :class:`ImportValidationError` listing every problem found (up to the cap).
    """
    issues = IssueCollector()
    valid: list[Record] = []
    for record in records:
        problems = list(schema_problems(record.data))
        # The profile checks assume the schema's shapes, so a record that breaks the schema stops here.
        if not problems:
            problems = list(record_problems(record.data))
            valid.append(record)
        for field_path, message in problems:
            issues.add(record.label, field_path, message)
    for label, field_path, message in file_problems(valid):
        issues.add(label, field_path, message)
    issues.raise_if_any()
    return _warnings(records)


def _prune_refused(source: str) -> ImportValidationError:
    issues = IssueCollector()
    issues.add(
        f"lähde {source}",
        None,
        "--prune ilman yhtään palvelua arkistoisi lähteen kaikki palvelut; tuonti hylättiin",
    )
    return ImportValidationError(issues.issues)


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
    pruned_source = source or default_source
    if prune and not records:
        raise _prune_refused(pruned_source)
    map_ids(records)
    stamp_source(records, source, default_source)
    warnings = validate_records(records)
    try:
        writer = RecordWriter(
            session, records, IssueCollector(), now=utcnow(), encoder=encoder,
            user=user or f"import:{pruned_source}", source=pruned_source, prune=prune,
        )  # fmt: skip
        stats: WriteStats = writer.write()
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
    else:
        session.commit()
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
        source=pruned_source,
        archived=tuple(stats.archived),
    )


def import_hsds_json(
    session: Session,
    paths: Path | str | Sequence[Path | str],
    *,
    dry_run: bool = False,
    encoder: SentenceEncoder | None = None,
    source: str | None = None,
    user: str | None = None,
    prune: bool = False,
) -> ImportResult:
    """Import one or more HSDS-JSON files atomically (all files in one transaction); the options as in
    :func:`import_records` (the default source is ``hsds-json``)."""
    path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    return import_records(
        session, load_records(path_list), dry_run=dry_run, encoder=encoder, source=source,
        default_source=FORMAT, user=user or f"import:{FORMAT}", prune=prune,
    )  # fmt: skip
