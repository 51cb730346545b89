"""``db.insert_many`` on SQLite hands the rows to the driver itself; it must store exactly what
SQLAlchemy's own ``insert(table)`` stores: the same values in the same stored form, and the columns'
Python-side defaults. The rows cover its three ways: values to convert (organizations' dates), values as
they are (history, every column given), and a default to add (funding's position, rows of one column)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from directory_db import migrate
from directory_db.db import insert_many, make_engine, make_session_factory
from directory_db.models import Funding, Metadata, Organization

_ORGANIZATIONS = [
    {"id": "org-1", "name": "Järjestö ry", "description": "Kuvaus", "year_incorporated": 1990,
     "last_modified": datetime(2025, 3, 4, 5, 6, 7, 890, tzinfo=timezone.utc)},
    {"id": "org-2", "name": "Säätiö", "description": "", "year_incorporated": None,
     "last_modified": datetime(2024, 1, 1, tzinfo=timezone.utc)},
]  # fmt: skip
_HISTORY = [
    {"id": "h-1", "position": 0, "resource_id": "org-1", "resource_type": "organization",
     "last_action_date": "2025-03-04T05:06:07Z", "last_action_type": "create", "field_name": "id",
     "previous_value": "", "replacement_value": "org-1", "updated_by": "testi"},
]  # fmt: skip
_FUNDING = [{"id": "f-1"}, {"id": "f-2"}]


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _stored(url: str, write: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The raw stored rows (as SQLite keeps them, not as SQLAlchemy reads them back) after ``write``."""
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        write(session)
        session.commit()
    with engine.connect() as connection:
        out = {
            name: sorted(connection.exec_driver_sql(f"SELECT * FROM {name}").all())
            for name in ("organizations", "metadata", "funding")
        }
    engine.dispose()
    return out


def _insert_both(session: Session, many: bool) -> None:
    for model, rows in ((Organization, _ORGANIZATIONS), (Metadata, _HISTORY), (Funding, _FUNDING)):
        if many:
            insert_many(session, _table(model), [dict(r) for r in rows])
        else:
            session.execute(insert(_table(model)), [dict(r) for r in rows])


def test_sqlite_insert_many_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    ours = _stored(f"sqlite:///{tmp_path / 'ours.sqlite3'}", lambda s: _insert_both(s, True))
    theirs = _stored(f"sqlite:///{tmp_path / 'theirs.sqlite3'}", lambda s: _insert_both(s, False))
    assert ours == theirs
    assert [row[:2] for row in ours["funding"]] == [("f-1", 0), ("f-2", 0)]  # the default position
    assert ours["organizations"][0][-1] == "2025-03-04 05:06:07.000890"


def test_sqlite_insert_many_fills_python_defaults_per_row(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "last_modified"} for r in _ORGANIZATIONS]
    before = datetime.now(timezone.utc).replace(tzinfo=None)

    def write(session: Session) -> None:
        insert_many(session, _table(Organization), rows)

    stored = _stored(f"sqlite:///{tmp_path / 'defaults.sqlite3'}", write)["organizations"]
    for row in stored:
        # utcnow() of the moment, in SQLAlchemy's stored form (Organization.last_modified's default).
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", row[-1])
        assert datetime.fromisoformat(row[-1]) >= before
