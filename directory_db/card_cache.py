"""Services loaded for their cards, kept between requests until the directory changes.

A recommendation's cards read some fifteen relationships of each chosen service (phones, addresses, opening
hours, languages, the provider: ``search._card_details``). Loaded anew for every request, that was about
fifteen queries and their ORM rows per need of the path, and again on every follow-up ("onko ne auki nyt"
reads the services shown): profiled with py-spy under the load of ``make bench``, 37 % of the action server's
time, and most of a recommendation turn's time in it. Residents of a town with a common need are shown the
same few services again and again, so the loaded services are kept, per database, while the directory stays
as it was.

*As it was* is the search index's token (``search_index_state.token``): a new random value at every write of
the directory, because every write goes through the importer (the admin's edits too), which rewrites the
search documents in the same transaction. The search reads that token before each search anyway (its own
snapshot is kept by the same rule), so a request served from here costs that one read.

Kept services are loaded in a session of their own and closed: they are *detached*, their loaded attributes
readable from any thread, never expired by a caller's commit. A caller whose session sees another token than
the committed one (its own uncommitted write) is served from its own session, uncached. An in-memory SQLite
database (one connection per thread) is never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .models import Service
from .search_index import database_key, state_token

KEEP_DATABASES = 4
"""Databases whose services a process keeps (a server reads one; the tests open many)."""
KEEP = 2000
"""Services kept per database (the least recently used go first): those of the common needs in every town
of a county fit, at a few kilobytes each."""

Loader = Callable[[Session, Sequence[str]], dict[str, Service]]


@dataclass
class _Kept:
    token: str
    services: OrderedDict[str, Service] = field(default_factory=OrderedDict)


_kept: OrderedDict[str, _Kept] = OrderedDict()
_lock = threading.Lock()


def _cacheable(session: Session) -> str | None:
    """The database's key, or None when its services must not be kept."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return database_key(session)


def cached_services(session: Session, ids: Sequence[str], load: Loader) -> dict[str, Service]:
    """The services of ``ids`` that exist, by id, as ``load(session, ids)`` gives them: those kept for the
    current directory from memory, the rest loaded once and kept."""
    key = _cacheable(session)
    if key is None:
        return load(session, ids)
    token = state_token(session)
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept.token != token:
            kept = _kept[key] = _Kept(token)
        _kept.move_to_end(key)
        while len(_kept) > KEEP_DATABASES:
            _kept.popitem(last=False)
        found = {i: kept.services[i] for i in ids if i in kept.services}
        for i in found:
            kept.services.move_to_end(i)
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if not missing:
        return found
    with Session(bind=session.get_bind()) as own:
        if state_token(own) != token:  # the caller's session sees a write not committed (or not yet seen)
            return load(session, ids)
        loaded = load(own, missing)
    # Closing the session detached them, with everything loaded still readable.
    with _lock:
        if kept.token == token and _kept.get(key) is kept:
            kept.services.update(loaded)
            while len(kept.services) > KEEP:
                kept.services.popitem(last=False)
    return {**found, **loaded}

