"""Services (HSDS ``service``), the areas they serve, what they cost and the documents they require."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas import AREA_RANK, AreaRef
from ..profile import (
    SERVICE_CLASS_TAXONOMY,
    SOURCE_ID_TAXONOMY,
    SOURCE_TAXONOMY,
    TARGET_GROUP_TAXONOMY,
)
from .base import ID_LENGTH, Base, id_column, parent_fk, position_column, utcnow
from .details import Contact, Language, Phone, Schedule
from .history import Metadata, history_of
from .location import ServiceAtLocation
from .organization import Funding, Organization, Program
from .taxonomy import Attribute, attributes_of, translations_of, value_of


class Service(Base):
    __tablename__ = "services"

    # Searchable fields and their BM25F weights (cf. Helsinki smbackend's per-model search declarations):
    # the search index is built from exactly these, see search.py and search_texts().
    SEARCH_FIELDS: ClassVar[dict[str, int]] = {
        "name": 3,
        "alternate_name": 2,
        "classes": 2,  # names of the service's service classes and target groups
        "organization": 1,
        "description": 1,
    }

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("organizations.id"), index=True
    )
    # Not a foreign key: the program may be known only by id (a file that names it without nesting it).
    program_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None]
    email: Mapped[str | None]
    status: Mapped[str] = mapped_column(String(32))
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None]
    fees: Mapped[str | None]
    accreditations: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[float | None]
    maximum_age: Mapped[float | None]
    assured_date: Mapped[str | None]
    assurer_email: Mapped[str | None]
    licenses: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    organization: Mapped[Organization] = relationship(back_populates="services", lazy="joined")
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Phone.position, Phone.id)
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Schedule.position, Schedule.id)
    )
    service_areas: Mapped[list[ServiceArea]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        order_by=lambda: (ServiceArea.position, ServiceArea.id),
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
        order_by=lambda: (ServiceAtLocation.position, ServiceAtLocation.id),
    )
    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Language.position, Language.id)
    )
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Contact.position, Contact.id)
    )
    funding: Mapped[list[Funding]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (Funding.position, Funding.id)
    )
    cost_options: Mapped[list[CostOption]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (CostOption.position, CostOption.id)
    )
    required_documents: Mapped[list[RequiredDocument]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (RequiredDocument.position, RequiredDocument.id)
    )
    program: Mapped[Program | None] = relationship(
        primaryjoin="foreign(Service.program_id) == Program.id", viewonly=True
    )
    attributes: Mapped[list[Attribute]] = attributes_of("Service", "service")
    history: Mapped[list[Metadata]] = history_of("Service")

    def _codes(self, taxonomy: str) -> tuple[str, ...]:
        return tuple(a.code for a in self.attributes if a.taxonomy == taxonomy and a.code)

    @property
    def source(self) -> str | None:
        """The source the service was last imported from (``ovi_source``; what ``--prune`` compares)."""
        return value_of(self.attributes, SOURCE_TAXONOMY)

    @property
    def source_id(self) -> str | None:
        """The id the source gave this service when it was not a UUID (``ovi_source_id``)."""
        return value_of(self.attributes, SOURCE_ID_TAXONOMY)

    @property
    def service_classes(self) -> tuple[str, ...]:
        """PTV service class codes (``ptvserclass2``), in the source's order."""
        return self._codes(SERVICE_CLASS_TAXONOMY)

    @property
    def target_groups(self) -> tuple[str, ...]:
        """PTV target group codes (``ptvkohderyhmat``)."""
        return self._codes(TARGET_GROUP_TAXONOMY)

    @property
    def area_refs(self) -> tuple[AreaRef, ...]:
        """Classified service areas, most local first."""
        refs = [a.area_ref for a in self.service_areas if a.area_ref is not None]
        return tuple(sorted(refs, key=lambda r: (AREA_RANK[r.level], r.code)))

    def search_texts(self) -> dict[str, list[str]]:
        """The text of each field in :attr:`SEARCH_FIELDS`."""
        class_names = [
            a.taxonomy_term.name
            for a in self.attributes
            if a.taxonomy in (SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY)
        ]
        texts = {
            "name": [self.name],
            "alternate_name": [self.alternate_name or ""],
            "classes": class_names,
            "organization": [self.organization.name],
            "description": [self.description or ""],
        }
        assert texts.keys() == self.SEARCH_FIELDS.keys()
        return texts

    def search_translations(self) -> dict[str, list[str]]:
        """The Swedish and English texts (``ovi_translation``) of the fields in :attr:`SEARCH_FIELDS`: the
        service's name, alternate name and description, its organization's name. The index adds the words
        of these that the Finnish text lacks (search_index.build_document)."""
        out: dict[str, list[str]] = {"name": [], "alternate_name": [], "description": [], "organization": []}
        for texts in translations_of(self.attributes).values():
            for field_name in ("name", "alternate_name", "description"):
                if field_name in texts:
                    out[field_name].append(texts[field_name])
        for texts in translations_of(self.organization.attributes).values():
            if "name" in texts:
                out["organization"].append(texts["name"])
        assert out.keys() <= self.SEARCH_FIELDS.keys()
        return out


class ServiceArea(Base):
    """An area a service covers. ``area_level``/``area_code`` classify ``uri`` (or the nationwide extent)
    at import time so that the municipality filter is an indexed lookup."""

    __tablename__ = "service_areas"
    __table_args__ = (Index("ix_service_areas_area", "area_level", "area_code"),)

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str] = parent_fk("services.id", nullable=False)
    name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None]
    uri: Mapped[str | None]
    area_level: Mapped[str | None] = mapped_column(String(16))
    area_code: Mapped[str | None] = mapped_column(String(8))

    service: Mapped[Service] = relationship(back_populates="service_areas")
    attributes: Mapped[list[Attribute]] = attributes_of("ServiceArea", "service_area")
    history: Mapped[list[Metadata]] = history_of("ServiceArea")

    @property
    def area_ref(self) -> AreaRef | None:
        if self.area_level in AREA_RANK and self.area_code:
            return AreaRef(self.area_level, self.area_code)  # type: ignore[arg-type]
        return None


class CostOption(Base):
    """One price of a service (HSDS ``cost_option``); whether it is free at all: ``ovi_cost`` attributes."""

    __tablename__ = "cost_options"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str] = parent_fk("services.id", nullable=False)
    valid_from: Mapped[str | None]
    valid_to: Mapped[str | None]
    option: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None]
    amount: Mapped[float | None]
    amount_description: Mapped[str | None] = mapped_column(Text)

    attributes: Mapped[list[Attribute]] = attributes_of("CostOption", "cost_option")
    history: Mapped[list[Metadata]] = history_of("CostOption")


class RequiredDocument(Base):
    """A document a resident must bring or send (HSDS ``required_document``)."""

    __tablename__ = "required_documents"

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    service_id: Mapped[str] = parent_fk("services.id", nullable=False)
    document: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None]

    attributes: Mapped[list[Attribute]] = attributes_of("RequiredDocument", "required_document")
    history: Mapped[list[Metadata]] = history_of("RequiredDocument")
