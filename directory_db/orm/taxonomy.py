"""Taxonomies, their terms, and attributes that attach a term to a service or an organization (HSDS 3.0)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID_LENGTH, Base, id_column, position_column

LinkEntity = Literal["service", "organization"]


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
    attributes together with the record.
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
