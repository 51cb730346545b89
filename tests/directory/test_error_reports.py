"""Reports of wrong information on a real SQLite directory (migrated schema, demo-like data)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db.error_reports import MAX_MESSAGE, ReportError, open_reports, resolve_report, store_report
from directory_db.models import ErrorReport, Service


def _a_service(session: Session) -> Service:
    service = session.scalars(select(Service).order_by(Service.id)).first()
    assert service is not None
    return service


@pytest.mark.usefixtures("imported")
def test_a_report_is_stored_open_and_resolved_by_a_named_maintainer(session: Session) -> None:
    service = _a_service(session)
    report = store_report(session, service_id=service.id, message="  Puhelinnumero\n ei toimi  ",
                          source="widget")
    session.commit()
    queue = open_reports(session)
    assert [(row.report.id, row.service_name) for row in queue] == [(report.id, service.name)]
    assert queue[0].report.message == "Puhelinnumero ei toimi"  # whitespace folded, nothing else changed

    resolve_report(session, report.id, user="maija", resolution="Numero korjattu")
    session.commit()
    stored = session.scalars(select(ErrorReport)).one()
    assert (stored.status, stored.resolved_by, stored.resolution) == ("resolved", "maija", "Numero korjattu")
    assert stored.resolved_at is not None
    assert open_reports(session) == []
    with pytest.raises(ReportError) as error:
        resolve_report(session, report.id, user="maija")
    assert error.value.field == "id"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_id": "00000000-0000-4000-8000-000000000000"}, "service_id"),
        ({"message": "   "}, "message"),
        ({"message": "x" * (MAX_MESSAGE + 1)}, "message"),
        ({"source": "email"}, "source"),
    ],
)
@pytest.mark.usefixtures("imported")
def test_bad_reports_name_the_field_and_store_nothing(session: Session, change: dict[str, str],
                                                      field: str) -> None:
    given = {"service_id": _a_service(session).id, "message": "Osoite on vanha", "source": "lookup"}
    with pytest.raises(ReportError) as error:
        store_report(session, **{**given, **change})
    assert error.value.field == field
    assert error.value.message  # a Finnish sentence for the form
    assert session.scalars(select(ErrorReport)).all() == []
