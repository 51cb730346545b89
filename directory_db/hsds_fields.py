"""Which HSDS 3.0 fields Ovi stores, per object, in the schema's order.

The serializers (hsds.py) and the importer both read these tuples, so a field is either stored and exported
or reported as ignored on import — never silently half-supported. Scalar fields map one-to-one to model
columns of the same name; nested arrays/objects are listed separately. Every object listed here except the
taxonomy ones may also carry ``attributes`` and ``metadata`` (:data:`ANNOTATED`): stored in the
``attributes`` and ``metadata`` tables, linked by the object's id.
"""

from __future__ import annotations

SERVICE_SCALARS = (
    "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
    "status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
    "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
    "assurer_email", "licenses", "alert", "last_modified",
)  # fmt: skip
SERVICE_NESTED = (
    "phones", "schedules", "service_areas", "service_at_locations", "languages", "organization", "funding",
    "cost_options", "program", "required_documents", "contacts", "attributes", "metadata",
)  # fmt: skip

ORGANIZATION_SCALARS = (
    "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
    "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id",
)  # fmt: skip
ORGANIZATION_NESTED = (
    "funding", "contacts", "phones", "programs", "organization_identifiers", "attributes", "metadata",
)  # fmt: skip

LOCATION_SCALARS = (
    "id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
    "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type",
)  # fmt: skip
LOCATION_NESTED = (
    "languages", "addresses", "contacts", "accessibility", "phones", "schedules", "attributes", "metadata",
)  # fmt: skip
# What a public view of a location with a confidential address (ovi_location/confidential_address) leaves
# out: anything that tells where the place is.
CONFIDENTIAL_LOCATION_FIELDS = frozenset({"latitude", "longitude", "transportation", "addresses"})

ADDRESS_SCALARS = (
    "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
    "postal_code", "country", "address_type",
)  # fmt: skip

SERVICE_AT_LOCATION_SCALARS = ("id", "service_id", "location_id", "description")
SERVICE_AT_LOCATION_NESTED = ("contacts", "phones", "schedules", "location", "attributes", "metadata")

SERVICE_AREA_SCALARS = ("id", "service_id", "name", "description", "extent", "extent_type", "uri")

PHONE_SCALARS = (
    "id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id", "number",
    "extension", "type", "description",
)  # fmt: skip

SCHEDULE_SCALARS = (
    "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
    "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
    "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
)  # fmt: skip

LANGUAGE_SCALARS = ("id", "service_id", "location_id", "phone_id", "name", "code", "note")

CONTACT_SCALARS = (
    "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
    "department", "email",
)  # fmt: skip

FUNDING_SCALARS = ("id", "organization_id", "service_id", "source")

COST_OPTION_SCALARS = (
    "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description",
)  # fmt: skip

REQUIRED_DOCUMENT_SCALARS = ("id", "service_id", "document", "uri")

ACCESSIBILITY_SCALARS = ("id", "location_id", "description", "details", "url")

ORGANIZATION_IDENTIFIER_SCALARS = (
    "id", "organization_id", "identifier_scheme", "identifier_type", "identifier",
)  # fmt: skip

PROGRAM_SCALARS = ("id", "organization_id", "name", "alternate_name", "description")

METADATA_SCALARS = (
    "id", "resource_id", "resource_type", "last_action_date", "last_action_type", "field_name",
    "previous_value", "replacement_value", "updated_by",
)  # fmt: skip

ATTRIBUTE_SCALARS = ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")
ATTRIBUTE_NESTED = ("taxonomy_term",)

TAXONOMY_TERM_SCALARS = (
    "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri",
)  # fmt: skip

TAXONOMY_SCALARS = ("id", "name", "description", "uri", "version")

# The objects that may carry attributes and metadata of their own (HSDS link_entity / resource_type).
ANNOTATED = frozenset({
    "service", "organization", "location", "service_at_location", "phone", "schedule", "language", "address",
    "service_area", "contact", "funding", "cost_option", "accessibility", "required_document",
    "organization_identifier", "program",
})  # fmt: skip

# Link fields implied by nesting: the importer takes the owner from the nesting, checks these against it,
# and ignores them otherwise.
LINK_FIELDS = frozenset({
    "organization_id", "service_id", "location_id", "service_at_location_id", "contact_id", "phone_id",
    "link_id", "taxonomy_term_id", "resource_id",
})  # fmt: skip
