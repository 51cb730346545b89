"""The search index as stored: one analysed document per service, and a generation counter.

Rows are written by :mod:`directory_db.search_index` in the same transaction as the services they describe,
so the index is never behind the data. Each search process keeps an in-memory snapshot of these rows and
reloads it when ``search_index_state.generation`` has moved (see search_index.py).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID_LENGTH, Base


class SearchDocument(Base):
    __tablename__ = "search_documents"

    service_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    terms: Mapped[str] = mapped_column(Text)
    """JSON object: term → weighted frequency (field weights, compound parts discounted)."""
    length: Mapped[float] = mapped_column(Float)
    """Weighted length in words, for BM25's length normalisation."""
    facets: Mapped[str] = mapped_column(Text)
    """JSON object of what filters and ranking need without loading the service: status, areas, classes,
    target groups, provider type, languages, sort key."""
    embedding_text_hash: Mapped[str] = mapped_column(String(64))
    """sha256 of the embedding model id and the text embedded: a vector is recomputed only when it moves."""
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    """float16 vector, or NULL until computed (``python -m directory_db embed``)."""
    indexed_generation: Mapped[int] = mapped_column(Integer, index=True)


class SearchIndexState(Base):
    """One row, changed by every write of the index, so snapshots know when to reload."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    """Counts writes; documents record the generation that wrote them."""
    token: Mapped[str] = mapped_column(String(32))
    """Random per write: a rolled-back write's generation number may be reused, its token never is."""
