"""Search index v2: one analysed document per service (BM25 terms, facets, embedding) and a generation.

Replaces ``service_search_terms`` (one row per term). The documents of existing services are built after the
migration by ``directory_db.migrate.upgrade`` (the analysis needs Voikko, which a migration should not).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_search_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_search_terms_term"))
        batch_op.drop_index(batch_op.f("ix_service_search_terms_service_id"))
    op.drop_table("service_search_terms")
    op.create_table(
        "search_documents",
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("length", sa.Float(), nullable=False),
        sa.Column("facets", sa.Text(), nullable=False),
        sa.Column("embedding_text_hash", sa.String(length=64), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("indexed_generation", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_search_documents_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_search_documents")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_documents_indexed_generation"), ["indexed_generation"], unique=False
        )
    op.create_table(
        "search_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index_state")),
    )
    op.execute("INSERT INTO search_index_state (id, generation, token) VALUES (1, 1, 'initial')")


def downgrade() -> None:
    op.drop_table("search_index_state")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_documents_indexed_generation"))
    op.drop_table("search_documents")
    op.create_table(
        "service_search_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_search_terms_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_search_terms")),
        sa.UniqueConstraint(
            "service_id", "term", "field", name=op.f("uq_service_search_terms_service_id_term_field")
        ),
    )
    with op.batch_alter_table("service_search_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_search_terms_service_id"), ["service_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_search_terms_term"), ["term"], unique=False)
