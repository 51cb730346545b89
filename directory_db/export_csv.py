"""Export of the directory in the HSDS 3.0 tabular format (``hsds-csv``): a folder with one CSV file per table
Ovi stores and a ``datapackage.json`` (Frictionless tabular data package) describing them.

The rows come from the nested service objects of :func:`directory_db.export.export_services`, flattened so
that every object is one row of its table and points at its owner by foreign key, as HSDS 3.0 lays it out:

==============================  ===================================================================
table (resource, file)          rows, and how a row names its owner
==============================  ===================================================================
service (services.csv)          every service; ``organization_id`` names its organization,
                                ``program_id`` its program
organization (organizations)    every organization of an exported service, once
program (programs.csv)          every program of an organization or a service, once
service_at_location             every service-at-location; ``service_id`` and ``location_id``
location (locations.csv)        every location of a service-at-location, once
contact (contacts.csv)          contacts of services, organizations, locations, services-at-locations:
                                exactly one of ``service_id``, ``organization_id``, ``location_id``,
                                ``service_at_location_id`` is set, the owner's
phone (phones.csv)              phones of all of those and of contacts (``contact_id``), the same way
schedule (schedules.csv)        the same with ``service_id`` / ``location_id`` / ``service_at_location_id``
language (languages.csv)        the same with ``service_id`` / ``location_id`` / ``phone_id``
address (addresses.csv)         ``location_id``
accessibility                   ``location_id``
service_area (service_areas)    ``service_id``
funding (funding.csv)           ``service_id`` or ``organization_id``
cost_option, required_document  ``service_id``
organization_identifier         ``organization_id``
attribute (attributes.csv)      ``link_id`` + ``link_entity`` (the object's kind) name the owner,
                                ``taxonomy_term_id`` the term
metadata (metadata.csv)         the change history: ``resource_id`` (+ ``resource_type``) names the owner
taxonomy_term                   every term an attribute uses, once
taxonomy (taxonomies.csv)       every taxonomy those terms name in ``taxonomy_id``
==============================  ===================================================================

Columns are the fields Ovi stores (:mod:`directory_db.hsds_fields`), in HSDS order. Children keep their
owner's order, so an import puts them back in the same positions. Cells are UTF-8 (no BOM), RFC 4180 quoted;
absent values are empty cells (so an empty string and an absent value look the same, as everywhere in HSDS
CSV); numbers are written in their shortest exact form with a decimal point.

:mod:`directory_db.importers.hsds_csv` reads this layout back (and HSDS packages from elsewhere);
``TABLES``, ``OWNER_LINKS`` and the column types here are shared with it.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import hsds, schemas
from . import hsds_fields as f
from .export import export_services
from .models import Taxonomy

FORMAT = "hsds-csv"
DATAPACKAGE = "datapackage.json"

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """One CSV file of the package: the rows of one kind of HSDS object."""

    kind: str
    """The HSDS object, which is also the data package resource name (``"service"``)."""
    path: str
    columns: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()
    """(column, kind of the referenced table) that must name a row of this package."""
    required: tuple[str, ...] = ()
    """Link columns Ovi needs besides what the HSDS schema requires."""


# Foreign keys of the owner links. ``locations.organization_id``, ``programs.organization_id``,
# ``services.program_id``, ``organizations.parent_organization_id`` and ``taxonomy_terms.taxonomy_id`` are
# left out on purpose: they may name a row that is only in the database.
TABLES: tuple[Table, ...] = (
    Table("organization", "organizations.csv", f.ORGANIZATION_SCALARS),
    Table("service", "services.csv", f.SERVICE_SCALARS, (("organization_id", "organization"),),
          ("organization_id",)),
    Table("program", "programs.csv", f.PROGRAM_SCALARS),
    Table("attribute", "attributes.csv", f.ATTRIBUTE_SCALARS, (("taxonomy_term_id", "taxonomy_term"),),
          ("link_id", "taxonomy_term_id")),
    Table("service_at_location", "service_at_location.csv", f.SERVICE_AT_LOCATION_SCALARS,
          (("service_id", "service"), ("location_id", "location")), ("service_id", "location_id")),
    Table("location", "locations.csv", f.LOCATION_SCALARS),
    Table("contact", "contacts.csv", f.CONTACT_SCALARS,
          (("organization_id", "organization"), ("service_id", "service"),
           ("service_at_location_id", "service_at_location"), ("location_id", "location"))),
    Table("phone", "phones.csv", f.PHONE_SCALARS,
          (("location_id", "location"), ("service_id", "service"), ("organization_id", "organization"),
           ("contact_id", "contact"), ("service_at_location_id", "service_at_location"))),
    Table("address", "addresses.csv", f.ADDRESS_SCALARS, (("location_id", "location"),), ("location_id",)),
    Table("accessibility", "accessibility.csv", f.ACCESSIBILITY_SCALARS, (("location_id", "location"),),
          ("location_id",)),
    Table("schedule", "schedules.csv", f.SCHEDULE_SCALARS,
          (("service_id", "service"), ("location_id", "location"),
           ("service_at_location_id", "service_at_location"))),
    Table("service_area", "service_areas.csv", f.SERVICE_AREA_SCALARS, (("service_id", "service"),),
          ("service_id",)),
    Table("language", "languages.csv", f.LANGUAGE_SCALARS,
          (("service_id", "service"), ("location_id", "location"), ("phone_id", "phone"))),
    Table("funding", "funding.csv", f.FUNDING_SCALARS,
          (("organization_id", "organization"), ("service_id", "service"))),
    Table("cost_option", "cost_options.csv", f.COST_OPTION_SCALARS, (("service_id", "service"),),
          ("service_id",)),
    Table("required_document", "required_documents.csv", f.REQUIRED_DOCUMENT_SCALARS,
          (("service_id", "service"),), ("service_id",)),
    Table("organization_identifier", "organization_identifiers.csv", f.ORGANIZATION_IDENTIFIER_SCALARS,
          (("organization_id", "organization"),), ("organization_id",)),
    Table("metadata", "metadata.csv", f.METADATA_SCALARS, (), ("resource_id", "resource_type")),
    Table("taxonomy_term", "taxonomy_terms.csv", f.TAXONOMY_TERM_SCALARS),
    Table("taxonomy", "taxonomies.csv", f.TAXONOMY_SCALARS),
)  # fmt: skip
TABLES_BY_KIND: dict[str, Table] = {table.kind: table for table in TABLES}

# The link columns of the tables whose rows may belong to several kinds of owner, most specific owner first:
# a row that names several owners (HSDS allows it) is stored under the first one only.
OWNER_LINKS: dict[str, tuple[str, ...]] = {
    "contact": ("service_at_location_id", "service_id", "location_id", "organization_id"),
    "phone": ("contact_id", "service_at_location_id", "service_id", "location_id", "organization_id"),
    "schedule": ("service_at_location_id", "service_id", "location_id"),
    "language": ("phone_id", "service_id", "location_id"),
    "address": ("location_id",),
    "accessibility": ("location_id",),
    "service_area": ("service_id",),
    "funding": ("service_id", "organization_id"),
    "cost_option": ("service_id",),
    "required_document": ("service_id",),
    "organization_identifier": ("organization_id",),
}

# Where each object sits inside ``compiled/service.json``, to read its column types and required fields.
_SCHEMA_PATHS: dict[str, tuple[str, ...]] = {
    "service": (),
    "organization": ("organization",),
    "program": ("program",),
    "attribute": ("attributes",),
    "taxonomy_term": ("attributes", "taxonomy_term"),
    "taxonomy": ("attributes", "taxonomy_term", "taxonomy_detail"),
    "service_at_location": ("service_at_locations",),
    "location": ("service_at_locations", "location"),
    "address": ("service_at_locations", "location", "addresses"),
    "accessibility": ("service_at_locations", "location", "accessibility"),
    "contact": ("contacts",),
    "phone": ("phones",),
    "schedule": ("schedules",),
    "service_area": ("service_areas",),
    "language": ("languages",),
    "funding": ("funding",),
    "cost_option": ("cost_options",),
    "required_document": ("required_documents",),
    "organization_identifier": ("organization", "organization_identifiers"),
    "metadata": ("metadata",),
}


@cache
def _schema_object(kind: str) -> dict[str, Any]:
    node: dict[str, Any] = schemas.load_schema("compiled/service")
    for step in _SCHEMA_PATHS[kind]:
        node = node["properties"][step]
        if node.get("type") == "array":
            node = node["items"]
    return node


@cache
def json_type(kind: str, column: str) -> str:
    """The HSDS JSON type of a column (``"string"``, ``"number"``, …): what an import turns a cell into."""
    spec = _schema_object(kind)["properties"].get(column, {})
    value = spec.get("type", "string")
    if isinstance(value, list):
        value = next((t for t in value if t != "null"), "string")
    return str(value)


@cache
def required_columns(kind: str) -> tuple[str, ...]:
    """Columns every row must fill: what the HSDS schema requires, plus the links Ovi nests by."""
    table = TABLES_BY_KIND[kind]
    required = ("id", *_schema_object(kind).get("required", ()), *table.required)
    return tuple(dict.fromkeys(required))


def _field_descriptor(kind: str, column: str) -> dict[str, Any]:
    """One column in Frictionless Table Schema terms (type, format, constraints)."""
    spec = _schema_object(kind)["properties"].get(column, {})
    json_kind, string_format = json_type(kind, column), spec.get("format")
    out: dict[str, Any] = {"name": column}
    if json_kind == "string" and string_format == "date-time":
        out["type"] = "datetime"
    else:
        out["type"] = json_kind
        if json_kind == "string" and string_format in ("uuid", "email", "uri"):
            out["format"] = string_format
    if spec.get("description"):
        out["description"] = spec["description"]
    constraints = {}
    if column in required_columns(kind):
        constraints["required"] = True
    if column == "id":
        constraints["unique"] = True
    if constraints:
        out["constraints"] = constraints
    return out


def datapackage() -> dict[str, Any]:
    """The ``datapackage.json`` of an export: every table with its path, columns, keys and types."""
    return {
        "name": "ovi-palveluhakemisto",
        "title": "Ovi: palveluhakemisto (HSDS 3.0, taulukkomuoto)",
        "description": (
            "Ovin palveluhakemiston palvelut Open Referral HSDS 3.0 -taulukkomuodossa (Ovin suomalainen "
            "profiili). Tyhjä solu tarkoittaa puuttuvaa arvoa."
        ),
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": table.kind,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [_field_descriptor(table.kind, column) for column in table.columns],
                    "primaryKey": "id",
                    "foreignKeys": [
                        {"fields": column, "reference": {"resource": kind, "fields": "id"}}
                        for column, kind in table.foreign_keys
                    ],
                },
            }
            for table in TABLES
        ],
    }


# --- nested objects → rows ----------------------------------------------------------------------------


_SERVICE_CHILDREN = (
    ("phones", "phone"), ("schedules", "schedule"), ("service_areas", "service_area"),
    ("languages", "language"), ("funding", "funding"), ("cost_options", "cost_option"),
    ("required_documents", "required_document"), ("contacts", "contact"),
)  # fmt: skip


class _Rows:
    """Rows per table; shared objects (organizations, locations, programs, terms, taxonomies) are written
    once. Every object's attributes and history go with it (``link_id`` / ``resource_id`` its id)."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {table.kind: [] for table in TABLES}
        self._seen: dict[str, set[str]] = {table.kind: set() for table in TABLES}

    def add(self, kind: str, data: Mapping[str, Any], **links: Any) -> bool:
        """Add one object's row (``links`` override its link columns) with its attributes and history; False
        if its id was already added."""
        object_id = str(data.get("id"))
        if object_id in self._seen[kind]:
            return False
        self._seen[kind].add(object_id)
        row = {column: data.get(column) for column in TABLES_BY_KIND[kind].columns}
        row.update(links)
        self.rows[kind].append(row)
        if kind in f.ANNOTATED:
            self.attributes(data, kind)
            for item in data.get("metadata") or ():
                self.add(
                    "metadata", item, resource_id=item.get("resource_id") or data["id"],
                    resource_type=item.get("resource_type") or kind,
                )  # fmt: skip
        return True

    def children(self, owner: Mapping[str, Any], field: str, kind: str, link: str) -> None:
        """The objects of one list field, each pointing at ``owner`` through ``link`` and nothing else, so an
        import attaches it to the same owner (phones and contacts with what they hold in turn)."""
        others = dict.fromkeys(OWNER_LINKS[kind])
        for item in owner.get(field) or ():
            if not self.add(kind, item, **{**others, link: owner["id"]}):
                continue
            if kind == "contact":
                self.children(item, "phones", "phone", "contact_id")
            elif kind == "phone":
                self.children(item, "languages", "language", "phone_id")

    def attributes(self, owner: Mapping[str, Any], entity: str) -> None:
        for item in owner.get("attributes") or ():
            term = item.get("taxonomy_term") or {}
            self.add(
                "attribute", item, link_id=owner["id"], link_entity=entity,
                taxonomy_term_id=term.get("id", item.get("taxonomy_term_id")),
            )  # fmt: skip
            if term and self.add("taxonomy_term", term):
                detail = term.get("taxonomy_detail")
                if isinstance(detail, Mapping):
                    self.add("taxonomy", detail)

    def program(self, program: Mapping[str, Any], organization_id: Any = None) -> None:
        self.add("program", program, organization_id=program.get("organization_id") or organization_id)

    def organization(self, org: Mapping[str, Any]) -> None:
        if self.add("organization", org):
            for field, kind in (("phones", "phone"), ("contacts", "contact"), ("funding", "funding"),
                                ("organization_identifiers", "organization_identifier")):  # fmt: skip
                self.children(org, field, kind, "organization_id")
            for program in org.get("programs") or ():
                self.program(program, org["id"])

    def location(self, location: Mapping[str, Any]) -> None:
        if self.add("location", location):
            for field, kind in (("addresses", "address"), ("phones", "phone"), ("schedules", "schedule"),
                                ("languages", "language"), ("contacts", "contact"),
                                ("accessibility", "accessibility")):  # fmt: skip
                self.children(location, field, kind, "location_id")

    def service(self, service: Mapping[str, Any]) -> None:
        org = service.get("organization")
        org_id = org.get("id") if isinstance(org, Mapping) else service.get("organization_id")
        program = service.get("program")
        program_id = program.get("id") if isinstance(program, Mapping) else service.get("program_id")
        self.add("service", service, organization_id=org_id, program_id=program_id)
        if isinstance(org, Mapping):
            self.organization(org)
        if isinstance(program, Mapping):
            self.program(program)
        for field, kind in _SERVICE_CHILDREN:
            self.children(service, field, kind, "service_id")
        for sal in service.get("service_at_locations") or ():
            location = sal.get("location")
            location_id = location.get("id") if isinstance(location, Mapping) else sal.get("location_id")
            self.add("service_at_location", sal, service_id=service["id"], location_id=location_id)
            for field, kind in (("phones", "phone"), ("schedules", "schedule"), ("contacts", "contact")):
                self.children(sal, field, kind, "service_at_location_id")
            if isinstance(location, Mapping):
                self.location(location)


