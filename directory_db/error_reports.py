"""Reports of wrong information ("ilmoita virheestä"): stored from the widget and the lookup, resolved in the
admin. The one place that decides what a report may hold (see orm/error_report.py for what is kept)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import REPORT_SOURCES, ErrorReport, Service, utcnow

MAX_MESSAGE = 2000
"""Characters: enough to say what is wrong, not enough to paste a document."""


class ReportError(ValueError):
    """Bad input to a report; ``field`` names the field, ``message`` says in Finnish what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def store_report(session: Session, *, service_id: str, message: str, source: str) -> ErrorReport:
    """Add an open report about an existing service (flushed, not committed)."""
    text = " ".join(message.split()) if isinstance(message, str) else ""
    if source not in REPORT_SOURCES:
        raise ReportError("source", f"tuntematon lähde {source!r}; sallitut: {', '.join(REPORT_SOURCES)}")
    if not isinstance(service_id, str) or session.get(Service, service_id) is None:
        raise ReportError("service_id", "palvelua ei löydy hakemistosta")
    if not text:
        raise ReportError("message", "kerro lyhyesti, mikä tiedoissa on väärin")
    if len(text) > MAX_MESSAGE:
        raise ReportError("message", f"viesti on liian pitkä ({len(text)} merkkiä, enintään {MAX_MESSAGE})")
    report = ErrorReport(id=str(uuid.uuid4()), service_id=service_id, message=text, source=source,
                         status="open", created_at=utcnow())
    session.add(report)
    session.flush()
    return report


@dataclass(frozen=True)
class ReportRow:
    report: ErrorReport
    service_name: str | None
    """None when the service is no longer in the directory."""


def open_reports(session: Session, limit: int = 200) -> list[ReportRow]:
    """The open reports, oldest first (the queue a maintainer works through), with the services' names."""
    rows = session.execute(
        select(ErrorReport, Service.name)
        .outerjoin(Service, Service.id == ErrorReport.service_id)
        .where(ErrorReport.status == "open")
        .order_by(ErrorReport.created_at, ErrorReport.id)
        .limit(limit)
    ).all()
    return [ReportRow(report, name) for report, name in rows]


def reports_of(session: Session, service_id: str) -> Sequence[ErrorReport]:
    return session.scalars(
        select(ErrorReport)
        .where(ErrorReport.service_id == service_id)
        .order_by(ErrorReport.created_at.desc())
    ).all()


def count_open(session: Session) -> int:
    query = select(func.count()).select_from(ErrorReport).where(ErrorReport.status == "open")
    return session.scalar(query) or 0


def resolve_report(session: Session, report_id: str, *, user: str, resolution: str = "") -> ErrorReport:
    """Close a report, naming who closed it and how (flushed, not committed)."""
    report = session.get(ErrorReport, report_id)
    if report is None:
        raise ReportError("id", "ilmoitusta ei löydy")
    if report.status != "open":
        raise ReportError("id", "ilmoitus on jo käsitelty")
    report.status = "resolved"
    report.resolved_at = utcnow()
    report.resolved_by = user
    report.resolution = " ".join(resolution.split())[:MAX_MESSAGE] or None
    session.flush()
    return report
