"""Actions run offline: a real SQLite directory with the demo data, Rasa SDK trackers built from dicts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import session as action_session

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "directory_db" / "data" / "demo" / "kymenlaakso_demo.json"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('actions') / 'ovi.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    for args in (["init"], ["import", str(DEMO), "--format", "hsds-json"]):
        subprocess.run([sys.executable, "-m", "directory_db", *args], check=True, env=env,
                       capture_output=True)
    return url


@pytest.fixture(autouse=True)
def use_demo_database(demo_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", demo_database)
    action_session._factory.cache_clear()
    yield
    action_session._factory.cache_clear()


def tracker(slots: dict[str, Any], *, active_loop: str | None = None, text: str = "") -> Tracker:
    """A tracker as Rasa sends it to the action server (only the parts actions read)."""
    return Tracker.from_dict({
        "sender_id": "test-sender",
        "slots": {"situation": None, "municipality": None, "crisis_kind": None, "requested_slot": None,
                  "language": "fi", "for_whom": None, "age": None, "age_group": None, "shown": None,
                  "anonymous_only": False, **slots},
        "latest_message": {"text": text, "intent": {"name": "inform_municipality", "confidence": 1.0},
                           "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    })


@pytest.fixture
def demo_session(demo_database: str) -> Iterator[Any]:
    """A session on the actions' demo database, for reading what the directory says about a service."""
    from directory_db.db import make_engine, make_session_factory

    engine = make_engine(demo_database)
    session = make_session_factory(engine)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()
