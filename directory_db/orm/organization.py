"""Organizations that provide services (HSDS ``organization``), their identifiers, funding and programs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..profile import ORGANIZATION_TYPE_TAXONOMY, PROVIDER_TYPES, SOURCE_ID_TAXONOMY, ProviderType
from .base import ID_LENGTH, Base, id_column, parent_fk, position_column, utcnow
from .details import Contact, Phone
from .history import Metadata, history_of
from .taxonomy import Attribute, attributes_of, value_of

if TYPE_CHECKING:
    from .location import Location
    from .service import Service


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = id_column()
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None]
    website: Mapped[str | None]
    tax_status: Mapped[str | None]
    tax_id: Mapped[str | None]
    year_incorporated: Mapped[int | None]
    legal_status: Mapped[str | None]
    logo: Mapped[str | None]
    uri: Mapped[str | None]
    # Not a foreign key: a parent (a city, a national federation) is often not in the directory.
    parent_organization_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    # HSDS has no organization timestamp; Ovi keeps one for the API's modified_after and for maintainers.
    last_modified: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(back_populates="organization")
    locations: Mapped[list[Location]] = relationship(back_populates="organization")
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Phone.position, Phone.id)
    )
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Contact.position, Contact.id)
    )
    funding: Mapped[list[Funding]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Funding.position, Funding.id)
    )
    organization_identifiers: Mapped[list[OrganizationIdentifier]] = relationship(
        cascade="all, delete-orphan",
        order_by=lambda: (OrganizationIdentifier.position, OrganizationIdentifier.id),
    )
    programs: Mapped[list[Program]] = relationship(back_populates="organization", order_by=lambda: Program.id)
    attributes: Mapped[list[Attribute]] = attributes_of("Organization", "organization")
    history: Mapped[list[Metadata]] = history_of("Organization")

    @property
    def organization_type(self) -> str | None:
        """The PTV organization type code (``"Organization"``, ``"Municipality"``, … or ``"parish"``)."""
        for attribute in self.attributes:
            if attribute.taxonomy == ORGANIZATION_TYPE_TAXONOMY:
                return attribute.code
        return None

    @property
    def provider_type(self) -> ProviderType | None:
        """``"ngo"``, ``"public"``, ``"parish"`` or ``"private"`` (the chat contract's ``provider_type``)."""
        code = self.organization_type
        return PROVIDER_TYPES.get(code) if code else None

    @property
    def source_id(self) -> str | None:
        """The id the source gave this organization when it was not a UUID (``ovi_source_id``)."""
        return value_of(self.attributes, SOURCE_ID_TAXONOMY)


class OrganizationIdentifier(Base):
    """Another identifier of an organization (a business id, a source system's id)."""

    __tablename__ = "organization_identifiers"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    organization_id: Mapped[str] = parent_fk("organizations.id", nullable=False)
    identifier_scheme: Mapped[str | None]
    identifier_type: Mapped[str]
    identifier: Mapped[str]

    attributes: Mapped[list[Attribute]] = attributes_of("OrganizationIdentifier", "organization_identifier")
    history: Mapped[list[Metadata]] = history_of("OrganizationIdentifier")


class Funding(Base):
    """Where the money of an organization or a service comes from (HSDS ``funding``: a free-text source)."""

    __tablename__ = "funding"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    organization_id: Mapped[str | None] = parent_fk("organizations.id")
    service_id: Mapped[str | None] = parent_fk("services.id")
    source: Mapped[str | None] = mapped_column(Text)

    attributes: Mapped[list[Attribute]] = attributes_of("Funding", "funding")
    history: Mapped[list[Metadata]] = history_of("Funding")


class Program(Base):
    """A programme of an organization that services belong to (HSDS ``program``); shared like a location."""

    __tablename__ = "programs"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str] = mapped_column(Text)

    organization: Mapped[Organization | None] = relationship(back_populates="programs")
    attributes: Mapped[list[Attribute]] = attributes_of("Program", "program")
    history: Mapped[list[Metadata]] = history_of("Program")
