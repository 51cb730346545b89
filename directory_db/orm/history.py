"""Change history: HSDS ``metadata`` rows (who changed which field of which record, when, from what to what).

A row names the object it describes by ``resource_id`` (and ``resource_type``). There is no foreign key: the
history of a record outlives every replacement of the record's rows on re-import, and rows are never
deleted or changed by an import (an import only appends; see importers/history.py).
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID_LENGTH, Base, id_column, position_column


class Metadata(Base):
    __tablename__ = "metadata"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    """Order within one action (the changed fields in document order)."""
    resource_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    resource_type: Mapped[str] = mapped_column(String(32))
    last_action_date: Mapped[str]
    """As given by the source (HSDS: a date string); Ovi writes RFC 3339 UTC timestamps."""
    last_action_type: Mapped[str]
    field_name: Mapped[str] = mapped_column(Text)
    previous_value: Mapped[str] = mapped_column(Text)
    replacement_value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str]


def history_of(owner: str) -> Mapped[list[Metadata]]:
    """The view-only history collection of model class ``owner`` (rows whose ``resource_id`` is its id).

    Named ``history`` on the models (``metadata`` is taken by SQLAlchemy); serialized as HSDS ``metadata``.
    """
    return relationship(
        Metadata,
        primaryjoin=f"{owner}.id == foreign(Metadata.resource_id)",
        viewonly=True,
        order_by=lambda: (Metadata.last_action_date, Metadata.position, Metadata.id),
    )
