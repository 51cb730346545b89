"""Phones, schedules, languages and contacts: details that HSDS attaches to services, locations,
organizations and services-at-locations alike. Each row has exactly one owner foreign key set (the one it
was nested under)."""

from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, id_column, parent_fk, position_column
from .history import Metadata, history_of
from .taxonomy import Attribute, attributes_of


class Language(Base):
    """A language a service, location or phone line is offered in (``code``: ISO 639-1)."""

    __tablename__ = "languages"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str | None] = parent_fk("services.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    phone_id: Mapped[str | None] = parent_fk("phones.id")
    name: Mapped[str | None]
    code: Mapped[str | None]
    note: Mapped[str | None] = mapped_column(Text)

    attributes: Mapped[list[Attribute]] = attributes_of("Language", "language")
    history: Mapped[list[Metadata]] = history_of("Language")


class Phone(Base):
    __tablename__ = "phones"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str | None] = parent_fk("services.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    organization_id: Mapped[str | None] = parent_fk("organizations.id")
    contact_id: Mapped[str | None] = parent_fk("contacts.id")
    service_at_location_id: Mapped[str | None] = parent_fk("service_at_locations.id")
    number: Mapped[str]
    extension: Mapped[float | None]
    type: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)

    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Language.position, Language.id)
    )
    attributes: Mapped[list[Attribute]] = attributes_of("Phone", "phone")
    history: Mapped[list[Metadata]] = history_of("Phone")


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

    attributes: Mapped[list[Attribute]] = attributes_of("Schedule", "schedule")
    history: Mapped[list[Metadata]] = history_of("Schedule")


class Contact(Base):
    """A named person or role to contact (HSDS ``contact``), with their own phones."""

    __tablename__ = "contacts"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    organization_id: Mapped[str | None] = parent_fk("organizations.id")
    service_id: Mapped[str | None] = parent_fk("services.id")
    service_at_location_id: Mapped[str | None] = parent_fk("service_at_locations.id")
    location_id: Mapped[str | None] = parent_fk("locations.id")
    name: Mapped[str | None]
    title: Mapped[str | None]
    department: Mapped[str | None]
    email: Mapped[str | None]

    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Phone.position, Phone.id)
    )
    attributes: Mapped[list[Attribute]] = attributes_of("Contact", "contact")
    history: Mapped[list[Metadata]] = history_of("Contact")
