"""The import's worker processes (importers/worker.py): pass 1's checks (checking.py) find, order and word
exactly what the in-process checks do, the search documents built apart (documents.py) are those built
here, and no worker outlives its import."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db.importers import checking, hsds_json, pipeline, worker
from directory_db.importers.checking import Checked, Checks, RecordChecks
from directory_db.importers.errors import ImportValidationError
from directory_db.importers.pipeline import ImportOptions, run_import
from directory_db.importers.spool import RecordSpool
from directory_db.importers.structure import Record
from directory_db.models import Service

from .conftest import valid_records
from .test_import_batches import _contents, _database, _import
from .test_import_batches import _records as _directory

_CORE_FREE = worker.core_free  # as it is, before the fixture below replaces it


@pytest.fixture(autouse=True)
def _a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers start whatever the machine's load (see worker.core_free)."""
    monkeypatch.setattr(worker, "core_free", lambda: True)


def _spy_on_workers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []
    start = worker.Worker.__init__

    def spied(self: worker.Worker, serve: Any, name: str) -> None:
        started.append(name)
        start(self, serve, name)

    monkeypatch.setattr(worker.Worker, "__init__", spied)
    return started


def _records(items: list[dict[str, Any]]) -> list[Record]:
    return hsds_json.records_from_data(items)


def _in_process(records: list[Record]) -> Checked:
    checks = RecordChecks()
    for record in records:
        checks.add(record)
    return checks.result()


def _in_worker(records: list[Record], batch: int = 2) -> Checked:
    with RecordSpool(batch) as spool, Checks() as checks:
        for record in records:
            checks.add(record)
            checks.stored(spool.add(record))
        checks.stored(spool.flush(), last=True)
        assert checks._worker is not None  # more than one batch: the worker checks the later ones
        return checks.result()


def _terms(checked: Checked) -> tuple[list[tuple[str, str, str]], list[str]]:
    terms = checked[2]
    return [(i, label, node.path) for i, (label, node) in terms.terms.items()], list(terms.taxonomies)


def test_the_worker_answers_as_the_process_itself() -> None:
    records = _records(valid_records())
    here, there = _in_process(records), _in_worker(records)
    assert (there[0], there[1]) == (here[0], here[1]) and here[1] == len(records)
    assert _terms(there) == _terms(here) and here[2].terms


def test_the_worker_reports_the_same_problems_in_the_same_order() -> None:
    items = valid_records()
    items[1]["name"] = 42  # the record's own problem (schema)
    items[4]["id"] = items[2]["id"]  # a problem across the file (a repeated id)
    items[5]["service_areas"] = [{"id": "x", "uri": "http://example.com/not-an-area"}]
    records = _records(items)
    with pytest.raises(ImportValidationError) as here:
        _in_process(records)
    with pytest.raises(ImportValidationError) as there:
        _in_worker(records)
    assert str(there.value) == str(here.value)
    assert there.value.issues == here.value.issues and len(here.value.issues) >= 2


def test_a_failure_in_the_worker_is_raised_by_the_import(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = checking.RecordChecks.add

    def broken(self: RecordChecks, record: Record) -> None:
        if record.label.startswith("palvelu #4 "):  # in the second batch: the worker's
            raise KeyError("rikki")
        check(self, record)

    monkeypatch.setattr(checking.RecordChecks, "add", broken)  # the forked worker has it too
    monkeypatch.setattr(pipeline, "BATCH", 2)
    labelled = _records(valid_records())
    with pytest.raises(RuntimeError, match="KeyError: 'rikki'"):
        run_import(session, lambda _progress: iter(labelled), ImportOptions())
    assert session.scalars(select(Service.id)).first() is None
    assert not multiprocessing.active_children()


def test_the_worker_stops_when_the_import_does(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH", 2)
    labelled = _records(valid_records())

    def source(_progress: object) -> Iterator[Record]:
        yield from labelled[:5]  # two batches sent to the worker, then the file breaks
        raise ValueError("tiedosto katkesi")

    with pytest.raises(ValueError, match="katkesi"):
        run_import(session, source, ImportOptions())
    assert not multiprocessing.active_children()


def test_documents_built_apart_are_those_built_here(
    backend_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On PostgreSQL too: the workers are forked with the import's connection open and must leave it alone.
    here_url, apart_url = _database(tmp_path, "here.sqlite3"), backend_url
    here = _import(here_url, _directory(), bulk=True)  # one batch: no worker
    started = _spy_on_workers(monkeypatch)
    monkeypatch.setattr(pipeline, "BATCH", 5)
    apart = _import(apart_url, _directory(), bulk=True)
    assert started == ["ovi-import-checks", "ovi-import-documents"]
    assert apart.index_rows == here.index_rows == len(_directory())
    assert _contents(apart_url)["search_documents"] == _contents(here_url)["search_documents"]
    assert not multiprocessing.active_children()


def test_without_a_free_core_the_import_works_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here_url, busy_url = _database(tmp_path, "here.sqlite3"), _database(tmp_path, "busy.sqlite3")
    _import(here_url, _directory(), bulk=True)
    started = _spy_on_workers(monkeypatch)
    monkeypatch.setattr(worker, "core_free", lambda: False)
    monkeypatch.setattr(pipeline, "BATCH", 5)
    _import(busy_url, _directory(), bulk=True)
    assert started == []
    assert _contents(busy_url) == _contents(here_url)


def test_no_worker_is_forked_beside_other_threads() -> None:
    # A lock another thread holds at the fork would stay held in the worker (the web app imports this way).
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _CORE_FREE() is False
    finally:
        stop.set()
        thread.join()
