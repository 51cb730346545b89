from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient


async def test_healthz_ok(plain_client: TestClient) -> None:
    response = await plain_client.get("/healthz")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_503_when_database_unreachable(make_client: Any, tmp_path: Path) -> None:
    # A directory is not a database file: SQLite cannot open it.
    (tmp_path / "missing").mkdir()
    client = await make_client(f"sqlite:///{tmp_path / 'missing'}")
    response = await client.get("/healthz")
    assert response.status == 503
    assert await response.json() == {"status": "error", "database": "error"}
    assert "missing" not in await response.text()  # neither the URL nor a traceback leaks
