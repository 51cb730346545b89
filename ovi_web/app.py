"""The application factory: ``init_app()`` wires settings, the database, middlewares and routes."""

from __future__ import annotations

from aiohttp import web

from ovi_web import routes_chat, routes_health, routes_hsds, routes_lookup, routes_reports
from ovi_web.db import database_ctx
from ovi_web.errors import error_middleware
from ovi_web.keys import settings_key
from ovi_web.settings import Settings


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")


def init_app(settings: Settings | None = None) -> web.Application:
    app = web.Application(middlewares=[error_middleware])
    app[settings_key] = settings if settings is not None else Settings.from_env()
    app.cleanup_ctx.append(database_ctx)
    app.on_response_prepare.append(_security_headers)
    app.add_routes(routes_health.routes)
    app.add_routes(routes_chat.routes)
    app.add_routes(routes_hsds.routes)
    app.add_routes(routes_lookup.routes)
    app.add_routes(routes_reports.routes)
    app.router.add_static("/static", routes_chat.STATIC_DIR, name="static")
    return app
