"""The application factory: ``init_app()`` wires settings, the database, middlewares and routes."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from ovi_web import routes_chat, routes_health, routes_hsds, routes_lookup, routes_reports
from ovi_web.admin import routes as routes_admin
from ovi_web.admin.auth import admin_middleware
from ovi_web.db import database_ctx
from ovi_web.errors import error_middleware
from ovi_web.keys import settings_key
from ovi_web.settings import Settings


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")


MAX_BODY = 1024 * 1024
"""Bytes of a request body anywhere but the admin (aiohttp's own default)."""
MAX_ADMIN_BODY = 64 * 1024 * 1024
"""The admin's import upload; the admin middleware refuses it unread without a login."""


@web.middleware
async def _body_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    # The app allows the admin's large uploads; every other route gets aiohttp's default back, so an
    # anonymous client cannot make the public forms read 64 MiB.
    if not request.path.startswith("/admin"):
        request = request.clone(client_max_size=MAX_BODY)
    return await handler(request)


def init_app(settings: Settings | None = None) -> web.Application:
    app = web.Application(middlewares=[error_middleware, _body_limit, admin_middleware],
                          client_max_size=MAX_ADMIN_BODY)
    app[settings_key] = settings if settings is not None else Settings.from_env()
    app.cleanup_ctx.append(database_ctx)
    app.on_response_prepare.append(_security_headers)
    app.add_routes(routes_health.routes)
    app.add_routes(routes_chat.routes)
    app.add_routes(routes_hsds.routes)
    app.add_routes(routes_lookup.routes)
    app[routes_reports.budget_key] = routes_reports.ReportBudget()
    app.add_routes(routes_reports.routes)
    app.add_routes(routes_admin.routes)
    app.router.add_static("/static", routes_chat.STATIC_DIR, name="static")
    return app
