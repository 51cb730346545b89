"""Settings every test shares."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_embedding_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh embedding cache per test (the stacks that e2e tests start inherit it), so whether a
    service has a search vector depends on the test, never on what other tests or earlier runs left."""
    monkeypatch.setenv("OVI_EMBEDDING_CACHE", str(tmp_path / "embedding-cache.sqlite3"))
