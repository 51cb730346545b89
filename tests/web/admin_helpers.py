"""Helpers of the admin tests: a writable copy of the small directory with two accounts, and logging in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session

from directory_db.db import make_engine
from ovi_web.admin import accounts

PASSWORDS = {"maija": "pitkä-salasana-maija", "pekka": "pitkä-salasana-pekka"}
ROLES = {"maija": "admin", "pekka": "maintainer"}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


SERVICE = "19389cb2-235c-5741-9638-14648f39b155"  # Ruoka-apu Kotkassa in the small fixture


def admin_copy(small_db_url: str, folder: Path) -> str:
    """A writable copy of the small directory with an admin (maija) and a maintainer (pekka)."""
    copy = folder / "admin.sqlite3"
    shutil.copy(small_db_url.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    add_accounts(url)
    return url


def add_accounts(url: str) -> None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            for name, password in PASSWORDS.items():
                accounts.add_user(session, name, password, ROLES[name])
            session.commit()
    finally:
        engine.dispose()


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


async def login(client: TestClient, name: str, password: str | None = None) -> str:
    """Log in through the form; returns the session's CSRF token (read from the admin's front page)."""
    form = await client.get("/admin/login")
    token = csrf_of(await form.text())
    response = await client.post("/admin/login", data={
        "csrf": token, "username": name, "password": password or PASSWORDS[name], "next": "/admin"})
    assert response.status == 200 and response.url.path == "/admin", await response.text()
    return csrf_of(await response.text())
