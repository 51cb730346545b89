"""Places where services are delivered: locations, their addresses and accessibility, and the
service ↔ location links."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..profile import CONFIDENTIAL_ADDRESS, LOCATION_TAXONOMY, SOURCE_ID_TAXONOMY
from .base import ID_LENGTH, Base, id_column, parent_fk, position_column, utcnow
from .details import Contact, Language, Phone, Schedule
from .history import Metadata, history_of
from .taxonomy import Attribute, attributes_of, codes_of, value_of

if TYPE_CHECKING:
    from .organization import Organization
    from .service import Service


class Location(Base):
    """A physical, postal or virtual location. Several services may share one."""

    __tablename__ = "locations"

    id: Mapped[str] = id_column()
    location_type: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None]
    organization_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None]
    alternate_name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    external_identifier: Mapped[str | None]
    external_identifier_type: Mapped[str | None]
    last_modified: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    addresses: Mapped[list[Address]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Address.position, Address.id)
    )
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan",
        order_by=lambda: (Phone.position, Phone.id),
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan",
        order_by=lambda: (Schedule.position, Schedule.id),
    )
    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Language.position, Language.id)
    )
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Contact.position, Contact.id)
    )
    accessibility: Mapped[list[Accessibility]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Accessibility.position, Accessibility.id)
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(back_populates="location")
    attributes: Mapped[list[Attribute]] = attributes_of("Location", "location")
    history: Mapped[list[Metadata]] = history_of("Location")

    @property
    def confidential_address(self) -> bool:
        """A shelter's address (``ovi_location`` ``confidential_address``): never shown to the public."""
        return CONFIDENTIAL_ADDRESS in codes_of(self.attributes, LOCATION_TAXONOMY)

    @property
    def source_id(self) -> str | None:
        """The id the source gave this location when it was not a UUID (``ovi_source_id``)."""
        return value_of(self.attributes, SOURCE_ID_TAXONOMY)


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    location_id: Mapped[str] = parent_fk("locations.id", nullable=False)
    attention: Mapped[str | None]
    address_1: Mapped[str]
    address_2: Mapped[str | None]
    city: Mapped[str]
    region: Mapped[str | None]
    state_province: Mapped[str]
    postal_code: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    address_type: Mapped[str] = mapped_column(String(16))

    attributes: Mapped[list[Attribute]] = attributes_of("Address", "address")
    history: Mapped[list[Metadata]] = history_of("Address")


class Accessibility(Base):
    """Accessibility of a location (HSDS ``accessibility``): a description, details and a link."""

    __tablename__ = "accessibility"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    location_id: Mapped[str] = parent_fk("locations.id", nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None]

    attributes: Mapped[list[Attribute]] = attributes_of("Accessibility", "accessibility")
    history: Mapped[list[Metadata]] = history_of("Accessibility")


class ServiceAtLocation(Base):
    """A service delivered at a location, with the phones and opening hours specific to that place."""

    __tablename__ = "service_at_locations"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str] = parent_fk("services.id", nullable=False)
    location_id: Mapped[str] = parent_fk("locations.id", nullable=False)
    description: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship(back_populates="service_at_locations")
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Phone.position, Phone.id)
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Schedule.position, Schedule.id)
    )
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Contact.position, Contact.id)
    )
    attributes: Mapped[list[Attribute]] = attributes_of("ServiceAtLocation", "service_at_location")
    history: Mapped[list[Metadata]] = history_of("ServiceAtLocation")
