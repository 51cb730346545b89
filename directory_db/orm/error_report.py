"""Reports of wrong information sent from the widget's service cards and the professionals' lookup.

A report holds the service, what is wrong in the sender's words, where it came from and when; no name, no
address, no IP, no cookie (a resident's message is sensitive data). Maintainers resolve it in the admin.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID_LENGTH, Base, id_column, utcnow

REPORT_SOURCES = ("widget", "lookup")
REPORT_STATES = ("open", "resolved")


class ErrorReport(Base):
    __tablename__ = "error_reports"

    id: Mapped[str] = id_column()
    service_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    """Not a foreign key: a report outlives a re-import that replaces the service's rows."""
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)
