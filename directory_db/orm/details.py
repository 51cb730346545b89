"""Phones, schedules and languages: details that HSDS attaches to services, locations, organizations and
services-at-locations alike. Each row has exactly one owner foreign key set (the one it was nested under)."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, id_column, parent_fk, position_column


class Phone(Base):
    __tablename__ = "phones"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str | None] = parent_fk("services.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    organization_id: Mapped[str | None] = parent_fk("organizations.id")
    service_at_location_id: Mapped[str | None] = parent_fk("service_at_locations.id")
    number: Mapped[str]
    extension: Mapped[float | None]
    type: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    __tablename__ = "schedules"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str | None] = parent_fk("services.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    service_at_location_id: Mapped[str | None] = parent_fk("service_at_locations.id")
    valid_from: Mapped[str | None]
    valid_to: Mapped[str | None]
    dtstart: Mapped[str | None]
    timezone: Mapped[float | None]
    until: Mapped[str | None]
    count: Mapped[float | None]
    wkst: Mapped[str | None]
    freq: Mapped[str | None]
    interval: Mapped[float | None]
    byday: Mapped[str | None]
    byweekno: Mapped[str | None]
    bymonthday: Mapped[str | None]
    byyearday: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[str | None]
    closes_at: Mapped[str | None]
    schedule_link: Mapped[str | None]
    attending_type: Mapped[str | None]
    notes: Mapped[str | None] = mapped_column(Text)


class Language(Base):
    """A language a service or location is offered in (``code``: ISO 639-1)."""

    __tablename__ = "languages"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str | None] = parent_fk("services.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    name: Mapped[str | None]
    code: Mapped[str | None]
    note: Mapped[str | None] = mapped_column(Text)