def service_rows(
    services: Iterable[Mapping[str, Any]], taxonomies: Iterable[Mapping[str, Any]] = ()
) -> dict[str, list[Row]]:
    """Rows per table (by kind) of nested HSDS service objects; ``taxonomies`` adds taxonomy rows that the
    services only name by ``taxonomy_id`` (the export leaves ``taxonomy_detail`` out of its terms)."""
    rows = _Rows()
    for service in services:
        rows.service(service)
    for taxonomy in taxonomies:
        rows.add("taxonomy", taxonomy)
    return rows.rows


# --- rows → files --------------------------------------------------------------------------------------


def cell(value: Any) -> str:
    """One value as CSV text: empty for absent, ``true``/``false``, numbers in their shortest exact form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes only where needed
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(column)) for column in columns])


def write_package(directory: Path | str, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Write every table of :data:`TABLES` (header only when it has no rows) and ``datapackage.json``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        write_table(folder / table.path, table.columns, rows.get(table.kind, ()))
    text = json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"
    (folder / DATAPACKAGE).write_text(text, encoding="utf-8")


def _named_taxonomies(session: Session, rows: Mapping[str, Sequence[Row]]) -> list[dict[str, Any]]:
    ids = {row["taxonomy_id"] for row in rows["taxonomy_term"] if row.get("taxonomy_id")}
    query = select(Taxonomy).where(Taxonomy.id.in_(ids)).order_by(Taxonomy.id)
    return [hsds.taxonomy(t) for t in session.scalars(query)]


def export_hsds_csv(session: Session, directory: Path | str) -> int:
    """Write every service as an HSDS tabular data package into ``directory`` (created if missing; files of
    the same names are replaced). Returns the number of services."""
    services = export_services(session)
    rows = _Rows()
    for service in services:
        rows.service(service)
    for taxonomy in _named_taxonomies(session, rows.rows):
        rows.add("taxonomy", taxonomy)
    write_package(directory, rows.rows)
    return len(services)
