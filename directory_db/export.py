"""Export of the directory as HSDS-JSON: the import format, sorted by service id, pretty and stable, so that
export → import → export gives the same file and diffs between exports show real changes only.

Exports are for maintainers and for moving the directory between databases: they keep everything, the
confidential addresses included (``hsds.service(..., public=False)``), and the change history.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import hsds
from .loading import full_service_options
from .models import Service

FORMATS = ("hsds-json",)


def export_services(session: Session) -> list[dict[str, Any]]:
    """Every service as a full HSDS service object, by id (code point order, whatever the database's
    collation: a PostgreSQL ``ORDER BY id`` in a Finnish or English locale puts ``B…`` after ``a…``)."""
    services = session.scalars(select(Service).options(*full_service_options())).all()
    return [hsds.service(s, public=False) for s in sorted(services, key=lambda s: s.id)]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_hsds_json(session: Session, path: Path | str) -> int:
    """Write every service to ``path``; returns the number of services."""
    services = export_services(session)
    Path(path).write_text(dumps(services), encoding="utf-8")
    return len(services)
