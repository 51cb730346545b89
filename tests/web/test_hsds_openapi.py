"""The HSDS API's OpenAPI 3.1 document: served, valid, complete (routes ↔ paths), bilingual, and what the
parameter parsers accept; the HSDS schemas it refers to are served too."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from jsonschema import Draft202012Validator
from webtest_hsds import get_json

from ovi_web import hsds_api
from ovi_web.app import init_app
from ovi_web.settings import Settings

API = "/api/hsds"


def _walk(node: Any) -> list[Any]:
    found = [node]
    if isinstance(node, dict):
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def _resolve(doc: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    ref = item.get("$ref")
    if ref is None:
        return item
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return dict(node)


def _hsds_routes(app: web.Application) -> set[str]:
    """The paths of every GET route under /api/hsds, as the document writes them ("/", "/services/{id}")."""
    paths = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("formatter") or info.get("path") or ""
        if path.startswith(API) and route.method == "GET":
            paths.add(path.removeprefix(API) or "/")
    return paths


async def test_served_document_is_the_declared_one_and_linked(client: TestClient) -> None:
    info = await get_json(client, f"{API}/")
    served = await get_json(client, f"{API}/openapi.json")
    assert info["openapi_url"].endswith("/api/hsds/openapi.json")
    assert served == json.loads(json.dumps(hsds_api.openapi()))
    assert served["openapi"] == "3.1.0"


def test_document_is_valid_openapi_3_1() -> None:
    from schemathesis.specs.openapi.definitions import OPENAPI_31  # the OpenAPI 3.1 meta-schema

    errors = list(Draft202012Validator(OPENAPI_31).iter_errors(json.loads(json.dumps(hsds_api.openapi()))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_every_route_is_documented_and_every_documented_path_is_a_route() -> None:
    app = init_app(Settings.from_env({"DATABASE_URL": "sqlite://", "OVI_RASA_URL": "http://rasa.test"}))
    routes = _hsds_routes(app)
    documented = set(hsds_api.openapi()["paths"])
    assert routes == documented, {"undocumented": routes - documented, "not routes": documented - routes}
    for item in hsds_api.openapi()["paths"].values():
        assert set(item) == {"get"}  # a read-only API


def test_every_operation_and_parameter_is_described_in_english_and_finnish() -> None:
    doc = hsds_api.openapi()
    for path, item in doc["paths"].items():
        operation = item["get"]
        assert operation["operationId"] and operation["summary"], path
        assert "\n\nSuomeksi: " in operation["description"], path
        for parameter in operation.get("parameters", []):
            parameter = _resolve(doc, parameter)
            en, _, fi = parameter["description"].partition("\n\nSuomeksi: ")
            assert en.strip() and fi.strip() and en != fi, (path, parameter["name"])
            assert parameter["schema"], (path, parameter["name"])
        assert "200" in operation["responses"], path
        if "{" in path:
            assert "404" in operation["responses"], path
        elif operation.get("parameters"):
            assert "400" in operation["responses"], path


def test_spec_parameters_are_all_there() -> None:
    """SPEC §4: the standard parameters and the Finnish extensions, with their enums and formats."""
    doc = hsds_api.openapi()
    services = {
        _resolve(doc, p)["name"]: _resolve(doc, p) for p in doc["paths"]["/services"]["get"]["parameters"]
    }
    assert set(services) >= {
        "search", "taxonomy_term_id", "organization_id", "modified_after", "page", "per_page",
        "municipality", "target_group", "language", "provider_type",
        "free_of_charge", "anonymous", "open_now",
    }  # fmt: skip
    assert services["provider_type"]["schema"]["enum"] == ["ngo", "public", "parish", "private"]
    assert services["language"]["schema"]["pattern"] == "^[a-z]{2}$"
    assert "285" in services["municipality"]["schema"]["enum"]
    assert "KR1.3" in services["target_group"]["schema"]["enum"]
    assert services["per_page"]["schema"]["maximum"] == hsds_api.MAX_PER_PAGE
    for flag in ("free_of_charge", "anonymous", "open_now"):
        assert services[flag]["schema"]["type"] == "boolean"
    for path in ("/organizations", "/taxonomies", "/taxonomy_terms", "/service_at_locations"):
        names = {_resolve(doc, p)["name"] for p in doc["paths"][path]["get"]["parameters"]}
        assert {"search", "page", "per_page"} <= names, path


def _bad_values(schema: dict[str, Any]) -> list[str]:
    """Values that break a parameter's schema, as query strings."""
    if "enum" in schema:
        return ["no-such-value"]
    if schema.get("type") == "integer":
        return ["0", "x", str(schema["maximum"] + 1)]
    if schema.get("type") == "boolean":
        return ["maybe"]
    if "pattern" in schema and schema["pattern"].startswith("^[a-z]"):
        return ["ZZ"]
    if "anyOf" in schema:  # date-time or date
        return ["yesterday"]
    if schema.get("type") == "string":
        return ["x" * (schema["maxLength"] + 1), "a\x01b"]
    raise AssertionError(f"no bad value for {schema}")


