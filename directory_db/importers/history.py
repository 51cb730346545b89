"""The change history an import writes: HSDS ``metadata`` rows per service (README.md, "Change history").

A service the directory did not have gets one ``create`` row (unless the file brings a history that already
has one: a record moved between databases keeps its own). A service it had is compared as its full HSDS JSON
before and after the import (:func:`directory_db.hsds.service`, confidential fields included), flattened to
field paths like ``phones[0].number``; each path whose value differs gives one ``update`` row with the old
and the new value as text ("" for absent). An unchanged service gets nothing. The history arrays themselves
and ``last_modified`` (bookkeeping of change, not a change) are left out of the comparison. ``--prune`` adds
an ``archive`` row when it sets a service inactive.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..models import Metadata

CREATE = "create"
UPDATE = "update"
ARCHIVE = "archive"
# Left out of the comparison: the history itself, and the timestamp every change moves.
_IGNORED_KEYS = frozenset({"metadata"})
_IGNORED_PATHS = frozenset({"last_modified"})


def _text(value: Any) -> str:
    """A field value as history text: strings as they are, numbers and flags as JSON, absent as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(field path, scalar) pairs of a JSON value in document order: ``phones[0].number`` → "05 123"."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _IGNORED_KEYS:
                yield from flatten(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from flatten(item, f"{path}[{i}]")
    elif path not in _IGNORED_PATHS:
        yield path, value


@dataclass(frozen=True)
class Change:
    field_name: str
    previous_value: str
    replacement_value: str


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every field path whose value differs, in the new document's order, then the removed ones."""
    old, new = dict(flatten(before)), dict(flatten(after))
    out = [
        Change(path, _text(old.get(path)), _text(value))
        for path, value in new.items()
        if path not in old or old[path] != value or type(old[path]) is not type(value)
    ]
    out += [Change(path, _text(value), "") for path, value in old.items() if path not in new]
    return out


def has_create_row(rows: list[dict[str, Any]]) -> bool:
    """True if a history the file brings for a service already records its creation."""
    return any(isinstance(r, dict) and r.get("last_action_type") == CREATE for r in rows)


def row(service_id: str, action: str, change: Change, *, position: int, when: str, user: str) -> Metadata:
    """One history row Ovi writes about a service (random id: the same change made twice is two events)."""
    return Metadata(**row_values(service_id, action, change, position=position, when=when, user=user))


def row_values(
    service_id: str, action: str, change: Change, *, position: int, when: str, user: str
) -> dict[str, Any]:
    """The column values of :func:`row`, for a bulk insert (no ORM object made only to be read)."""
    return {
        "id": str(uuid.uuid4()),
        "position": position,
        "resource_id": service_id,
        "resource_type": "service",
        "last_action_date": when,
        "last_action_type": action,
        "field_name": change.field_name,
        "previous_value": change.previous_value,
        "replacement_value": change.replacement_value,
        "updated_by": user,
    }
