"""Taxonomies, their terms, and attributes that attach a term to any HSDS object (HSDS 3.0)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..profile import TRANSLATION_TAXONOMY, parse_translation_code
from .base import ID_LENGTH, Base, id_column, position_column

# The objects whose attributes Ovi stores (HSDS ``link_entity``): every object it stores rows of, except the
# taxonomy objects themselves.
LinkEntity = Literal[
    "service", "organization", "location", "service_at_location", "phone", "schedule", "language", "address",
    "service_area", "contact", "funding", "cost_option", "accessibility", "required_document",
    "organization_identifier", "program",
]  # fmt: skip


class Taxonomy(Base):
    __tablename__ = "taxonomies"

    id: Mapped[str] = id_column()
    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None]
    version: Mapped[str | None]

    terms: Mapped[list[TaxonomyTerm]] = relationship(back_populates="taxonomy_detail")


class TaxonomyTerm(Base):
    """One term. ``taxonomy`` is the HSDS free-text taxonomy name (``"ptvserclass2"``); with ``code`` it is
    the term's natural key, so a code list entry is stored once however many sources mention it."""

    __tablename__ = "taxonomy_terms"
    __table_args__ = (UniqueConstraint("taxonomy", "code"),)

    id: Mapped[str] = id_column()
    code: Mapped[str | None]
    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))  # may name a term we do not store
    taxonomy: Mapped[str | None] = mapped_column(index=True)
    taxonomy_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("taxonomies.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None]
    term_uri: Mapped[str | None]

    taxonomy_detail: Mapped[Taxonomy | None] = relationship(back_populates="terms")


class Attribute(Base):
    """A taxonomy term attached to a row of another table (HSDS ``link_id`` / ``link_entity``).

    The link is polymorphic, so there is no foreign key on ``link_id``: the importer deletes a record's
    attributes together with the record (and sweeps those of deleted child rows).
    """

    __tablename__ = "attributes"
    __table_args__ = (Index("ix_attributes_link", "link_entity", "link_id"),)

    id: Mapped[str] = id_column()
    position: Mapped[int] = position_column()
    link_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    link_type: Mapped[str | None]
    link_entity: Mapped[str] = mapped_column(String(32))
    taxonomy_term_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("taxonomy_terms.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str | None] = mapped_column(Text)

    taxonomy_term: Mapped[TaxonomyTerm] = relationship(lazy="joined")

    @property
    def taxonomy(self) -> str | None:
        return self.taxonomy_term.taxonomy

    @property
    def code(self) -> str | None:
        return self.taxonomy_term.code


def attributes_of(owner: str, entity: LinkEntity) -> Mapped[list[Attribute]]:
    """The view-only ``attributes`` collection of model class ``owner`` (HSDS ``link_entity`` ``entity``)."""
    return relationship(
        Attribute,
        primaryjoin=f"and_({owner}.id == foreign(Attribute.link_id), Attribute.link_entity == '{entity}')",
        viewonly=True,
        order_by=lambda: (Attribute.position, Attribute.id),
    )


def codes_of(attributes: list[Attribute], taxonomy: str) -> tuple[str, ...]:
    """The codes of the attributes of one taxonomy whose value does not say "false" (flags, see profile)."""
    return tuple(
        a.code for a in attributes if a.taxonomy == taxonomy and a.code and (a.value or "").lower() != "false"
    )


def value_of(attributes: list[Attribute], taxonomy: str) -> str | None:
    """The ``value`` of the first attribute of one taxonomy (``ovi_source_id``, ``ovi_source``)."""
    return next((a.value for a in attributes if a.taxonomy == taxonomy and a.value), None)


def translations_of(attributes: list[Attribute]) -> dict[str, dict[str, str]]:
    """Language → field → text of the ``ovi_translation`` attributes (``sv:name`` …; see profile)."""
    out: dict[str, dict[str, str]] = {}
    for a in attributes:
        parsed = parse_translation_code(a.code) if a.taxonomy == TRANSLATION_TAXONOMY else None
        if parsed is not None and a.value:
            out.setdefault(parsed[0], {}).setdefault(parsed[1], a.value)
    return out
