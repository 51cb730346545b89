"""What the admin's pages list, as plain dicts (the HTML page and its JSON twin render the same data)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from directory_db.error_reports import open_reports
from directory_db.models import AdminUser, ErrorReport, Metadata, Organization, Service, as_utc
from ovi_web.admin.accounts import now_locked

STALE_DAYS = 365
"""A record not verified for this long is in the stale queue (the issue's 12 months)."""
PAGE = 50


def _service_row(service: Service, organization: str) -> dict[str, Any]:
    return {"id": service.id, "name": service.name, "organization": organization, "status": service.status,
            "verified": service.assured_date, "last_modified": as_utc(service.last_modified).isoformat()}


def services(session: Session, text: str = "", status: str = "", offset: int = 0) -> dict[str, Any]:
    """Services whose name, other name or organisation contains ``text`` (case-insensitive), by name."""
    query = select(Service, Organization.name).join(Organization, Organization.id == Service.organization_id)
    if text:
        like = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(Service.name).like(like),
                                func.lower(Service.alternate_name).like(like),
                                func.lower(Organization.name).like(like)))
    if status:
        query = query.where(Service.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Service.name, Service.id).offset(offset).limit(PAGE)).all()
    return {"total": total, "offset": offset, "services": [_service_row(s, org) for s, org in rows]}


def organizations(session: Session, text: str = "") -> list[dict[str, Any]]:
    counts = (select(Service.organization_id, func.count().label("n"),
                     func.sum(case((Service.status == "active", 1), else_=0)).label("active"))
              .group_by(Service.organization_id).subquery())
    query = (select(Organization.id, Organization.name, counts.c.n, counts.c.active)
             .outerjoin(counts, counts.c.organization_id == Organization.id))
    if text:
        query = query.where(func.lower(Organization.name).like(f"%{text.strip().lower()}%"))
    return [{"id": i, "name": n, "services": c or 0, "active": int(a or 0)}
            for i, n, c, a in session.execute(query.order_by(Organization.name).limit(500)).all()]


def stale(session: Session, today: date | None = None, days: int = STALE_DAYS) -> list[dict[str, Any]]:
    """Active services not verified in ``days`` (never verified first, then the oldest verification)."""
    never = Service.assured_date.is_(None)
    rows = session.execute(
        select(Service, Organization.name).join(Organization, Organization.id == Service.organization_id)
        .where(*_stale_conditions(today, days))
        .order_by(never.desc(), Service.assured_date, Service.last_modified, Service.id)
        .limit(500)
    ).all()
    return [_service_row(s, org) for s, org in rows]


def _stale_conditions(today: date | None, days: int) -> tuple[Any, ...]:
    limit = ((today or date.today()) - timedelta(days=days)).isoformat()
    return Service.status == "active", or_(Service.assured_date.is_(None), Service.assured_date < limit)


def stale_count(session: Session, today: date | None = None, days: int = STALE_DAYS) -> int:
    """How many are in the stale queue (counted in the database, not capped by the list's 500)."""
    query = select(func.count()).select_from(Service).where(*_stale_conditions(today, days))
    return session.scalar(query) or 0


def history(session: Session, resource_ids: list[str], field_prefix: str = "") -> list[dict[str, Any]]:
    """The change history of records, newest first: who, when, what, field, old → new."""
    query = select(Metadata).where(Metadata.resource_id.in_(resource_ids))
    if field_prefix:
        query = query.where(Metadata.field_name.like(f"{field_prefix}%"))
    rows = session.scalars(query.order_by(Metadata.last_action_date.desc(), Metadata.position)).all()
    return [{"when": m.last_action_date, "who": m.updated_by, "action": m.last_action_type,
             "field": m.field_name, "old": m.previous_value, "new": m.replacement_value,
             "resource_id": m.resource_id} for m in rows]


def last_verification(session: Session, service_id: str) -> dict[str, Any] | None:
    row = session.scalars(
        select(Metadata).where(Metadata.resource_id == service_id, Metadata.field_name == "assured_date")
        .order_by(Metadata.last_action_date.desc()).limit(1)
    ).first()
    return None if row is None else {"date": row.replacement_value, "who": row.updated_by,
                                     "when": row.last_action_date}


def recent_changes(session: Session, limit: int = 15) -> list[dict[str, Any]]:
    """The latest edits made in the admin (imports write ``import:<format>`` as the user)."""
    names = select(AdminUser.username)
    rows = session.execute(
        select(Metadata, Service.name).outerjoin(Service, Service.id == Metadata.resource_id)
        .where(Metadata.updated_by.in_(names))
        .order_by(Metadata.last_action_date.desc(), Metadata.position).limit(limit)
    ).all()
    return [{"when": m.last_action_date, "who": m.updated_by, "field": m.field_name, "service": name,
             "service_id": m.resource_id} for m, name in rows]


def reports(session: Session) -> list[dict[str, Any]]:
    return [{"id": row.report.id, "service_id": row.report.service_id, "service": row.service_name,
             "message": row.report.message, "source": row.report.source,
             "created_at": as_utc(row.report.created_at).isoformat()} for row in open_reports(session)]


def dashboard(session: Session) -> dict[str, Any]:
    return {
        "services": session.scalar(select(func.count()).select_from(Service)) or 0,
        "active": session.scalar(select(func.count()).select_from(Service).where(Service.status == "active"))
        or 0,
        "stale": stale_count(session),
        "reports": session.scalar(select(func.count()).select_from(ErrorReport)
                                  .where(ErrorReport.status == "open")) or 0,
        "recent": recent_changes(session),
    }


def users(session: Session) -> list[dict[str, Any]]:
    return [{"username": u.username, "role": u.role, "active": u.active, "locked": now_locked(u),
             "sessions": len(u.sessions), "created_at": as_utc(u.created_at).isoformat()}
            for u in session.scalars(select(AdminUser).order_by(AdminUser.username)).all()]