def _documented_parameters() -> list[tuple[str, str, str]]:
    doc = hsds_api.openapi()
    cases = []
    for path, item in doc["paths"].items():
        for parameter in item["get"].get("parameters", []):
            parameter = _resolve(doc, parameter)
            if parameter["in"] == "query":
                cases += [(path, parameter["name"], bad) for bad in _bad_values(parameter["schema"])]
    return cases


@pytest.mark.parametrize(("path", "name", "bad"), _documented_parameters())
async def test_every_documented_parameter_is_checked_as_documented(
    client: TestClient, path: str, name: str, bad: str
) -> None:
    """A value the document's schema rejects is a 400 naming the parameter: the parsers and the document
    are the same declarations (hsds_api.Param)."""
    response = await client.get(API + path, params={name: bad})
    assert response.status == 400, (path, name, bad, await response.text())
    body = await response.json()
    assert body["error"]["parameter"] == name


async def test_every_referenced_hsds_schema_is_served(client: TestClient) -> None:
    doc = hsds_api.openapi()
    refs = {n["$ref"] for n in _walk(doc) if isinstance(n, dict) and not n.get("$ref", "#").startswith("#")}
    assert refs == {f"schema/{name}" for name in (
        "service_list.json", "service.json", "organization_list.json", "organization.json", "taxonomy.json",
        "taxonomy_term.json", "service_at_location_list.json", "service_at_location.json",
    )}  # fmt: skip
    for name, path in hsds_api.schema_files().items():
        response = await client.get(f"{API}/schema/{name}")
        assert response.status == 200, name
        assert response.content_type == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert await response.json() == json.loads(path.read_text(encoding="utf-8"))
    # taxonomy_term.json refers to taxonomy.json and metadata.json by relative name: served beside it.
    assert {"taxonomy.json", "metadata.json"} <= set(hsds_api.schema_files())
    body = await get_json(client, f"{API}/schema/openapi.json", status=404)  # the upstream one is not ours
    assert body["error"]["message_fi"]
    assert (await client.get(f"{API}/schema/..%2Fopenapi.json")).status == 404


def test_document_parameters_match_the_declarations() -> None:
    """One place: every documented query parameter is a declared Param, and vice versa."""
    doc = hsds_api.openapi()
    declared = {p.key for op in hsds_api.OPERATIONS for p in op.params}
    assert set(doc["components"]["parameters"]) == declared
    used = {
        ref["$ref"].rsplit("/", 1)[-1]
        for item in doc["paths"].values()
        for ref in item["get"].get("parameters", [])
        if "$ref" in ref
    }
    assert used == declared
    for key, parameter in doc["components"]["parameters"].items():
        assert re.fullmatch(r"[a-z_]+", parameter["name"]), key
