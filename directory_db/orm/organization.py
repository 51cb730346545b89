"""Organizations that provide services (HSDS ``organization``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..profile import ORGANIZATION_TYPE_TAXONOMY, PROVIDER_TYPES, ProviderType
from .base import ID_LENGTH, Base, id_column, utcnow
from .details import Phone
from .taxonomy import Attribute

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
    attributes: Mapped[list[Attribute]] = relationship(
        primaryjoin="and_(Organization.id == foreign(Attribute.link_id), "
        "Attribute.link_entity == 'organization')",
        viewonly=True,
        order_by=lambda: (Attribute.position, Attribute.id),
    )

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
