"""Settings every test shares, and the PostgreSQL server of the tests that need one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ovi_stack.postgres import TemporaryPostgres


@pytest.fixture(autouse=True)
def _own_embedding_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh embedding cache per test (the stacks that e2e tests start inherit it), so whether a
    service has a search vector depends on the test, never on what other tests or earlier runs left."""
    monkeypatch.setenv("OVI_EMBEDDING_CACHE", str(tmp_path / "embedding-cache.sqlite3"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One throwaway PostgreSQL server for the whole run, started on first use (ovi_stack/postgres.py): the
    Debian binaries, a temporary directory, a free loopback port; stopped and deleted at the end. Without
    the binaries the tests that use it fail (they never skip): `apt-get install postgresql`."""
    from ovi_stack.postgres import TemporaryPostgres  # here: the Rasa environment's tests never need it

    with TemporaryPostgres() as server:
        yield server
