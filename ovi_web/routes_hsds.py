"""The Open Referral HSDS 3.0 API under ``/api/hsds`` (SPEC §4): parameters in, HSDS JSON out.

Every query parameter is read through its declaration in ``hsds_api`` (which also generates the OpenAPI
document at ``/api/hsds/openapi.json``). Bad parameters are a 400 naming the parameter, unknown ids a 404;
both JSON with an English and a Finnish message. The queries
are in ``hsds_queries`` and run off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.orm import Session

from directory_db.profile import NATIONWIDE_EXTENT, SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY
from ovi_lang import codes
from ovi_web import hsds_api as p
from ovi_web import hsds_queries as q
from ovi_web.db import run_in_session
from ovi_web.errors import NotFound
from ovi_web.hsds_api import API, HSDS_VERSION, Query
from ovi_web.render import json_response

# Public directory data without cookies: any site may read it from the browser.
CORS = {"Access-Control-Allow-Origin": "*"}

T = TypeVar("T")

routes = web.RouteTableDef()


# --- parameters -------------------------------------------------------------------------------------------


def paging(query: Query) -> q.Paging:
    p.FORMAT.read(query)
    return q.Paging(
        page=p.PAGE.read(query) or 1,
        per_page=p.PER_PAGE.read(query) or p.DEFAULT_PER_PAGE,
    )


def service_filter(query: Query) -> q.ServiceFilter:
    return q.ServiceFilter(
        search=p.SEARCH.read(query),
        municipality=p.MUNICIPALITY.read(query),
        target_group=p.TARGET_GROUP.read(query),
        language=p.LANGUAGE.read(query),
        provider_type=p.PROVIDER_TYPE.read(query),
        taxonomy_term_id=p.TAXONOMY_TERM_ID.read(query),
        taxonomy_id=p.TAXONOMY_ID.read(query),
        organization_id=p.ORGANIZATION_ID.read(query),
        modified_after=p.MODIFIED_AFTER.read(query),
        free_of_charge=bool(p.FREE_OF_CHARGE.read(query)),
        anonymous=bool(p.ANONYMOUS.read(query)),
        open_now=bool(p.OPEN_NOW.read(query)),
    )


def term_filter(query: Query) -> q.TermFilter:
    return q.TermFilter(
        search=p.TEXT_SEARCH.read(query),
        taxonomy_id=p.TERM_TAXONOMY_ID.read(query),
        taxonomy=p.TAXONOMY.read(query),
        parent_id=p.PARENT_ID.read(query),
        top_only=bool(p.TOP_ONLY.read(query)),
    )


# --- helpers ----------------------------------------------------------------------------------------------


def ok(data: Any) -> web.Response:
    return json_response(data, headers=CORS)


async def one(
    request: web.Request, what: tuple[str, str], load: Callable[[Session, str], T | None]
) -> web.Response:
    item_id = request.match_info["id"]
    # An id with control characters or of absurd length cannot exist (and PostgreSQL refuses NUL in text).
    item = (
        await run_in_session(request.app, lambda session: load(session, item_id))
        if p.usable_text(item_id)
        else None
    )
    if item is None:
        raise NotFound(f"{what[0]} not found: {item_id[:80]}", f"{what[1]} ei löytynyt: {item_id[:80]}")
    return ok(item)


# --- about the API ----------------------------------------------------------------------------------------


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
        # From the parameters' own declarations, so the profile says what the code does.
        "query_extensions": {param.name: param.en for param in p.EXTENSIONS},
    }


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
    return ok(p.openapi())


@routes.get(API + "/schema/{name}")
async def api_schema(request: web.Request) -> web.StreamResponse:
    """The HSDS 3.0 JSON schemas the OpenAPI document refers to (``schema/service.json``, ...)."""
    name = request.match_info["name"]
    path = p.schema_files().get(name)
    if path is None:
        raise NotFound(f"no such schema: {name[:80]}", f"skeemaa ei ole: {name[:80]}")
    headers = {**CORS, "Content-Type": "application/json", "Cache-Control": "public, max-age=86400"}
    return web.FileResponse(path, headers=headers)


# --- resources --------------------------------------------------------------------------------------------


@routes.get(API + "/services")
async def services(request: web.Request) -> web.Response:
    filters, page = service_filter(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.services_page(s, filters, page)))


@routes.get(API + "/services/{id}")
async def service(request: web.Request) -> web.Response:
    return await one(request, ("service", "palvelua"), q.service_full)


@routes.get(API + "/organizations")
async def organizations(request: web.Request) -> web.Response:
    search, page = p.TEXT_SEARCH.read(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.organizations_page(s, search, page)))


@routes.get(API + "/organizations/{id}")
async def organization(request: web.Request) -> web.Response:
    return await one(request, ("organization", "organisaatiota"), q.organization_full)


@routes.get(API + "/taxonomies")
async def taxonomies(request: web.Request) -> web.Response:
    search, page = p.TEXT_SEARCH.read(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.taxonomies_page(s, search, page)))


@routes.get(API + "/taxonomies/{id}")
async def taxonomy(request: web.Request) -> web.Response:
    return await one(request, ("taxonomy", "luokitusta"), q.taxonomy_full)


@routes.get(API + "/taxonomy_terms")
async def taxonomy_terms(request: web.Request) -> web.Response:
    filters, page = term_filter(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.taxonomy_terms_page(s, filters, page)))


@routes.get(API + "/taxonomy_terms/{id}")
async def taxonomy_term(request: web.Request) -> web.Response:
    return await one(request, ("taxonomy term", "luokitustermiä"), q.taxonomy_term_full)


@routes.get(API + "/service_at_locations")
async def service_at_locations(request: web.Request) -> web.Response:
    filters, page = service_filter(request.query), paging(request.query)
    return ok(await run_in_session(request.app, lambda s: q.service_at_locations_page(s, filters, page)))


@routes.get(API + "/service_at_locations/{id}")
async def service_at_location(request: web.Request) -> web.Response:
    return await one(request, ("service at location", "palvelua toimipisteessä"), q.service_at_location_full)
