"""Where Rasa keeps conversations, for how long, and how many workers serve them: the settings, declared once.

Rasa's conversations (trackers) live in an SQL database through ``bot.tracker_store.OviTrackerStore``, so a
conversation survives a restart of the Rasa server. ``ovi_stack.run`` writes the ``tracker_store`` section of
the endpoints file from the table below; ``python -m ovi_stack.conversations`` prints the table.

* Where: ``OVI_TRACKER_STORE_URL``; by default the SQLite file ``var/tracker.sqlite3``, or, in the production
  profile where ``DATABASE_URL`` is a PostgreSQL URL, that same database (Rasa's table is ``events``, which
  the directory does not use). The Rasa environment has psycopg2, not psycopg 3: the driver in the URL is
  rewritten (``postgresql+psycopg://`` → ``postgresql+psycopg2://``).
* How long: ``OVI_CONVERSATION_RETENTION_DAYS`` (default 30). The tracker store deletes every event older
  than that when Rasa starts and then at most every ``OVI_CONVERSATION_PURGE_INTERVAL`` seconds (default one
  hour), on the next message. No separate job to schedule or forget: whoever runs Rasa runs the deletion.
  A conversation session ends after 60 minutes of silence (``session_expiration_time`` in the domain), so
  an event older than the retention never belongs to a conversation still going on.
* How many workers: ``OVI_RASA_WORKERS`` (default 2, one per core of the reference machine) Rasa server
  processes share one port (Rasa's ``SANIC_WORKERS``). A Rasa process runs a message's NLU and policies in
  its one event loop, so one process uses one core; profiled under load, the second core sat idle.
  Several workers need locks they all see: ``bot.lock_store.OviSqlLockStore`` keeps them in SQL (table
  ``conversation_locks``; on SQLite in a file of their own beside the conversations', written without
  fsync; on PostgreSQL in the conversations' database), and is configured for any number of workers. With
  more than one worker, a socket.io client must use the websocket transport (long polling would reach the
  workers in turn); the widget uses the REST webhook. (Three workers on the 2-core machine, tried under
  ``make bench``'s load: slower, p95 of the paced residents 475 ms against 369 ms with two.)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path

from ovi_stack import paths
from ovi_stack.settings_table import Env, Setting, SettingsError

DEFAULT_SQLITE = paths.ROOT / "var" / "tracker.sqlite3"
TRACKER_STORE_CLASS = "bot.tracker_store.OviTrackerStore"
LOCK_STORE_CLASS = "bot.lock_store.OviSqlLockStore"



def _positive(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {value!r}") from None
    if not number > 0:
        raise SettingsError(f"{name} must be positive, got {value!r}")
    return number


def _workers(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 16:
        raise SettingsError(f"{name} must be a whole number from 1 to 16, got {value!r}")
    return int(value)


def rasa_database_url(url: str) -> str:
    """A SQLAlchemy URL usable from the Rasa environment (psycopg2 instead of psycopg 3)."""
    for prefix in ("postgresql+psycopg://", "postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def _default_store_url(env: Env) -> str:
    database_url = env.get("DATABASE_URL", "").strip()
    if database_url.startswith(("postgresql", "postgres://")):
        return database_url
    return f"sqlite:///{DEFAULT_SQLITE}"


def _store_url(name: str, value: str) -> str:
    if not value.startswith(("sqlite:///", "postgresql", "postgres://")):
        raise SettingsError(f"{name} must be an SQLite or PostgreSQL SQLAlchemy URL, got {value!r}")
    return rasa_database_url(value)




SETTINGS: dict[str, Setting] = {
    "store_url": Setting(
        "OVI_TRACKER_STORE_URL", _default_store_url,
        "DATABASE_URL when it is PostgreSQL, else the SQLite file var/tracker.sqlite3",
        "SQLAlchemy URL of the database that keeps Rasa's conversations (table events).", _store_url),
    "retention_days": Setting(
        "OVI_CONVERSATION_RETENTION_DAYS", "30", "30",
        "Days a conversation's events are kept; older ones are deleted at start and periodically.",
        _positive),
    "purge_interval_seconds": Setting(
        "OVI_CONVERSATION_PURGE_INTERVAL", "3600", "3600",
        "Seconds between two deletions of expired events (checked when a message arrives).", _positive),
    "rasa_workers": Setting(
        "OVI_RASA_WORKERS", "2", "2",
        "Rasa server processes on one port (each loads the model: about 1 GB and one core each).", _workers),
}


@dataclass(frozen=True)
class ConversationSettings:
    store_url: str
    retention_days: float
    purge_interval_seconds: float
    rasa_workers: int

    @classmethod
    def from_env(cls, env: Env | None = None) -> ConversationSettings:
        env = os.environ if env is None else env
        return cls(**{f.name: SETTINGS[f.name].read(env) for f in fields(cls)})

    def endpoints_yaml(self) -> str:
        """The ``tracker_store`` and ``lock_store`` sections of Rasa's endpoints file."""
        if self.store_url.startswith("sqlite:///"):
            Path(self.store_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return ("tracker_store:\n"
                f"  type: {TRACKER_STORE_CLASS}\n"
                f'  url: "{self.store_url}"\n'
                f"  retention_days: {self.retention_days}\n"
                f"  purge_interval_seconds: {self.purge_interval_seconds}\n"
                "lock_store:\n"
                f"  type: {LOCK_STORE_CLASS}\n"
                f'  url: "{self.lock_store_url}"\n')

    @property
    def lock_store_url(self) -> str:
        """The conversation locks' database: on SQLite a file of their own beside the conversations'."""
        if not self.store_url.startswith("sqlite:///"):
            return self.store_url
        database = Path(self.store_url.removeprefix("sqlite:///"))
        return "sqlite:///" + str(database.with_name(database.stem + "-locks" + database.suffix))


def settings_help() -> str:
    width = max(len(s.env) for s in SETTINGS.values())
    lines = ["Environment variables (conversations):"]
    for spec in SETTINGS.values():
        lines.append(f"  {spec.env:<{width}}  {spec.help}")
        lines.append(f"  {'':<{width}}  default: {spec.default_doc}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_help())
    sys.exit(0)
