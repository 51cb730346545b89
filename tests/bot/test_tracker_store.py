"""Ovi's tracker store (bot/tracker_store.py) on real SQLite and PostgreSQL: scrubbed events, retention."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import OviTrackerStore

DOMAIN = Domain.from_yaml("version: '3.1'\nslots:\n  note:\n    type: text\n    mappings: []\n")
IDENTIFIERS = ["040 123 4567", "Korhonen", "131052-308T", "aino@example.fi"]


def _store(path: Path, **kwargs: float) -> OviTrackerStore:
    return OviTrackerStore(domain=DOMAIN, host=f"sqlite:///{path}", **kwargs)


async def test_events_are_scrubbed_before_they_are_written(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    store = _store(db)
    tracker = DialogueStateTracker("s1", DOMAIN.slots)
    text = "soita 040 123 4567, olen Aino Korhonen 131052-308T"
    tracker.update(UserUttered(text, parse_data={"text": text, "intent": {"name": "inform"},
                                                 "entities": [{"entity": "x", "value": "aino@example.fi"}]},
                               metadata={"email": "aino@example.fi"}))
    tracker.update(BotUttered("Kiitos Korhonen, soitamme numeroon 040 123 4567"))
    tracker.update(SlotSet("note", "Aino Korhonen"))
    await store.save(tracker)
    raw = db.read_bytes().decode("utf-8", "replace")
    for identifier in IDENTIFIERS:
        assert identifier not in raw
    restored = await _store(db).retrieve("s1")
    assert restored is not None
    assert restored.get_slot("note") == "[nimi]"
    assert restored.latest_message is not None
    assert restored.latest_message.text == "soita [puhelinnumero], olen [nimi] [henkilötunnus]"


async def test_events_older_than_the_retention_are_deleted_at_start_and_periodically(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite3"
    store = _store(db, retention_days=30, purge_interval_seconds=0.1)
    tracker = DialogueStateTracker("current", DOMAIN.slots)
    tracker.update(UserUttered("hei"))
    await store.save(tracker)

    def insert_old() -> None:
        with sqlite3.connect(db) as con:
            con.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                        ("old", "user", time.time() - 31 * 86400, '{"event": "user", "text": "vanha"}'))

    def senders() -> set[str]:
        with sqlite3.connect(db) as con:
            return {row[0] for row in con.execute("SELECT DISTINCT sender_id FROM events")}

    insert_old()
    _store(db)  # a restart
    assert senders() == {"current"}
    insert_old()
    time.sleep(0.2)
    assert await store.retrieve("current") is not None  # the next message purges
    assert senders() == {"current"}



async def _rasa_and_ovi_read_alike(store: OviTrackerStore) -> None:
    """Saved turn by turn across three sessions, the conversation reads back as Rasa's own SQL store reads it:
    the latest session's events (the sessions' timestamps are seconds apart), all of them, and the count of
    stored ones that decides what the next save writes."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    tracker: DialogueStateTracker | None = DialogueStateTracker("sessions", DOMAIN.slots)
    start = time.time() - 1000
    for session in range(3):
        at = start + 100 * session
        for turn in range(2):
            assert tracker is not None
            if session and not turn:  # Rasa starts a new session on the tracker it read
                tracker.update(ActionExecuted("action_session_start", timestamp=at))
                tracker.update(SessionStarted(timestamp=at))
            tracker.update(UserUttered(f"viesti {session}.{turn}", timestamp=at + 1 + turn))
            tracker.update(BotUttered(f"vastaus {session}.{turn}", timestamp=at + 1.5 + turn))
            await store.save(tracker)
            with store.session_scope() as db:
                assert (list(store._additional_events(db, tracker))
                        == list(SQLTrackerStore._additional_events(store, db, tracker)))
            tracker = await store.retrieve("sessions")
            theirs = await SQLTrackerStore.retrieve(store, "sessions")
            assert tracker is not None and theirs is not None and tracker.events == theirs.events
            said = [e.text for e in tracker.events if isinstance(e, UserUttered)]
            assert said == [f"viesti {session}.{t}" for t in range(turn + 1)]  # this session's only
    full = await store.retrieve_full_tracker("sessions")
    theirs_full = await SQLTrackerStore.retrieve_full_tracker(store, "sessions")
    assert full is not None and theirs_full is not None and full.events == theirs_full.events
    assert sum(isinstance(e, UserUttered) for e in full.events) == 6


async def test_reads_and_counts_as_rasas_sql_store_does(tmp_path: Path) -> None:
    await _rasa_and_ovi_read_alike(_store(tmp_path / "t.sqlite3"))


async def test_postgresql_production_profile(postgres_url: str) -> None:
    """DATABASE_URL in production is a PostgreSQL URL for psycopg 3; Rasa reaches it through psycopg2."""
    from ovi_stack.conversations import ConversationSettings

    settings = ConversationSettings.from_env({"DATABASE_URL": postgres_url})
    assert settings.store_url.startswith("postgresql+psycopg2://")
    store = OviTrackerStore(domain=DOMAIN, host=settings.store_url, retention_days=30)
    tracker = DialogueStateTracker("pg", DOMAIN.slots)
    tracker.update(UserUttered("soita 040 123 4567"))
    tracker.update(SlotSet("note", "jotain"))
    await store.save(tracker)
    with store.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('old', 'user', :ts, '{}')"),
            ts=time.time() - 40 * 86400)
    again = OviTrackerStore(domain=DOMAIN, host=settings.store_url, retention_days=30)  # a restart
    restored = await again.retrieve("pg")
    assert restored is not None and restored.get_slot("note") == "jotain"
    assert restored.latest_message is not None and restored.latest_message.text == "soita [puhelinnumero]"
    assert set(await again.keys()) == {"pg"}
    await _rasa_and_ovi_read_alike(again)
