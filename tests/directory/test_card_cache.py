"""``search.load_services`` keeps loaded services between requests while the directory is unchanged
(``directory_db.card_cache``): a write of the directory, its own or another process's, shows at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from directory_db import service_facts as facts
from directory_db.importers import import_hsds_json
from directory_db.models import Phone, Service
from directory_db.search import load_services
from directory_db.search_index import rebuild_index

from .conftest import VALID, valid_records, write_json

PEER_GROUP = "a481233a-3ca1-5cf9-a965-daa57f6fe380"
"""Läheisten vertaistukiryhmä: no phone of its own, so its card shows its organization's."""


def _statements(engine: Engine) -> tuple[list[str], Any]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen, count


def _phone(factory: sessionmaker[Session], service_id: str = PEER_GROUP) -> str | None:
    with factory() as session:
        return facts.phone_of(load_services(session, [service_id])[service_id])


def test_a_second_request_reads_only_the_directory_token(engine: Engine, session: Session) -> None:
    import_hsds_json(session, VALID)
    ids = list(session.scalars(select(Service.id)))
    factory = sessionmaker(engine)
    with factory() as first:
        cards = {i: facts.phone_of(s) for i, s in load_services(first, ids).items()}
    seen, count = _statements(engine)
    try:
        with factory() as second:
            again = load_services(second, ids)
            assert {i: facts.phone_of(s) for i, s in again.items()} == cards
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(cards) == len(ids) == 6
    assert len(seen) == 1 and "search_index_state" in seen[0]


def test_an_import_elsewhere_shows_at_the_next_request(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    import_hsds_json(session, VALID)
    factory = sessionmaker(engine)
    assert _phone(factory) == "05 123 4500"  # the organization's: now kept
    records = valid_records()
    for record in records:  # the organization's phone, as each of its services' records carries it
        for phone in record["organization"].get("phones") or []:
            phone["number"] = "05 999 8877"
    with factory() as writer:
        import_hsds_json(writer, write_json(tmp_path / "changed.json", records))
    assert _phone(factory) == "05 999 8877"


def test_a_callers_own_uncommitted_write_is_what_it_reads(engine: Engine, session: Session) -> None:
    import_hsds_json(session, VALID)
    factory = sessionmaker(engine)
    assert _phone(factory) == "05 123 4500"
    with factory() as writing:
        service = writing.get(Service, PEER_GROUP)
        assert service is not None
        phone = writing.scalars(select(Phone).where(Phone.number == "05 123 4500")).first()
        assert phone is not None
        phone.number = "05 111 2222"
        writing.flush()
        rebuild_index(writing, [PEER_GROUP])  # as the importer does in its transaction
        assert facts.phone_of(load_services(writing, [PEER_GROUP])[PEER_GROUP]) == "05 111 2222"
        assert _phone(factory) == "05 123 4500"  # others still read the committed directory
        writing.rollback()
    assert _phone(factory) == "05 123 4500"


def test_kept_services_read_from_another_thread_after_their_sessions_closed(
    engine: Engine, session: Session
) -> None:
    import_hsds_json(session, VALID)
    ids = list(session.scalars(select(Service.id)))
    factory = sessionmaker(engine)
    with factory() as first:
        load_services(first, ids)
        first.commit()  # a caller's commit expires its own objects, never the kept ones
    with factory() as second:
        kept = load_services(second, ids)
    read: list[Any] = []
    thread = threading.Thread(target=lambda: read.extend(
        (facts.phone_of(s), facts.address_of(s), s.organization.name, [x.code for x in s.languages])
        for s in kept.values()))
    thread.start()
    thread.join()
    assert len(read) == 6 and all(phone for phone, *_ in read)
