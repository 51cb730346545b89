"""Validators for the HSDS API tests: the HSDS 3.0 schemas in ``directory_db/schemas/hsds-3.0``, and every
response against the schema the API's OpenAPI document gives for its path and status (``get_json``)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp.test_utils import TestClient
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


# --- the OpenAPI document: every response checked against what it documents --------------------------------

BASE = "http://ovi.test/api/hsds/"  # where the document "is", for its relative references (schema/…)


@cache
def _document() -> dict[str, Any]:
    from ovi_web.hsds_api import openapi

    return openapi()


@cache
def _document_registry() -> Registry:
    from ovi_web.hsds_api import schema_files

    resources = [
        (BASE + "openapi.json", Resource.from_contents(_document(), default_specification=DRAFT202012))
    ]
    resources += [
        (BASE + "schema/" + name, Resource.from_contents(_load(path), default_specification=DRAFT202012))
        for name, path in schema_files().items()
    ]
    return Registry().with_resources(resources)


def _pointer(*parts: str) -> str:
    return "/".join(["", *(part.replace("~", "~0").replace("/", "~1") for part in parts)])


def _template(path: str) -> str | None:
    """The documented path (``/services/{id}``) that a request path under /api/hsds matches, if any."""
    path = path.split("?", 1)[0].removeprefix("/api/hsds") or "/"
    for template in _document()["paths"]:
        if re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)), path):
            return str(template)
    return None


@cache
def _response_validator(template: str | None, status: int) -> Draft202012Validator:
    if template is None:  # an undocumented path: the error object of every API error
        assert status >= 400, f"an undocumented path answered {status}"
        where = ["components", "schemas", "Error"]
    else:
        responses = _document()["paths"][template]["get"]["responses"]
        assert str(status) in responses, f"GET {template}: status {status} is not documented"
        ref = responses[str(status)].get("$ref")
        where = ref[2:].split("/") if ref else ["paths", template, "get", "responses", str(status)]
        where += ["content", "application/json", "schema"]
    return Draft202012Validator(
        {"$ref": BASE + "openapi.json#" + quote(_pointer(*where), safe="/~")},
        registry=_document_registry(),
        format_checker=FormatChecker(),
    )


def assert_documented(path: str, status: int, body: Any) -> None:
    """``body`` (the JSON of GET ``path`` answered with ``status``) is what the OpenAPI document says: the
    page envelope, the error object, or the compiled HSDS 3.0 schema it refers to."""
    validator = _response_validator(_template(path), status)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"GET {path} ({status}): " + "; ".join(
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]
    )


async def get_json(client: TestClient, path: str, status: int = 200) -> Any:
    """GET ``path``: the status, the JSON content type and the body as documented (validated), or fail."""
    response = await client.get(path)
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    body = await response.json()
    if path.startswith("/api/hsds"):
        assert_documented(path, status, body)
    return body
