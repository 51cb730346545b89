"""The batched import: the bulk-insert path writes exactly the rows the ORM writer writes, batch boundaries
change nothing (shared organizations and locations across batches, re-import, history), and a streamed
import's memory does not grow with the file."""

from __future__ import annotations

import json
import multiprocessing
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from directory_db import migrate
from directory_db.cli import DEMO_DIR, main
from directory_db.db import make_engine, make_session_factory
from directory_db.importers import hsds_json, pipeline, writer
from directory_db.importers.pipeline import ImportOptions, ImportResult, run_import
from directory_db.importers.spool import RecordSpool
from directory_db.importers.structure import Record
from directory_db.models import Base
from directory_db.search_eval.speed import generate, iter_generate

from .conftest import VALID, valid_records

# Columns whose value is the moment of the import, or random per import (the history rows Ovi writes).
_VOLATILE = {
    "services": {"last_modified"},
    "organizations": {"last_modified"},
    "locations": {"last_modified"},
    "metadata": {"id", "last_action_date"},
    "search_index_state": {"token", "generation"},
    "search_documents": {"indexed_generation"},
}


def _records() -> list[dict[str, Any]]:
    """The valid fixture (every kind of HSDS object) and the demo directory: shared organizations too."""
    out = valid_records()
    for path in sorted(DEMO_DIR.glob("*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))
    return out


def _import(url: str, records: list[dict[str, Any]], *, bulk: bool) -> ImportResult:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            labelled = hsds_json.records_from_data(records)
            return run_import(session, lambda _progress: iter(labelled), ImportOptions(bulk=bulk))
    finally:
        engine.dispose()


def _contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without the volatile columns, sorted (insertion order is no part of the data)."""
    engine: Engine = make_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in _VOLATILE.get(table.name, set())]
            rows = connection.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(row) for row in rows), key=repr)
    engine.dispose()
    return out


def _database(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    migrate.upgrade(url)
    return url


def test_bulk_path_writes_what_the_orm_writer_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    orm_url, bulk_url = _database(tmp_path, "orm.sqlite3"), _database(tmp_path, "bulk.sqlite3")
    orm_result = _import(orm_url, _records(), bulk=False)
    # The bulk run must not fall back to the ORM writer, or the comparison would prove nothing.
    monkeypatch.setattr(writer.RecordWriter, "write", lambda self: pytest.fail("ORM writer used"))
    bulk_result = _import(bulk_url, _records(), bulk=True)
    assert bulk_result.services_created == orm_result.services_created == len(_records())
    assert (bulk_result.organizations_created, bulk_result.locations_created, bulk_result.history_rows) == (
        orm_result.organizations_created, orm_result.locations_created, orm_result.history_rows,
    )  # fmt: skip
    orm, bulk = _contents(orm_url), _contents(bulk_url)
    assert orm["attributes"] and orm["metadata"] and orm["search_documents"]
    for table in orm:
        assert bulk[table] == orm[table], table


def test_bulk_batches_into_a_directory_with_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # New services added to a directory whose search index holds documents (bulk.empty_tables: the bulk
    # path then reads and replaces the batch's documents, which an empty index lets it skip).
    first, second = generate(6)[:3], generate(6)[3:]
    orm_url, bulk_url = _database(tmp_path, "orm.sqlite3"), _database(tmp_path, "bulk.sqlite3")
    for records in (first, second):
        _import(orm_url, records, bulk=False)
    with monkeypatch.context() as patched:
        patched.setattr(writer.RecordWriter, "write", lambda self: pytest.fail("ORM writer used"))
        for records in (first, second):
            assert _import(bulk_url, records, bulk=True).index_rows == 3
    orm, bulk = _contents(orm_url), _contents(bulk_url)
    assert len(orm["search_documents"]) == 6
    for table in orm:
        assert bulk[table] == orm[table], table


def test_small_batches_change_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole_url, batched_url = _database(tmp_path, "whole.sqlite3"), _database(tmp_path, "batched.sqlite3")
    whole = _import(whole_url, _records(), bulk=True)
    # Two services a batch: organizations and locations shared by services of different batches.
    monkeypatch.setattr(pipeline, "BATCH", 2)
    batched = _import(batched_url, _records(), bulk=True)
    assert (batched.organizations_created, batched.locations_created, batched.index_rows) == (
        whole.organizations_created, whole.locations_created, whole.index_rows,
    )  # fmt: skip
    assert _contents(batched_url) == _contents(whole_url)
    # Re-importing, through the ORM writer in small batches: nothing changes, no history is written.
    again = _import(batched_url, _records(), bulk=True)
    assert again.services_unchanged == again.services_updated == len(_records())
    assert again.history_rows == 0 and again.organizations_created == 0
    assert _contents(batched_url) == _contents(whole_url)


def test_error_in_a_later_batch_leaves_nothing_written(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Valid for the file checks, refused only while writing: a child id another record already owns.
    monkeypatch.setattr(pipeline, "BATCH", 2)
    hsds_json.import_hsds_json(session, VALID)
    records = _records()[6:]
    taken = valid_records()[0]["phones"][0]["id"]
    records[-1]["phones"] = [{**records[-1]["phones"][0], "id": taken}] if records[-1].get("phones") else [
        {"id": taken, "number": "09 123 4567"}
    ]
    path = tmp_path / "later.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    before = _contents(str(session.get_bind().engine.url))
    with pytest.raises(Exception, match="jo tietokannassa"):
        hsds_json.import_hsds_json(session, path)
    assert _contents(str(session.get_bind().engine.url)) == before
    assert not multiprocessing.active_children()  # the import's workers stopped with it


def test_an_id_repeated_in_a_later_batch_of_a_new_directory_is_refused(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Into empty tables the bulk batches look no id up (bulk.empty_tables): pass 1 must refuse the repeat.
    monkeypatch.setattr(pipeline, "BATCH", 2)
    records = valid_records()
    phone = next(p for r in records for p in r.get("phones", []))
    records[-1]["phones"] = [{**phone, "number": "040 123 4567"}]
    labelled = hsds_json.records_from_data(records)
    with pytest.raises(Exception, match="esiintyy jo"):
        run_import(session, lambda _progress: iter(labelled), ImportOptions())
    assert session.scalars(select(Base.metadata.tables["services"].c.id)).first() is None


def test_the_spool_gives_back_the_records_in_batches_as_they_were() -> None:
    records = [Record(f"palvelu {i}", record) for i, record in enumerate(_records(), start=1)]
    with RecordSpool(4) as spool:
        for record in records:
            spool.add(record)
        batches = list(spool.batches())
        assert [len(b) for b in batches[:-1]] == [4] * (len(batches) - 1) and 0 < len(batches[-1]) <= 4
        assert [r for b in batches for r in b] == records
        assert [r for b in spool.batches() for r in b] == records  # read again from the start


# --- memory -------------------------------------------------------------------------------------------------

_CHILD = """
import resource, sys
from directory_db.cli import main
rc = main(["--database-url", sys.argv[1], "import", sys.argv[2], "--skip-embeddings"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
sys.exit(rc)
"""


def _peak_mb(url: str, path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.strip().splitlines()[-1])


def _big_file(path: Path, services: int, target_bytes: int) -> int:
    """Generated services, each padded with a field Ovi does not keep, written one at a time."""
    records = iter_generate(services, seed=11)
    padding = max(0, target_bytes // services - 3300)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for i, record in enumerate(records):
            # Text (not one repeated character) so that nothing can share or compress it.
            record["x_lisatieto"] = (f"{record['name']} {i} " * (padding // 20 + 1))[:padding]
            handle.write(("," if i else "") + json.dumps(record, ensure_ascii=False))
        handle.write("]")
    return path.stat().st_size


def test_streamed_import_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    """A ~200 MB file imports with a peak no more than a fixed margin above a one-service import's.

    The margin (150 MB) is what one batch of services, their ORM rows and index documents and the ids of the
    whole file may take; the file itself, read whole, would be 200 MB of text before any parsing, and its
    parsed objects several times that, so an import that holds the file fails this test."""
    small = tmp_path / "one.json"
    small.write_text(json.dumps(generate(1, seed=11), ensure_ascii=False), encoding="utf-8")
    baseline = _peak_mb(_database(tmp_path, "one.sqlite3"), small)
    big = tmp_path / "big.json"
    size = _big_file(big, 6000, 200_000_000)
    assert size > 190_000_000
    peak = _peak_mb(_database(tmp_path, "big.sqlite3"), big)
    print(f"baseline {baseline} MB, {size / 1e6:.0f} MB file: peak {peak} MB")
    assert peak - baseline < 150, (baseline, peak)
    # The test process itself held the generated services; it is the child's memory that is measured.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 >= peak


def test_records_of_a_labelled_source_are_checked_before_any_write(session: Session) -> None:
    # A problem in the last record stops the import before the first batch is written.
    records = _records()
    records[-1]["name"] = 42
    labelled = hsds_json.records_from_data(records)
    with pytest.raises(Exception, match="merkkijono"):
        run_import(session, lambda _progress: iter(labelled), ImportOptions())
    assert session.scalars(select(Base.metadata.tables["services"].c.id)).first() is None
    assert isinstance(labelled[0], Record)


# --- progress ---------------------------------------------------------------------------------------------


def test_progress_bar_when_asked(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", db_url, "import", str(VALID), "--dry-run"]) == 0
    assert "Tallennetaan" not in capsys.readouterr().err  # stderr is not a terminal here
    assert main(["--database-url", db_url, "import", str(VALID), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "Tarkistetaan valid_services.json: [" in err
    assert f"100% ({VALID.stat().st_size / 1e6:.1f} / {VALID.stat().st_size / 1e6:.1f} Mt)" in err
    assert "Tallennetaan: [##############################] 100% (6 / 6 palvelua)" in err
