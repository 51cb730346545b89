"""Every /admin route refuses an anonymous request, a POST without the CSRF token, and a maintainer on an
admin's task — checked over real HTTP for every route the app has, so a new route cannot slip through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory_db.db import make_engine
from directory_db.error_reports import store_report
from directory_db.models import ErrorReport, Metadata, Service
from ovi_web.admin import accounts
from tests.web.admin_helpers import PASSWORDS, SERVICE, admin_copy, csrf_of, login
from tests.web.conftest import MakeClient


@pytest.fixture
def admin_db(small_db_url: str, tmp_path: Path) -> Iterator[str]:
    """The admin's copy of the small directory with one report."""
    url = admin_copy(small_db_url, tmp_path)
    engine = make_engine(url)
    with Session(engine) as session:
        store_report(session, service_id=SERVICE, message="Puhelinnumero on vanha", source="lookup")
        session.commit()
    engine.dispose()
    yield url


def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return (session.scalar(select(func.count()).select_from(Metadata)) or 0,
                    session.scalar(select(func.count()).select_from(Service)) or 0,
                    session.scalar(select(func.count()).select_from(ErrorReport)
                                   .where(ErrorReport.status == "open")) or 0)
    finally:
        engine.dispose()


def _admin_routes(app: web.Application, url: str) -> list[tuple[str, str, web.AbstractRoute]]:
    """(method, concrete path, route) of every /admin route except the login page."""
    engine = make_engine(url)
    with Session(engine) as session:
        service = session.get(Service, SERVICE)
        assert service is not None
        organization_id = service.organization_id
        report_id = session.scalars(select(ErrorReport.id)).first()
    engine.dispose()
    values = {"id": SERVICE, "name": "pekka", "action": "avaa"}
    out = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("path") or info.get("formatter") or ""
        if not path.startswith("/admin") or path == "/admin/login" or route.method == "HEAD":
            continue
        concrete = path
        if "{" in path:
            fill = dict(values)
            if path.startswith("/admin/organisaatiot/"):
                fill["id"] = organization_id
            if path.startswith("/admin/ilmoitukset/"):
                fill["id"] = str(report_id)
            concrete = info["formatter"].format(**fill)
        out.append((route.method, concrete, route))
    return out


async def test_every_admin_route_refuses_an_anonymous_request(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    before = _counts(admin_db)
    routes = _admin_routes(client.app, admin_db)
    assert len(routes) >= 25  # the whole admin, not an empty loop
    for method, path, _route in routes:
        response = await client.request(method, path, allow_redirects=False, data={"name": "x"})
        if method == "GET" and not path.endswith(".json"):
            assert response.status == 303, (method, path)
            assert response.headers["Location"].startswith("/admin/login?next="), path
        else:
            assert response.status == 401, (method, path, response.status)
    assert _counts(admin_db) == before


async def test_every_admin_post_refuses_a_missing_or_wrong_csrf_token(make_client: MakeClient,
                                                                       admin_db: str) -> None:
    client = await make_client(admin_db)
    await login(client, "maija")
    before = _counts(admin_db)
    posts = [(m, p) for m, p, _ in _admin_routes(client.app, admin_db) if m == "POST"]
    assert len(posts) >= 12
    for method, path in posts:
        for data in ({"name": "Uusi nimi"}, {"name": "Uusi nimi", "csrf": "arvattu"}):
            response = await client.request(method, path, data=data, allow_redirects=False)
            assert response.status == 403, (path, data, response.status)
    assert _counts(admin_db) == before
    # ... and the session is still good: the page loads.
    assert (await client.get("/admin")).status == 200


async def test_a_maintainer_cannot_do_an_admins_tasks(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    csrf = await login(client, "pekka")
    before = _counts(admin_db)
    tasks = [(m, p) for m, p, route in _admin_routes(client.app, admin_db)
             if getattr(route.handler, "admin_only", False)]
    paths = {p for _, p in tasks}
    # The admin's tasks of the issue: accounts, archiving, committing an import.
    assert {"/admin/kayttajat", "/admin/tuonti/tallenna", f"/admin/palvelut/{SERVICE}/arkistoi"} <= paths
    for method, path in tasks:
        response = await client.request(method, path, data={"csrf": csrf, "username": "uusi",
                                                             "password": "x" * 20, "role": "admin"},
                                        allow_redirects=False)
        assert response.status == 403, (method, path, response.status)
    assert _counts(admin_db) == before
    # What a maintainer may do still works: editing a service.
    response = await client.get(f"/admin/palvelut/{SERVICE}")
    assert response.status == 200


async def test_login_locks_out_after_repeated_failures(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    for attempt in range(accounts.MAX_FAILED):
        page = await client.get("/admin/login")
        response = await client.post("/admin/login", data={
            "csrf": csrf_of(await page.text()), "username": "maija", "password": f"väärä-{attempt}"})
        assert response.status == 401
    text = await response.text()
    assert "lukittu" in text
    # The right password does not open a locked account either.
    page = await client.get("/admin/login")
    response = await client.post("/admin/login", data={
        "csrf": csrf_of(await page.text()), "username": "maija", "password": PASSWORDS["maija"]})
    assert response.status == 401 and "lukittu" in await response.text()
    assert "ovi_admin" not in {c.key for c in client.session.cookie_jar}
    # Another account is not affected, and an admin can open the lock.
    other = await make_client(admin_db)
    await login(other, "pekka")  # a maintainer logs in fine
    engine = make_engine(admin_db)
    with Session(engine) as session:
        user = accounts.find_user(session, "maija")
        assert user is not None and accounts.now_locked(user)
        accounts.unlock(session, user)
        session.commit()
    engine.dispose()
    await login(client, "maija")


async def test_a_login_form_without_its_token_is_refused(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)
    response = await client.post("/admin/login", data={"username": "maija", "password": PASSWORDS["maija"]})
    assert response.status == 403
    assert "ovi_admin" not in {c.key for c in client.session.cookie_jar}


async def test_only_the_admin_takes_large_bodies(make_client: MakeClient, admin_db: str) -> None:
    client = await make_client(admin_db)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the size shows only while reading
        for _ in range(40):
            yield b"message=" + b"x" * 65536

    response = await client.post("/haku/virheilmoitus", data=chunks(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 413
    assert _counts(admin_db)[2] == 1  # only the fixture's own report
