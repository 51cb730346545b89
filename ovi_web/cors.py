"""CORS for what the widget calls on the web app from an embedding site: only the origins listed in
``OVI_ALLOWED_ORIGINS`` get ``Access-Control-Allow-Origin``, and never ``*`` (the HSDS API's open ``*`` is
its own and stays in ``routes_hsds``)."""

from __future__ import annotations

from aiohttp import web
from yarl import URL

from ovi_web.keys import settings_key

PREFLIGHT_MAX_AGE = "600"


def allowed_origin(request: web.Request) -> str | None:
    """The request's ``Origin`` when it is one of the allowed origins, else None."""
    origin = request.headers.get("Origin")
    return origin if origin and origin in request.app[settings_key].allowed_origins else None


def same_site_or_allowed(request: web.Request) -> bool:
    """May this request act? Yes without ``Origin`` (not a browser's cross-site call), from an allowed
    origin, or from the web app's own host (its own pages; behind a proxy the scheme may differ)."""
    origin = request.headers.get("Origin")
    if not origin or allowed_origin(request):
        return True
    try:
        return URL(origin).authority == request.host
    except ValueError:
        return False


def cors_headers(request: web.Request) -> dict[str, str]:
    # Vary: a cache must not hand one origin's answer to another.
    headers = {"Vary": "Origin"}
    origin = allowed_origin(request)
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def preflight(request: web.Request, methods: str) -> web.Response:
    """The answer to an ``OPTIONS`` preflight: allowed origins get the permission, others 403 without it."""
    headers = cors_headers(request)
    if "Access-Control-Allow-Origin" not in headers:
        return web.Response(status=403, headers=headers)
    headers.update({
        "Access-Control-Allow-Methods": methods,
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    })
    return web.Response(status=204, headers=headers)
