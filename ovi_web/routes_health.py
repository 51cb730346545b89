"""``/healthz``: the process is up and the database answers a ``SELECT 1``."""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from ovi_web.db import ping, run_in_session
from ovi_web.render import json_response

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    try:
        await run_in_session(request.app, ping)
    except SQLAlchemyError as exc:
        # The reason goes to the log; the URL (and any password in it) stays out of the response.
        log.warning("health check: database unavailable: %s", type(exc).__name__)
        return json_response({"status": "error", "database": "error"}, status=503)
    return json_response({"status": "ok", "database": "ok"})
