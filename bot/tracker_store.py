"""Ovi's tracker store: Rasa's SQL tracker store that forgets and scrubs.

* Retention: every event older than ``retention_days`` is deleted when Rasa starts and then at most every
  ``purge_interval_seconds``, on the next save or retrieve (in a worker thread: it does not hold up the
  conversation that triggered it). An index on ``events.timestamp`` keeps the deletion cheap. See
  ``ovi_stack/conversations.py`` for the settings and why deleting single events never cuts a conversation
  that is still going on.
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
import json
import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.lock_store import one_worker_at_a_time
from ovi_lang.privacy import scrub

logger = logging.getLogger(__name__)

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

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save`` with each event scrubbed before it is written."""
        await self._maybe_purge()
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = scrub_event(event.as_dict())
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(self.SQLEvent(sender_id=tracker.sender_id, type_name=event.type_name,
                                          timestamp=data.get("timestamp"), intent_name=intent,
                                          action_name=data.get("name"), data=json.dumps(data)))
            session.commit()
