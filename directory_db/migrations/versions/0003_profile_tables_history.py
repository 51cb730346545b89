"""The rest of HSDS 3.0 and the change history: contacts (with their phones), funding, cost options,
accessibility, required documents, organization identifiers, programs and ``metadata``; phone languages.

New tables only, plus two nullable link columns (``phones.contact_id``, ``languages.phone_id``) added in
batch mode so that SQLite rebuilds those tables (it cannot add a foreign key by ALTER); PostgreSQL ALTERs
them in place. ``phones`` is rebuilt before ``languages`` refers to it: on SQLite, rebuilding a table that
others refer to with ON DELETE CASCADE would delete their rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=64)


def _cascade(column: str, table: str, owner: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{owner}.id"], name=op.f(f"fk_{table}_{column}_{owner}"), ondelete="CASCADE"
    )


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop(table: str, *indexed: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in indexed:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    op.drop_table(table)


def upgrade() -> None:
    op.create_table(
        "metadata",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("resource_id", ID, nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("last_action_date", sa.String(), nullable=False),
        sa.Column("last_action_type", sa.String(), nullable=False),
        sa.Column("field_name", sa.Text(), nullable=False),
        sa.Column("previous_value", sa.Text(), nullable=False),
        sa.Column("replacement_value", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metadata")),
    )
    _indexes("metadata", "resource_id")

    op.create_table(
        "organization_identifiers",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organization_id", ID, nullable=False),
        sa.Column("identifier_scheme", sa.String(), nullable=True),
        sa.Column("identifier_type", sa.String(), nullable=False),
        sa.Column("identifier", sa.String(), nullable=False),
        _cascade("organization_id", "organization_identifiers", "organizations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_identifiers")),
    )
    _indexes("organization_identifiers", "organization_id")

    op.create_table(
        "programs",
        sa.Column("id", ID, nullable=False),
        sa.Column("organization_id", ID, nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("alternate_name", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_programs_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
    )
    _indexes("programs", "organization_id")

    op.create_table(
        "accessibility",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("location_id", ID, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        _cascade("location_id", "accessibility", "locations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessibility")),
    )
    _indexes("accessibility", "location_id")

    op.create_table(
        "cost_options",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", ID, nullable=False),
        sa.Column("valid_from", sa.String(), nullable=True),
        sa.Column("valid_to", sa.String(), nullable=True),
        sa.Column("option", sa.Text(), nullable=True),
        sa.Column("currency", sa.String(), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("amount_description", sa.Text(), nullable=True),
        _cascade("service_id", "cost_options", "services"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_options")),
    )
    _indexes("cost_options", "service_id")

    op.create_table(
        "funding",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organization_id", ID, nullable=True),
        sa.Column("service_id", ID, nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        _cascade("organization_id", "funding", "organizations"),
        _cascade("service_id", "funding", "services"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding")),
    )
    _indexes("funding", "organization_id", "service_id")

    op.create_table(
        "required_documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", ID, nullable=False),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("uri", sa.String(), nullable=True),
        _cascade("service_id", "required_documents", "services"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_required_documents")),
    )
    _indexes("required_documents", "service_id")

    op.create_table(
        "contacts",
        sa.Column("id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organization_id", ID, nullable=True),
        sa.Column("service_id", ID, nullable=True),
        sa.Column("service_at_location_id", ID, nullable=True),
        sa.Column("location_id", ID, nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        _cascade("location_id", "contacts", "locations"),
        _cascade("organization_id", "contacts", "organizations"),
        _cascade("service_at_location_id", "contacts", "service_at_locations"),
        _cascade("service_id", "contacts", "services"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    _indexes("contacts", "location_id", "organization_id", "service_at_location_id", "service_id")

    # phones before languages: see the module docstring.
    with op.batch_alter_table("phones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", ID, nullable=True))
        batch_op.create_index(batch_op.f("ix_phones_contact_id"), ["contact_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_phones_contact_id_contacts"),
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("languages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_id", ID, nullable=True))
        batch_op.create_index(batch_op.f("ix_languages_phone_id"), ["phone_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_languages_phone_id_phones"), "phones", ["phone_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    # languages first, so that nothing refers to phones while SQLite rebuilds it.
    with op.batch_alter_table("languages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_languages_phone_id_phones"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_languages_phone_id"))
        batch_op.drop_column("phone_id")
    with op.batch_alter_table("phones", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_phones_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_phones_contact_id"))
        batch_op.drop_column("contact_id")
    _drop("contacts", "service_id", "service_at_location_id", "organization_id", "location_id")
    _drop("required_documents", "service_id")
    _drop("funding", "service_id", "organization_id")
    _drop("cost_options", "service_id")
    _drop("accessibility", "location_id")
    _drop("programs", "organization_id")
    _drop("organization_identifiers", "organization_id")
    _drop("metadata", "resource_id")
