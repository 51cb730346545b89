"""The HSDS 3.0 JSON schemas shipped with Ovi (copies, see ``hsds-3.0/LICENSE.md``) and their validators.

Schema names are paths relative to ``hsds-3.0/`` without ``.json``: ``"compiled/service"``,
``"compiled/service_list"``, ``"taxonomy_term"``, …
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HSDS_DIR = Path(__file__).resolve().parent / "hsds-3.0"

# Schemas that others $ref by bare file name ("taxonomy.json") from the non-compiled HSDS schemas.
_REFERENCED = ("taxonomy", "taxonomy_term", "metadata")


@cache
def load_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HSDS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value.upper() and parsed.tzinfo is not None


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and not any(c.isspace() for c in value)


# One @, something before it, a dotted domain after it, no spaces: "x@" or "etunimi@kunta" is a typo that
# would reach a resident as a dead address (jsonschema's own "email" check only looks for an "@").
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


# jsonschema checks "uuid" and "date" itself; "date-time" and "uri" need optional packages that Ovi does not
# install, so they are checked here (RFC 3339 with a time zone; an absolute URI), and "email" more strictly
# than jsonschema does.
_OWN_FORMATS: dict[str, Callable[[object], bool]] = {
    "date-time": _is_date_time, "uri": _is_uri, "email": _is_email,
}  # fmt: skip


def _format_checker() -> FormatChecker:
    checker = FormatChecker(["uuid", "date"])
    for name, check in _OWN_FORMATS.items():
        checker.checks(name)(check)
    return checker


@cache
def _registry() -> Registry[Any]:
    resources = [
        (f"{name}.json", Resource.from_contents(load_schema(name), default_specification=DRAFT202012))
        for name in _REFERENCED
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A (cached) validator for one schema, checking formats (uuid, date-time, uri, email, date)."""
    return Draft202012Validator(load_schema(name), registry=_registry(), format_checker=_format_checker())


def _remembered(check: Callable[[object], bool]) -> Callable[[object], bool]:
    """``check`` with its answers for strings remembered: a large import repeats the same URIs (areas,
    code lists) and timestamps thousands of times, and the calls from the compiled validator into Python
    were most of its time."""
    remembered = lru_cache(maxsize=65536)(check)
    return lambda value: remembered(value) if isinstance(value, str) else check(value)


@cache
def _fast_validator(name: str) -> Any:
    """A compiled (Rust) validator of the same schema, for the common case of a valid record.

    It checks Ovi's own formats with the very functions of :func:`_format_checker`, and it only answers
    "valid": any record it doubts is checked again by :func:`validator`, whose errors are the ones reported.
    So the rules stay those of ``jsonschema``; this is 50-100x faster on a large import of valid records.
    """
    # uuid is the compiled validator's own, never more lenient than jsonschema's (and a record it refuses
    # is checked again by jsonschema anyway).
    formats = {name: _remembered(check) for name, check in _OWN_FORMATS.items()}
    return jsonschema_rs.validator_for(load_schema(name), formats=formats, validate_formats=True)


def iter_errors(name: str, instance: object) -> list[ValidationError]:
    """All schema errors of ``instance``, in document order."""
    # Only the compiled schemas are self-contained (the others $ref each other through _registry()).
    if name.startswith("compiled/") and _fast_validator(name).is_valid(instance):
        return []
    return sorted(validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])


def validate(name: str, instance: object) -> None:
    """Raise :class:`jsonschema.ValidationError` (the most relevant one) if ``instance`` does not validate."""
    validator(name).validate(instance)
