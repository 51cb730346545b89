"""Ovi's tracker store: Rasa's SQL tracker store that forgets and scrubs.

* Retention: every event older than ``retention_days`` is deleted when Rasa starts and then at most every
  ``purge_interval_seconds``, on the next save or retrieve (in a worker thread: it does not hold up the
  conversation that triggered it). An index on ``events.timestamp`` keeps the deletion cheap. See
  ``ovi_stack/conversations.py`` for the settings and why deleting single events never cuts a conversation
  that is still going on.
* Reads and writes as plain SQL: Rasa's ``SQLTrackerStore`` builds its ORM queries anew at every turn (the
  events of the conversation's latest session, then their count again before a save) and writes each event
  as an ORM object. py-spy over the Rasa workers under ``make bench``'s saturation put 8–9 % of their time in
  that query building, counting and flushing; the same statements as text, the events' JSON read as strings
  and the new events written in one ``INSERT``, cost a fraction of it (the rows and their order are Rasa's:
  ``tests/bot/test_tracker_store.py`` compares the two).
* Second line of defence: the channels (``bot/channels.py``) already scrub every message before Rasa sees
  it; before an event is written this store scrubs again the texts of user and bot events, the texts and
  entity values of the NLU result, string slot values and the string values of user-message metadata
  (``ovi_lang.privacy.scrub``).

Configured by ``ovi_stack.run`` in the endpoints file (``ovi_stack.conversations``)::

    tracker_store:
      type: bot.tracker_store.OviTrackerStore
      url: "sqlite:////…/var/tracker.sqlite3"
      retention_days: 30
      purge_interval_seconds: 3600
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session

from bot.lock_store import one_worker_at_a_time
from ovi_lang.privacy import scrub

logger = logging.getLogger(__name__)

_LATEST_SESSION = """
    FROM events, (SELECT max(timestamp) AS session_start FROM events
                  WHERE sender_id = :sender AND type_name = :started) AS latest
    WHERE events.sender_id = :sender
      AND (latest.session_start IS NULL OR events.timestamp >= latest.session_start)"""
"""The events of the conversation's latest session: Rasa's ``_event_query`` as SQL (from its newest
``session_started`` on, or all of them before the first one)."""
LATEST_SESSION_EVENTS = sa.text(f"SELECT events.data {_LATEST_SESSION} ORDER BY events.id")
LATEST_SESSION_COUNT = sa.text(f"SELECT count(*) {_LATEST_SESSION}")
ALL_EVENTS = sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")

DAY = 24 * 3600


def _scrub_strings(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_strings(v) for k, v in value.items()}
    return value


def scrub_event(data: dict[str, Any]) -> dict[str, Any]:
    """The serialised event with personal identifiers removed from its free-text fields."""
    kind = data.get("event")
    if kind in ("user", "bot") and isinstance(data.get("text"), str):
        data["text"] = scrub(data["text"])
    if kind == "user":
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict):
            if isinstance(parse_data.get("text"), str):
                parse_data["text"] = scrub(parse_data["text"])
            if parse_data.get("metadata"):
                parse_data["metadata"] = _scrub_strings(parse_data["metadata"])
            for entity in parse_data.get("entities") or []:
                if isinstance(entity, dict) and isinstance(entity.get("value"), str):
                    entity["value"] = scrub(entity["value"])
        for entity in data.get("entities") or []:
            if isinstance(entity, dict) and isinstance(entity.get("value"), str):
                entity["value"] = scrub(entity["value"])
        if data.get("metadata"):
            data["metadata"] = _scrub_strings(data["metadata"])
    if kind == "slot" and isinstance(data.get("value"), str):
        data["value"] = scrub(data["value"])
    return data


class OviTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        retention_days: float = 30,
        purge_interval_seconds: float = 3600,
        **kwargs: Any,
    ) -> None:
        with one_worker_at_a_time(host or ""):  # all Rasa workers start at once
            super().__init__(domain=domain, host=host, event_broker=event_broker, **kwargs)
            with self.engine.begin() as connection:
                connection.execute(
                    sa.text("CREATE INDEX IF NOT EXISTS ovi_events_timestamp ON events (timestamp)"))
        self.retention_seconds = float(retention_days) * DAY
        self.purge_interval_seconds = float(purge_interval_seconds)
        self._last_purge = time.monotonic()
        self._purging = False
        self.purge_expired()

    def purge_expired(self, now: float | None = None) -> int:
        """Delete every event older than the retention; the number deleted."""
        cutoff = (time.time() if now is None else now) - self.retention_seconds
        with self.session_scope() as session:
            deleted = (session.query(self.SQLEvent).filter(self.SQLEvent.timestamp < cutoff)
                       .delete(synchronize_session=False))
            session.commit()
        self._last_purge = time.monotonic()
        logger.info("Conversation retention %.4g days: deleted %d expired events",
                    self.retention_seconds / DAY, deleted)
        return int(deleted)

    async def _maybe_purge(self) -> None:
        if self._purging or time.monotonic() - self._last_purge < self.purge_interval_seconds:
            return
        self._purging = True
        try:
            await asyncio.get_running_loop().run_in_executor(None, self.purge_expired)
        except Exception:
            logger.error("deleting expired conversations failed", exc_info=True)
        finally:
            self._purging = False
            self._last_purge = time.monotonic()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        await self._maybe_purge()
        return await super().retrieve(sender_id)

    async def _retrieve(self, sender_id: str,
                        fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``SQLTrackerStore._retrieve``, its query as SQL (see the module docstring)."""
        query = ALL_EVENTS if fetch_events_from_all_sessions else LATEST_SESSION_EVENTS
        with self.session_scope() as session:
            rows = session.execute(query, {"sender": sender_id, "started": SessionStarted.type_name})
            events = [json.loads(data) for data in rows.scalars()]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The tracker's events not yet stored (Rasa's, counted in SQL)."""
        stored = session.execute(LATEST_SESSION_COUNT,
                                 {"sender": tracker.sender_id, "started": SessionStarted.type_name}).scalar()
        return itertools.islice(tracker.events, int(stored or 0), len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save`` with each event scrubbed before it is written, in one INSERT."""
        await self._maybe_purge()
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = []
            for event in self._additional_events(session, tracker):
                data = scrub_event(event.as_dict())
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                rows.append({"sender_id": tracker.sender_id, "type_name": event.type_name,
                             "timestamp": data.get("timestamp"), "intent_name": intent,
                             "action_name": data.get("name"), "data": json.dumps(data)})
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
