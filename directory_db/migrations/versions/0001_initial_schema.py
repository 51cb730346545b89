"""Initial schema: HSDS 3.0 shaped directory tables and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 20:26:17.699767
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("alternate_name", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("tax_status", sa.String(), nullable=True),
        sa.Column("tax_id", sa.String(), nullable=True),
        sa.Column("year_incorporated", sa.Integer(), nullable=True),
        sa.Column("legal_status", sa.String(), nullable=True),
        sa.Column("logo", sa.String(), nullable=True),
        sa.Column("uri", sa.String(), nullable=True),
        sa.Column("parent_organization_id", sa.String(length=64), nullable=True),
        sa.Column("last_modified", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "taxonomies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uri", sa.String(), nullable=True),
        sa.Column("version", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomies")),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("location_type", sa.String(length=16), nullable=False),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("organization_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("alternate_name", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("transportation", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("external_identifier", sa.String(), nullable=True),
        sa.Column("external_identifier_type", sa.String(), nullable=True),
        sa.Column("last_modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_locations_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "services",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("alternate_name", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("interpretation_services", sa.Text(), nullable=True),
        sa.Column("application_process", sa.Text(), nullable=True),
        sa.Column("fees_description", sa.Text(), nullable=True),
        sa.Column("wait_time", sa.String(), nullable=True),
        sa.Column("fees", sa.String(), nullable=True),
        sa.Column("accreditations", sa.Text(), nullable=True),
        sa.Column("eligibility_description", sa.Text(), nullable=True),
        sa.Column("minimum_age", sa.Float(), nullable=True),
        sa.Column("maximum_age", sa.Float(), nullable=True),
        sa.Column("assured_date", sa.String(), nullable=True),
        sa.Column("assurer_email", sa.String(), nullable=True),
        sa.Column("licenses", sa.Text(), nullable=True),
        sa.Column("alert", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_services_organization_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_services_last_modified"), ["last_modified"], unique=False)
        batch_op.create_index(batch_op.f("ix_services_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "taxonomy_terms",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("taxonomy", sa.String(), nullable=True),
        sa.Column("taxonomy_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("term_uri", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_id"],
            ["taxonomies.id"],
            name=op.f("fk_taxonomy_terms_taxonomy_id_taxonomies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxonomy_terms")),
        sa.UniqueConstraint("taxonomy", "code", name=op.f("uq_taxonomy_terms_taxonomy_code")),
    )
    with op.batch_alter_table("taxonomy_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taxonomy_terms_taxonomy"), ["taxonomy"], unique=False)
        batch_op.create_index(batch_op.f("ix_taxonomy_terms_taxonomy_id"), ["taxonomy_id"], unique=False)

    op.create_table(
        "addresses",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("attention", sa.String(), nullable=True),
        sa.Column("address_1", sa.String(), nullable=False),
        sa.Column("address_2", sa.String(), nullable=True),
        sa.Column("city", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=True),
        sa.Column("state_province", sa.String(), nullable=False),
        sa.Column("postal_code", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address_type", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_addresses_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
    )
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addresses_location_id"), ["location_id"], unique=False)

    op.create_table(
        "attributes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("link_type", sa.String(), nullable=True),
        sa.Column("link_entity", sa.String(length=32), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["taxonomy_term_id"],
            ["taxonomy_terms.id"],
            name=op.f("fk_attributes_taxonomy_term_id_taxonomy_terms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attributes")),
    )
    with op.batch_alter_table("attributes", schema=None) as batch_op:
        batch_op.create_index("ix_attributes_link", ["link_entity", "link_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_attributes_taxonomy_term_id"), ["taxonomy_term_id"], unique=False
        )

    op.create_table(
        "languages",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_languages_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_languages_service_id_services"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_languages")),
    )
    with op.batch_alter_table("languages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_languages_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_languages_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_areas",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("extent", sa.Text(), nullable=True),
        sa.Column("extent_type", sa.String(), nullable=True),
        sa.Column("uri", sa.String(), nullable=True),
        sa.Column("area_level", sa.String(length=16), nullable=True),
        sa.Column("area_code", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_areas_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_areas")),
    )
    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.create_index("ix_service_areas_area", ["area_level", "area_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_areas_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_at_locations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_service_at_locations_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_at_locations_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_at_locations")),
    )
    with op.batch_alter_table("service_at_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_at_locations_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_at_locations_service_id"), ["service_id"], unique=False)

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

    op.create_table(
        "phones",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("organization_id", sa.String(length=64), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=64), nullable=True),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("extension", sa.Float(), nullable=True),
        sa.Column("type", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_phones_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_phones_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_locations.id"],
            name=op.f("fk_phones_service_at_location_id_service_at_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_phones_service_id_services"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phones")),
    )
    with op.batch_alter_table("phones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phones_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_phones_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_phones_service_at_location_id"), ["service_at_location_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_phones_service_id"), ["service_id"], unique=False)

    op.create_table(
        "schedules",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=True),
        sa.Column("location_id", sa.String(length=64), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.String(), nullable=True),
        sa.Column("valid_to", sa.String(), nullable=True),
        sa.Column("dtstart", sa.String(), nullable=True),
        sa.Column("timezone", sa.Float(), nullable=True),
        sa.Column("until", sa.String(), nullable=True),
        sa.Column("count", sa.Float(), nullable=True),
        sa.Column("wkst", sa.String(), nullable=True),
        sa.Column("freq", sa.String(), nullable=True),
        sa.Column("interval", sa.Float(), nullable=True),
        sa.Column("byday", sa.String(), nullable=True),
        sa.Column("byweekno", sa.String(), nullable=True),
        sa.Column("bymonthday", sa.String(), nullable=True),
        sa.Column("byyearday", sa.String(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("opens_at", sa.String(), nullable=True),
        sa.Column("closes_at", sa.String(), nullable=True),
        sa.Column("schedule_link", sa.String(), nullable=True),
        sa.Column("attending_type", sa.String(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_schedules_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"],
            ["service_at_locations.id"],
            name=op.f("fk_schedules_service_at_location_id_service_at_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_schedules_service_id_services"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedules_location_id"), ["location_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_schedules_service_at_location_id"), ["service_at_location_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_schedules_service_id"), ["service_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedules_service_id"))
        batch_op.drop_index(batch_op.f("ix_schedules_service_at_location_id"))
        batch_op.drop_index(batch_op.f("ix_schedules_location_id"))

    op.drop_table("schedules")
    with op.batch_alter_table("phones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phones_service_id"))
        batch_op.drop_index(batch_op.f("ix_phones_service_at_location_id"))
        batch_op.drop_index(batch_op.f("ix_phones_organization_id"))
        batch_op.drop_index(batch_op.f("ix_phones_location_id"))

    op.drop_table("phones")
    with op.batch_alter_table("service_search_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_search_terms_term"))
        batch_op.drop_index(batch_op.f("ix_service_search_terms_service_id"))

    op.drop_table("service_search_terms")
    with op.batch_alter_table("service_at_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_at_locations_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_at_locations_location_id"))

    op.drop_table("service_at_locations")
    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_areas_service_id"))
        batch_op.drop_index("ix_service_areas_area")

    op.drop_table("service_areas")
    with op.batch_alter_table("languages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_languages_service_id"))
        batch_op.drop_index(batch_op.f("ix_languages_location_id"))

    op.drop_table("languages")
    with op.batch_alter_table("attributes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attributes_taxonomy_term_id"))
        batch_op.drop_index("ix_attributes_link")

    op.drop_table("attributes")
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addresses_location_id"))

    op.drop_table("addresses")
    with op.batch_alter_table("taxonomy_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taxonomy_terms_taxonomy_id"))
        batch_op.drop_index(batch_op.f("ix_taxonomy_terms_taxonomy"))

    op.drop_table("taxonomy_terms")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_organization_id"))
        batch_op.drop_index(batch_op.f("ix_services_last_modified"))

    op.drop_table("services")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_organization_id"))

    op.drop_table("locations")
    op.drop_table("taxonomies")
    op.drop_table("organizations")
