"""``search.load_services`` loads what a service card reads, so building the cards of a recommendation
issues no further queries (each lazily loaded row was one round trip per service: some 60 per list)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from directory_db import service_facts as facts
from directory_db.importers import import_hsds_json
from directory_db.models import Service
from directory_db.search import load_services

DEMO = Path(__file__).resolve().parents[2] / "directory_db" / "data" / "demo" / "kymenlaakso_demo.json"


def _card(service: Service, at: datetime) -> tuple[Any, ...]:
    """Every fact directory_db.recommend puts on a card, in Finnish and in Swedish."""
    return (
        facts.address_of(service), facts.phone_of(service), facts.open_now(service, at),
        facts.opening_hours_of(service, "fi"), facts.opening_hours_of(service, "sv"),
        facts.localized_name(service, "sv"), facts.localized_name(service.organization, "sv"),
        service.organization.provider_type, facts.is_free(service), facts.is_anonymous(service),
        facts.is_always_open(service), facts.needs_referral(service),
        [language.code for language in service.languages],
    )  # fmt: skip


def test_the_cards_of_loaded_services_read_nothing_more(engine: Engine, session: Session) -> None:
    import_hsds_json(session, DEMO)
    ids = list(session.scalars(select(Service.id).limit(25)))
    session.expunge_all()  # nothing of the import stays in the session's identity map
    loaded = load_services(session, ids)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        cards = [_card(loaded[i], datetime(2026, 3, 4, 10, 0, tzinfo=timezone.utc)) for i in ids]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(cards) == 25 and any(card[1] for card in cards) and any(card[0] for card in cards)
    assert statements == []
