"""The Open Referral HSDS 3.0 API under ``/api/hsds`` (SPEC §4): parameters in, HSDS JSON out.

Bad parameters are a 400 naming the parameter; unknown ids a 404; both JSON. The queries themselves are in
``hsds_queries`` and run off the event loop.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

from aiohttp import web
from multidict import MultiMapping
from sqlalchemy.orm import Session

from directory_db.profile import NATIONWIDE_EXTENT, SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY
from ovi_lang import codes
from ovi_web import hsds_queries as q
from ovi_web.db import run_in_session
from ovi_web.errors import BadParameter, NotFound
from ovi_web.render import json_response

API = "/api/hsds"
HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Public directory data without cookies: any site may read it from the browser.
CORS = {"Access-Control-Allow-Origin": "*"}

T = TypeVar("T")
Query = MultiMapping[str]

routes = web.RouteTableDef()


# --- parameters -------------------------------------------------------------------------------------------


def _text(query: Query, name: str) -> str | None:
    value = query.get(name, "").strip()
    return value or None


def _int(query: Query, name: str, default: int, maximum: int | None = None) -> int:
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]+", raw):
        raise BadParameter(name, f"must be a positive whole number, got {raw!r}")
    value = int(raw)
    if value < 1:
        raise BadParameter(name, "must be at least 1")
    if maximum is not None and value > maximum:
        raise BadParameter(name, f"must be at most {maximum}")
    return value


def _bool(query: Query, name: str) -> bool:
    raw = query.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(name, f"must be true or false, got {raw!r}")


def paging(query: Query) -> q.Paging:
    fmt = query.get("format", "json").strip().lower()
    if fmt not in ("", "json"):
        raise BadParameter("format", "only json is supported")
    return q.Paging(
        page=_int(query, "page", 1), per_page=_int(query, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    )


def _municipality(query: Query) -> str | None:
    value = _text(query, "municipality")
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{3}", value):
        raise BadParameter("municipality", f"must be a 3-digit municipality code such as 285, got {value!r}")
    if codes.municipality(value) is None:
        raise BadParameter("municipality", f"unknown municipality code {value}")
    return value


def _target_group(query: Query) -> str | None:
    value = _text(query, "target_group")
    if value is not None and codes.taxonomy_code(TARGET_GROUP_TAXONOMY, value) is None:
        raise BadParameter("target_group", f"unknown {TARGET_GROUP_TAXONOMY} code {value!r}, e.g. KR1.3")
    return value


def _modified_after(query: Query) -> datetime | None:
    value = _text(query, "modified_after")
    if value is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            parsed = datetime.combine(date.fromisoformat(value), time(0), tzinfo=timezone.utc)
        else:
            parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            "modified_after",
            f"must be an ISO 8601 date or datetime such as 2025-01-31T12:00:00Z, got {value!r}",
        ) from None
    # A time without an offset is taken as UTC, the directory's own time zone.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def service_filter(query: Query) -> q.ServiceFilter:
    return q.ServiceFilter(
        search=_text(query, "search"),
        municipality=_municipality(query),
        target_group=_target_group(query),
        taxonomy_term_id=_text(query, "taxonomy_term_id"),
        taxonomy_id=_text(query, "taxonomy_id"),
        organization_id=_text(query, "organization_id"),
        modified_after=_modified_after(query),
    )


# --- helpers ----------------------------------------------------------------------------------------------


def ok(data: Any) -> web.Response:
    return json_response(data, headers=CORS)


async def one(request: web.Request, what: str, load: Callable[[Session, str], T | None]) -> web.Response:
    item_id = request.match_info["id"]
    item = await run_in_session(request.app, lambda session: load(session, item_id))
    if item is None:
        raise NotFound(f"{what} not found: {item_id}")
    return ok(item)


# --- API description --------------------------------------------------------------------------------------


def profile() -> dict[str, Any]:
    """Ovi's Finnish profile of HSDS 3.0 (SPEC §5), as data."""
    return {
        "name": "Ovi – Finnish profile of HSDS 3.0",
        "hsds_version": HSDS_VERSION,
        "language": "fi",
        "taxonomies": {
            SERVICE_CLASS_TAXONOMY: {"what": "PTV service classes", "uri": codes.SCHEMES["ptvserclass2"]},
            TARGET_GROUP_TAXONOMY: {"what": "PTV target groups", "uri": codes.SCHEMES["ptvkohderyhmat"]},
            "ptv_organization_type": {
                "what": "PTV organization type of an organization, or 'parish'",
                "codes": [
                    "Organization",
                    "Municipality",
                    "Region",
                    "State",
                    "Company",
                    "SotePublic",
                    "SotePrivate",
                    "parish",
                ],
            },
        },
        "service_areas": {
            "municipality": codes.SCHEMES["kunta"],
            "wellbeing_services_county": codes.SCHEMES["hyvinvointialue"],
            "region": codes.SCHEMES["maakunta"],
            "nationwide": {"name": "Koko Suomi", "extent_type": "text", "extent": NATIONWIDE_EXTENT},
        },
        "query_extensions": {
            "municipality": "3-digit municipality code: services serving it, incl. county-, region- and "
            "nationwide services",
            "target_group": f"a {TARGET_GROUP_TAXONOMY} code: services for that group, its parent groups, "
            "or everyone",
            "taxonomy": "on /taxonomy_terms: the HSDS taxonomy name, e.g. ptvserclass2",
        },
    }


