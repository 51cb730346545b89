"""HTTP side of the admin's accounts: the session cookie, the CSRF check and the role check.

``admin_middleware`` guards every path under ``/admin``. Without a live session a GET is redirected to the
login page and anything else is answered 401, before the body is read. With one, ``request[ADMIN]`` holds
who it is; every POST must carry the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``)
or it is answered 403 and nothing happens. ``admin_only`` answers a maintainer 403 on an admin's task.

The cookie is ``HttpOnly``, ``SameSite=Strict``, path ``/admin``, and ``Secure`` whenever the request came
over HTTPS or from anywhere but loopback (``OVI_SECURE_COOKIES`` decides; see settings.py). The login form
has its own CSRF token in a short-lived cookie, so a login cannot be forged from another site either.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.orm import Session
from yarl import URL

from ovi_web.admin import accounts
from ovi_web.db import run_in_session
from ovi_web.keys import settings_key
from ovi_web.render import render_html

COOKIE = "ovi_admin"
LOGIN_COOKIE = "ovi_admin_login"
PREFIX = "/admin"
LOGIN_PATH = "/admin/login"
_OPEN_PATHS = frozenset({LOGIN_PATH})


@dataclass(frozen=True)
class Admin:
    user_id: int
    username: str
    role: str
    csrf: str
    token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


ADMIN = web.RequestKey("admin", Admin)


def secure_cookie(request: web.Request) -> bool:
    mode = request.app[settings_key].secure_cookies
    if mode in ("always", "never"):
        return mode == "always"
    if request.secure:
        return True
    try:
        return not ipaddress.ip_address(request.url.host or "").is_loopback
    except ValueError:
        return (request.url.host or "") != "localhost"


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, path=PREFIX, httponly=True, samesite="Strict",
                        secure=secure_cookie(request), max_age=max_age)


async def _live_admin(request: web.Request) -> Admin | None:
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None

    def look(session: Session) -> Admin | None:
        row = accounts.session_of(session, token)
        if row is None:
            session.commit()  # an expired row was deleted
            return None
        admin = Admin(row.user_id, row.user.username, row.user.role, row.csrf_token, token)
        session.commit()
        return admin

    return await run_in_session(request.app, look)


async def posted_token(request: web.Request) -> str:
    header = request.headers.get("X-CSRF-Token")
    if header:
        return header
    form = await request.post()
    value = form.get("csrf")
    return value if isinstance(value, str) else ""


def _refuse(status: int, message: str, admin: Admin | None = None) -> web.Response:
    response = render_html("admin/refused.html", {"title": message, "status": status, "admin": admin},
                           status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@web.middleware
async def admin_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    # Everything that starts with /admin, twins like /admin.json included.
    if not request.path.startswith(PREFIX) or request.path in _OPEN_PATHS:
        return await handler(request)
    admin = await _live_admin(request)
    if admin is None:
        if request.method in ("GET", "HEAD") and not request.path.endswith(".json"):
            target = URL(LOGIN_PATH).with_query(next=request.path_qs)
            raise web.HTTPSeeOther(str(target))
        return _refuse(401, "Kirjaudu ensin sisään")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not accounts.same_token(
        await posted_token(request), admin.csrf
    ):
        return _refuse(403, "Lomakkeen tarkiste puuttui tai oli vanhentunut – lataa sivu uudelleen")
    request[ADMIN] = admin
    response = await handler(request)
    # Admin pages show unpublished and personal data of maintainers: never cached anywhere.
    response.headers["Cache-Control"] = "no-store"
    return response


def admin_only(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
               ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """For an admin's tasks (accounts, archiving, committing imports): a maintainer gets 403."""

    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not request[ADMIN].is_admin:
            return _refuse(403, "Tämä toiminto kuuluu pääkäyttäjälle", request[ADMIN])
        return await handler(request)

    guarded.admin_only = True  # type: ignore[attr-defined]  # read by the access tests over every route
    return guarded
