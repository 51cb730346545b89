"""Validators for the HSDS 3.0 schemas in ``directory_db/schemas/hsds-3.0`` (used by the API tests)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "directory_db" / "schemas" / "hsds-3.0"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    # The uncompiled schemas (taxonomy_term.json, ...) refer to each other by file name.
    resources = [
        (path.name, Resource.from_contents(_load(path), default_specification=DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """``validator("compiled/service_list.json")``: validates one object; formats (uuid, email) checked."""
    return Draft202012Validator(
        _load(SCHEMA_DIR / name), registry=_registry(), format_checker=FormatChecker()
    )


def assert_valid(name: str, instance: Any) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