_EXTENSION_PARAMETERS = [
    {
        "name": "municipality",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "pattern": "^[0-9]{3}$"},
        "description": "Ovi extension: services that serve this municipality (code from kunta_1_20230101), "
        "including county-wide, region-wide and nationwide services.",
    },
    {
        "name": "target_group",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Ovi extension: a ptvkohderyhmat code, e.g. KR1.3.",
    },
]


@cache
def openapi() -> dict[str, Any]:
    """The HSDS 3.0 OpenAPI document with this API's information and Ovi's extension parameters."""
    text = files("directory_db").joinpath("schemas", "hsds-3.0", "openapi.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    doc["info"] = {
        "title": "Ovi service directory (HSDS 3.0)",
        "version": "1.0",
        "description": "Open Referral HSDS 3.0 API of Ovi's service directory, Finnish profile. Demo data.",
        "license": {"name": "Demo data; see the project README"},
    }
    doc["servers"] = [{"url": API}]
    for path in ("/services", "/service_at_locations"):
        operation = doc.get("paths", {}).get(path, {}).get("get")
        if isinstance(operation, dict):
            operation.setdefault("parameters", []).extend(_EXTENSION_PARAMETERS)
    return doc


@routes.get(API)
@routes.get(API + "/")
async def api_info(request: web.Request) -> web.Response:
    base = f"{request.url.origin()}{API}"
    return ok(
        {
            "version": HSDS_VERSION,
            "profile": f"{base}/profile",
            "openapi_url": f"{base}/openapi.json",
            "links": {
                name: f"{base}/{name}"
                for name in (
                    "services",
                    "organizations",
                    "taxonomies",
                    "taxonomy_terms",
                    "service_at_locations",
                )
            },
        }
    )


@routes.get(API + "/profile")
async def api_profile(request: web.Request) -> web.Response:
    return ok(profile())


@routes.get(API + "/openapi.json")
async def api_openapi(request: web.Request) -> web.Response:
    return ok(openapi())


# --- resources --------------------------------------------------------------------------------------------


@routes.get(API + "/services")
async def services(request: web.Request) -> web.Response:
    filters, page = service_filter(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.services_page(s, filters, page)))


@routes.get(API + "/services/{id}")
async def service(request: web.Request) -> web.Response:
    return await one(request, "service", q.service_full)


@routes.get(API + "/organizations")
async def organizations(request: web.Request) -> web.Response:
    search, page = _text(request.query, "search"), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.organizations_page(s, search, page)))


@routes.get(API + "/organizations/{id}")
async def organization(request: web.Request) -> web.Response:
    return await one(request, "organization", q.organization_full)


@routes.get(API + "/taxonomies")
async def taxonomies(request: web.Request) -> web.Response:
    search, page = _text(request.query, "search"), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.taxonomies_page(s, search, page)))


@routes.get(API + "/taxonomies/{id}")
async def taxonomy(request: web.Request) -> web.Response:
    return await one(request, "taxonomy", q.taxonomy_full)


@routes.get(API + "/taxonomy_terms")
async def taxonomy_terms(request: web.Request) -> web.Response:
    query = request.query
    filters = q.TermFilter(
        search=_text(query, "search"),
        taxonomy_id=_text(query, "taxonomy_id"),
        taxonomy=_text(query, "taxonomy"),
        parent_id=_text(query, "parent_id"),
        top_only=_bool(query, "top_only"),
    )
    page = paging(query)
    return ok(await run_in_session(request.app, lambda s: q.taxonomy_terms_page(s, filters, page)))


@routes.get(API + "/taxonomy_terms/{id}")
async def taxonomy_term(request: web.Request) -> web.Response:
    return await one(request, "taxonomy term", q.taxonomy_term_full)


@routes.get(API + "/service_at_locations")
async def service_at_locations(request: web.Request) -> web.Response:
    filters, page = service_filter(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.service_at_locations_page(s, filters, page)))


@routes.get(API + "/service_at_locations/{id}")
async def service_at_location(request: web.Request) -> web.Response:
    return await one(request, "service at location", q.service_at_location_full)
