"""The nesting of an import record (an HSDS service with its organization, locations, …) as data.

Validation and writing both walk records with :func:`walk`, so the set of supported objects and fields is
declared once (from :mod:`directory_db.hsds_fields`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from .. import hsds_fields as f


@dataclass(frozen=True)
class Kind:
    name: str
    label_fi: str
    genitive_fi: str
    scalars: tuple[str, ...]
    nested: dict[str, tuple[str, bool]]
    """field → (kind of the nested object, is it a list)"""

    @cached_property
    def fields(self) -> frozenset[str]:
        # Cached: validation asks for every object of every record (a million times in a 10k import).
        return frozenset(self.scalars) | frozenset(self.nested)


_ANNOTATIONS = {"attributes": ("attribute", True), "metadata": ("metadata", True)}


def _kind(name: str, label_fi: str, genitive_fi: str, scalars: tuple[str, ...],
          nested: dict[str, tuple[str, bool]] | None = None) -> Kind:
    """A kind of HSDS object that may carry attributes and metadata of its own (f.ANNOTATED)."""
    return Kind(name, label_fi, genitive_fi, scalars, {**(nested or {}), **_ANNOTATIONS})


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _kind("service", "palvelu", "palvelun", f.SERVICE_SCALARS, {
            "phones": ("phone", True), "schedules": ("schedule", True),
            "service_areas": ("service_area", True), "service_at_locations": ("service_at_location", True),
            "languages": ("language", True), "organization": ("organization", False),
            "funding": ("funding", True), "cost_options": ("cost_option", True),
            "program": ("program", False), "required_documents": ("required_document", True),
            "contacts": ("contact", True),
        }),
        _kind("organization", "organisaatio", "organisaation", f.ORGANIZATION_SCALARS, {
            "funding": ("funding", True), "contacts": ("contact", True), "phones": ("phone", True),
            "programs": ("program", True), "organization_identifiers": ("organization_identifier", True),
        }),
        _kind("service_at_location", "palvelupiste", "palvelupisteen", f.SERVICE_AT_LOCATION_SCALARS, {
            "contacts": ("contact", True), "phones": ("phone", True), "schedules": ("schedule", True),
            "location": ("location", False),
        }),
        _kind("location", "sijainti", "sijainnin", f.LOCATION_SCALARS, {
            "languages": ("language", True), "addresses": ("address", True), "contacts": ("contact", True),
            "accessibility": ("accessibility", True), "phones": ("phone", True),
            "schedules": ("schedule", True),
        }),
        _kind("contact", "yhteyshenkilö", "yhteyshenkilön", f.CONTACT_SCALARS, {"phones": ("phone", True)}),
        _kind("phone", "puhelin", "puhelimen", f.PHONE_SCALARS, {"languages": ("language", True)}),
        _kind("schedule", "aukioloaika", "aukioloajan", f.SCHEDULE_SCALARS),
        _kind("language", "kieli", "kielen", f.LANGUAGE_SCALARS),
        _kind("address", "osoite", "osoitteen", f.ADDRESS_SCALARS),
        _kind("service_area", "palvelualue", "palvelualueen", f.SERVICE_AREA_SCALARS),
        _kind("funding", "rahoitus", "rahoituksen", f.FUNDING_SCALARS),
        _kind("cost_option", "hintatieto", "hintatiedon", f.COST_OPTION_SCALARS),
        _kind("required_document", "vaadittu asiakirja", "vaaditun asiakirjan", f.REQUIRED_DOCUMENT_SCALARS),
        _kind("accessibility", "esteettömyystieto", "esteettömyystiedon", f.ACCESSIBILITY_SCALARS),
        _kind("organization_identifier", "organisaation tunniste", "organisaation tunnisteen",
              f.ORGANIZATION_IDENTIFIER_SCALARS),
        _kind("program", "ohjelma", "ohjelman", f.PROGRAM_SCALARS),
        Kind("attribute", "attribuutti", "attribuutin", f.ATTRIBUTE_SCALARS, {
            "taxonomy_term": ("taxonomy_term", False),
        }),
        Kind("taxonomy_term", "luokitustermi", "luokitustermin", f.TAXONOMY_TERM_SCALARS, {
            "taxonomy_detail": ("taxonomy", False),
        }),
        Kind("taxonomy", "luokitus", "luokituksen", f.TAXONOMY_SCALARS, {}),
        Kind("metadata", "muutoshistoriarivi", "muutoshistoriarivin", f.METADATA_SCALARS, {}),
    )
}  # fmt: skip

# Objects that several records may legitimately repeat (a shared organization or location, a code list
# term); every other id must be unique within a file.
SHARED_KINDS = frozenset({"organization", "location", "program", "taxonomy_term", "taxonomy"})

# The field of a child that names its parent, by the parent's kind.
PARENT_LINK_FIELD = {
    "service": "service_id",
    "organization": "organization_id",
    "location": "location_id",
    "service_at_location": "service_at_location_id",
    "contact": "contact_id",
    "phone": "phone_id",
}


@dataclass(frozen=True)
class Record:
    """One service record of an import, with the label its errors are reported under."""

    label: str
    data: dict[str, Any]


class Node(NamedTuple):
    """One object of a record. A tuple rather than a frozen dataclass: an import makes millions of them."""

    kind: str
    path: str
    """Where the object is inside its record, e.g. ``service_at_locations[0].location``; "" for the record."""
    data: dict[str, Any]
    parent: Node | None

    def field_path(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


def walk(kind: str, data: dict[str, Any], path: str = "", parent: Node | None = None) -> Iterator[Node]:
    """The object and every object nested in it, depth first, in document order."""
    # Collected into a list by plain recursion: nested generators cost a frame switch per level per node,
    # and an import walks each record several times.
    out: list[Node] = []
    _collect(kind, data, path, parent, out)
    return iter(out)


def _collect(kind: str, data: dict[str, Any], path: str, parent: Node | None, out: list[Node]) -> None:
    node = Node(kind, path, data, parent)
    out.append(node)
    for name, (child_kind, many) in KINDS[kind].nested.items():
        value = data.get(name)
        if value is None:
            continue
        if many and isinstance(value, list):
            prefix = node.field_path(name)
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _collect(child_kind, item, f"{prefix}[{i}]", node, out)
        elif not many and isinstance(value, dict):
            _collect(child_kind, value, node.field_path(name), node, out)


def children(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The nested objects of one list field (validated records only hold objects there)."""
    value = data.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
