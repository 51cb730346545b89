"""Anonymous feedback of conversations ("oliko tästä apua?"): day, helpful, needs, language.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("needs", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_feedback")),
    )
    with op.batch_alter_table("conversation_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_feedback_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_feedback_day"))
    op.drop_table("conversation_feedback")
