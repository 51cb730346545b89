"""Change history (HSDS ``metadata``): one create row per new service, one row per changed field of an
updated one (who, when, which field, old → new), nothing when nothing changed; the history the file brings is
kept and never rewritten; the service object carries it and still validates."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory_db import hsds, schemas
from directory_db.export import export_hsds_json, export_services
from directory_db.importers import ImportResult, ImportValidationError, import_hsds_json
from directory_db.importers.history import changes, flatten
from directory_db.models import Metadata, Service, as_utc

from .conftest import SERVICE_IDS, VALID, row_counts, valid_records, write_json

FIRST = SERVICE_IDS["Päihdetyön avopalvelu"]


def _history(session: Session, service_id: str) -> list[tuple[str, str, str, str, str]]:
    service = session.get(Service, service_id, populate_existing=True)
    assert service is not None
    return [
        (m["last_action_type"], m["field_name"], m["previous_value"], m["replacement_value"], m["updated_by"])
        for m in hsds.service(service, public=False)["metadata"]
    ]


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Metadata)) or 0


def test_flatten_and_changes() -> None:
    before = {"name": "A", "phones": [{"number": "1"}], "minimum_age": 18, "metadata": [{"x": 1}]}
    after = {"name": "B", "phones": [{"number": "1"}, {"number": "2"}], "last_modified": "now"}
    assert list(flatten(before)) == [("name", "A"), ("phones[0].number", "1"), ("minimum_age", 18)]
    assert [(c.field_name, c.previous_value, c.replacement_value) for c in changes(before, after)] == [
        ("name", "A", "B"),
        ("phones[1].number", "", "2"),
        ("minimum_age", "18", ""),
    ]
    assert changes(before, before) == []


def test_a_created_service_gets_one_create_row(session: Session, imported: ImportResult) -> None:
    assert imported.history_rows == 6
    [(action, field, old, new, user)] = _history(session, FIRST)
    assert (action, field, old, new, user) == ("create", "id", "", FIRST, "import:hsds-json")
    # The file's own history of a service is kept beside Ovi's row.
    rows = _history(session, SERVICE_IDS["Diakonian talous- ja velkaneuvonta"])
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("update", "description", "Kotkan seurakuntayhtymä"),
        ("create", "id", "import:hsds-json"),
    ]


def test_reimporting_the_same_file_changes_nothing(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    del records[0]["last_modified"]  # the import stamps the time itself
    path = write_json(tmp_path / "x.json", records)
    import_hsds_json(session, path)
    service = session.get(Service, FIRST)
    assert service is not None
    stamped, counts, exported = service.last_modified, row_counts(session), export_services(session)
    again = import_hsds_json(session, path)
    assert (again.services_updated, again.services_unchanged, again.history_rows) == (6, 6, 0)
    assert "joista 6 ennallaan" in again.summary_fi()
    session.expire_all()
    assert row_counts(session) == counts and export_services(session) == exported
    assert session.get(Service, FIRST).last_modified == stamped  # type: ignore[union-attr]


def test_a_changed_file_records_each_changed_field(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    first = records[0]
    del first["last_modified"]
    first["name"] = "Päihdetyön avopalvelu ja neuvonta"
    first["phones"][0]["number"] = "05 999 9999"
    first["minimum_age"] = 18
    before = datetime.now(timezone.utc)
    result = import_hsds_json(session, write_json(tmp_path / "x.json", records), user="Maija Ylläpitäjä")
    assert (result.services_updated, result.services_unchanged, result.history_rows) == (6, 5, 3)
    old_number = valid_records()[0]["phones"][0]["number"]
    assert _history(session, FIRST)[1:] == [
        ("update", "name", "Päihdetyön avopalvelu", "Päihdetyön avopalvelu ja neuvonta", "Maija Ylläpitäjä"),
        ("update", "minimum_age", "", "18", "Maija Ylläpitäjä"),
        ("update", "phones[0].number", old_number, "05 999 9999", "Maija Ylläpitäjä"),
    ]
    service = session.get(Service, FIRST)
    assert service is not None and as_utc(service.last_modified) >= before.replace(microsecond=0)
    rows = session.scalars(select(Metadata).where(Metadata.updated_by == "Maija Ylläpitäjä")).all()
    when = {datetime.fromisoformat(m.last_action_date.replace("Z", "+00:00")) for m in rows}
    assert len(when) == 1 and next(iter(when)) >= before.replace(microsecond=0)
    assert {m.resource_type for m in rows} == {"service"}


def test_history_survives_updates_and_validates(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    records[0]["description"] = "Uusi kuvaus."
    import_hsds_json(session, write_json(tmp_path / "x.json", records))
    records[0]["description"] = "Vielä uudempi kuvaus."
    import_hsds_json(session, write_json(tmp_path / "y.json", records))
    assert [(r[0], r[1], r[3]) for r in _history(session, FIRST)] == [
        ("create", "id", FIRST),
        ("update", "description", "Uusi kuvaus."),
        ("update", "description", "Vielä uudempi kuvaus."),
    ]
    service = session.get(Service, FIRST)
    assert service is not None
    public = hsds.service(service)
    assert len(public["metadata"]) == 3
    assert schemas.iter_errors("compiled/service", public) == []


def test_history_moves_with_an_export_and_is_not_duplicated(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    """An export imported again keeps its services' history, and its create rows stand for the creation."""
    path = tmp_path / "export.json"
    export_hsds_json(session, path)
    before = _count(session)
    import_hsds_json(session, path)  # the same database: every row is already there
    assert _count(session) == before


def test_a_history_row_cannot_be_rewritten(session: Session, imported: ImportResult, tmp_path: Path) -> None:
    records = valid_records()
    records[3]["metadata"][0]["updated_by"] = "Joku muu"
    before = row_counts(session)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    message = str(raised.value)
    assert "palvelu #4 (id=" in message
    assert (
        "kenttä metadata[0].updated_by: muutoshistoriarivi" in message
        and "historiaa ei voi muuttaa" in message
    )
    session.expire_all()
    assert row_counts(session) == before


def test_history_row_of_another_resource_is_rejected(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    records[3]["metadata"][0]["resource_id"] = records[0]["id"]
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    assert "kenttä metadata[0].resource_id: arvo" in str(raised.value)
    assert set(row_counts(session).values()) == {0}


def test_dry_run_writes_no_history(session: Session) -> None:
    result = import_hsds_json(session, VALID, dry_run=True)
    assert result.history_rows == 6 and _count(session) == 0
