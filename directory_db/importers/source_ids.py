"""Stable UUIDs for sources whose ids are not UUIDs, and the source every imported service is stamped with.

HSDS ids are UUIDs, but many real feeds number their records themselves ("palvelu-17", 42). Before an import
is validated, :func:`map_ids` replaces every such id by ``uuid5(OVI_NAMESPACE, "<kind>:<original>")`` — the
object's own id and every reference to it in the file (``organization_id``, ``location_id``, ``link_id``,
``parent_id``, …) with the kind of the object referred to — so the file stays consistent, and importing it
again gives the same ids (an update in place, not new copies). The original id is kept and shown: services,
organizations and locations get an ``ovi_source_id`` attribute whose ``value`` is the original id, and an
organization also an ``organization_identifiers`` entry (scheme ``ovi_source_id``). Ids of other objects
(phones, schedules, …) are mapped the same way but not kept: they mean nothing to a reader.

:func:`stamp_source` gives every service of the import an ``ovi_source`` attribute naming where it came from
(``--source``; without it, the source a record already names, else the format): ``--prune`` archives only
services of the same source.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any, TypeGuard

from ..profile import SOURCE_CODE, SOURCE_ID_CODE, SOURCE_ID_TAXONOMY, SOURCE_TAXONOMY
from .structure import KINDS, Node, Record, walk
from .terms import ovi_attribute, ovi_uuid

# Reference fields → the kind of object they name (link_id and resource_id name the kind their object says).
REFERENCES: dict[str, str] = {
    "organization_id": "organization",
    "parent_organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "contact_id": "contact",
    "phone_id": "phone",
    "program_id": "program",
    "taxonomy_term_id": "taxonomy_term",
    "taxonomy_id": "taxonomy",
}
_REFERENCE_NAMES = frozenset({*REFERENCES, "link_id", "resource_id", "parent_id"})
# The objects whose original id a reader may need (shown as an ovi_source_id attribute).
KEPT = frozenset({"service", "organization", "location"})
# link_entity / resource_type as publishers write them: the object ("service") or the table ("services").
_ENTITY_NAMES: dict[str, str] = {
    **{name: name for name in KINDS},
    **{f"{name}s": name for name in KINDS},
    "addresses": "address",
    "service_at_location": "service_at_location",
    "funding": "funding",
    "accessibility": "accessibility",
}
SOURCE_ID_SCHEME = "ovi_source_id"


def entity_kind(name: Any) -> str | None:
    """The kind a ``link_entity`` or ``resource_type`` names, or None when it names none Ovi knows."""
    return _ENTITY_NAMES.get(name.strip().lower()) if isinstance(name, str) else None


_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_uuid(value: Any) -> bool:
    """True for a string the HSDS schema accepts as ``format: uuid`` (what jsonschema checks)."""
    if isinstance(value, str) and _CANONICAL_UUID.fullmatch(value):
        return True  # the common case, without parsing
    if not isinstance(value, str) or len(value) != 36 or any(value[i] != "-" for i in (8, 13, 18, 23)):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _needs_mapping(value: Any) -> TypeGuard[str | int]:
    # Numbers count (JSON feeds number their rows); an empty string, a bool or null is left to the schema.
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip() != "" and not is_uuid(value)


def stable_id(kind: str, original: str | int) -> str:
    """The UUID that stands for the source's id ``original`` of an object of ``kind``."""
    return ovi_uuid(f"{kind}:{original}")


def _has_source_id(data: dict[str, Any]) -> bool:
    attributes = data.get("attributes")
    return isinstance(attributes, list) and any(
        isinstance(a, dict)
        and isinstance(a.get("taxonomy_term"), dict)
        and a["taxonomy_term"].get("taxonomy") == SOURCE_ID_TAXONOMY
        for a in attributes
    )


def _keep_original(node: Node, new_id: str, original: str) -> None:
    data = node.data
    if not _has_source_id(data):
        attributes = data.setdefault("attributes", [])
        if isinstance(attributes, list):
            attributes.append(ovi_attribute(new_id, SOURCE_ID_TAXONOMY, SOURCE_ID_CODE, original))
    if node.kind == "organization":
        identifiers = data.setdefault("organization_identifiers", [])
        if isinstance(identifiers, list) and not any(
            isinstance(i, dict) and i.get("identifier_scheme") == SOURCE_ID_SCHEME for i in identifiers
        ):
            identifiers.append({
                "id": ovi_uuid(f"organization_identifier:{new_id}:{SOURCE_ID_SCHEME}"),
                "identifier_scheme": SOURCE_ID_SCHEME, "identifier_type": "Lähdejärjestelmän tunniste",
                "identifier": original,
            })  # fmt: skip


def _reference_kind(node: Node, name: str) -> str | None:
    data = node.data
    if name == "link_id" and node.kind == "attribute":
        return entity_kind(data.get("link_entity")) or (node.parent.kind if node.parent else None)
    if name == "resource_id" and node.kind == "metadata":
        return entity_kind(data.get("resource_type")) or (node.parent.kind if node.parent else None)
    if name == "parent_id" and node.kind == "taxonomy_term":
        return "taxonomy_term"
    return REFERENCES.get(name)


def map_ids(records: Sequence[Record]) -> int:
    """Replace every non-UUID id and reference in ``records`` in place; returns how many values changed."""
    changed = 0
    for record in records:
        if not isinstance(record.data, dict):
            continue  # the schema check reports it
        for node in walk("service", record.data):
            data = node.data
            # Only the reference fields the object has (a set operation, not a lookup per possible field).
            for name in _REFERENCE_NAMES.intersection(data):
                value = data[name]
                if value is None:
                    continue
                kind = _reference_kind(node, name)
                if kind is not None and _needs_mapping(value):
                    data[name] = stable_id(kind, value)
                    changed += 1
            original = data.get("id")
            if _needs_mapping(original):
                data["id"] = stable_id(node.kind, original)
                changed += 1
                if node.kind in KEPT:
                    _keep_original(node, data["id"], str(original))
    return changed


def stamp_source(records: Sequence[Record], source: str | None, default: str) -> None:
    """Give each service one ``ovi_source`` attribute: ``source`` when given (replacing what it had), else the
    one it already carries (an export moved between databases keeps where its services came from), else
    ``default`` (the format's name)."""
    for record in records:
        data = record.data
        if not isinstance(data, dict) or not is_uuid(data.get("id")):
            continue  # the schema check reports it
        attributes = data.setdefault("attributes", [])
        if not isinstance(attributes, list):
            continue
        found = [
            a
            for a in attributes
            if isinstance(a, dict)
            and isinstance(a.get("taxonomy_term"), dict)
            and a["taxonomy_term"].get("taxonomy") == SOURCE_TAXONOMY
        ]
        if found:
            if source is not None or not found[0].get("value"):
                found[0]["value"] = source or default
            for extra in found[1:]:
                attributes.remove(extra)
        else:
            attributes.append(ovi_attribute(data["id"], SOURCE_TAXONOMY, SOURCE_CODE, source or default))
