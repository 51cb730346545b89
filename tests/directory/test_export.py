"""Export in the import format: stable, schema-valid, and a lossless round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from directory_db import migrate, schemas
from directory_db.db import make_engine, make_session_factory
from directory_db.export import export_hsds_json, export_services
from directory_db.importers import ImportResult, import_hsds_json

from .conftest import row_counts, valid_records


def _fresh_session(tmp_path: Path, name: str) -> Session:
    url = f"sqlite:///{tmp_path / name}"
    migrate.upgrade(url)
    return make_session_factory(make_engine(url))()


def test_round_trip_is_identical(session: Session, imported: ImportResult, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    export_hsds_json(session, first)
    with _fresh_session(tmp_path, "second.sqlite3") as second_session:
        import_hsds_json(second_session, first)
        assert row_counts(second_session) == row_counts(session)
        second = tmp_path / "second.json"
        export_hsds_json(second_session, second)
    assert first.read_bytes() == second.read_bytes()


def _streets(service: dict[str, Any]) -> list[list[str]]:
    return [[a["address_1"] for a in sal["location"]["addresses"]] for sal in service["service_at_locations"]]


def test_export_keeps_the_imported_content(session: Session, imported: ImportResult) -> None:
    exported = {s["id"]: s for s in export_services(session)}
    for original in valid_records():
        out = exported[original["id"]]
        for key in ("name", "description", "status", "last_modified"):
            assert out.get(key) == original.get(key)
        assert [p["number"] for p in out["phones"]] == [p["number"] for p in original.get("phones", [])]
        assert [a["uri"] if "uri" in a else a["extent"] for a in out["service_areas"]] == [
            a.get("uri", a.get("extent")) for a in original["service_areas"]
        ]
        # The file's attributes, then where the service came from (stamped by the import).
        assert [a["taxonomy_term"]["code"] for a in out["attributes"]] == [
            *(a["taxonomy_term"]["code"] for a in original["attributes"]), "source"
        ]
        assert out["organization"]["name"] == original["organization"]["name"]
        assert _streets(out) == _streets(original)


def test_export_is_sorted_pretty_and_schema_valid(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    assert export_hsds_json(session, path) == 6
    text = path.read_text(encoding="utf-8")
    assert text.startswith("[\n  {") and text.endswith("]\n")
    assert "Päihdetyön" in text  # not \u-escaped
    data = json.loads(text)
    assert [s["id"] for s in data] == sorted(s["id"] for s in data)
    for service in data:
        assert schemas.iter_errors("compiled/service", service) == []


def test_reimporting_an_export_into_the_same_database_changes_nothing(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    export_hsds_json(session, path)
    before = row_counts(session)
    import_hsds_json(session, path)
    assert row_counts(session) == before
    again = tmp_path / "again.json"
    export_hsds_json(session, again)
    assert path.read_bytes() == again.read_bytes()


def test_empty_database_exports_an_empty_array(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    assert export_hsds_json(session, path) == 0
    assert json.loads(path.read_text(encoding="utf-8")) == []
