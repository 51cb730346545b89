"""``open_now``: weekly hours with several periods a day, over midnight, seasonal hours, exceptions, Finnish
public holidays, 24/7 lines, time zones — on services built in memory (no database needed), and once on
imported data."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory_db.importers import ImportResult
from directory_db.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory_db.service_facts import HELSINKI, is_always_open, open_now, open_now_ids, opening_hours_of

from .conftest import SERVICE_IDS

WEEKDAYS = "MO,TU,WE,TH,FR"


def schedule(**fields: Any) -> Schedule:
    return Schedule(id=f"s{len(fields)}-{sorted(fields.items())}", **fields)


def on_holidays(row: Schedule) -> Schedule:
    term = TaxonomyTerm(id="t", taxonomy="ovi_schedule", code="open_on_holidays", name="n", description="d")
    row.attributes = [Attribute(id="a", link_id=row.id, link_entity="schedule", taxonomy_term=term)]
    return row


def service(*rows: Schedule, status: str = "active", places: list[list[Schedule]] | None = None) -> Service:
    sals = [
        ServiceAtLocation(
            id=f"sal{i}", location=Location(id=f"l{i}", location_type="physical", schedules=own)
        )
        for i, own in enumerate(places or [])
    ]
    return Service(id="s", name="Palvelu", status=status, schedules=list(rows), service_at_locations=sals)


def at(text: str) -> datetime:
    """Finnish local time."""
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


OFFICE = schedule(freq="WEEKLY", byday=WEEKDAYS, opens_at="09:00", closes_at="15:00")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2025-03-12 09:00", True),  # Wednesday, opening minute
        ("2025-03-12 14:59:59", True),
        ("2025-03-12 15:00", False),  # closing time is closed
        ("2025-03-12 08:59", False),
        ("2025-03-15 10:00", False),  # Saturday
    ],
)
def test_weekly_hours(when: str, expected: bool) -> None:
    assert open_now(service(OFFICE), at(when)) is expected


def test_several_periods_a_day_and_different_days() -> None:
    lunch_break = service(
        schedule(byday=WEEKDAYS, opens_at="09:00", closes_at="12:00"),
        schedule(byday=WEEKDAYS, opens_at="13:00", closes_at="16:00:00"),
        schedule(byday="SA", opens_at="10:00", closes_at="14:00"),
    )
    assert open_now(lunch_break, at("2025-03-12 11:59"))
    assert not open_now(lunch_break, at("2025-03-12 12:30"))
    assert open_now(lunch_break, at("2025-03-12 13:30"))
    assert open_now(lunch_break, at("2025-03-15 10:30"))  # Saturday
    assert not open_now(lunch_break, at("2025-03-16 10:30"))  # Sunday


def test_over_midnight() -> None:
    nights = service(schedule(freq="WEEKLY", byday="FR", opens_at="22:00", closes_at="02:00"))
    assert open_now(nights, at("2025-03-14 23:30"))  # Friday night
    assert open_now(nights, at("2025-03-15 01:59"))  # Saturday morning: Friday's night still
    assert not open_now(nights, at("2025-03-15 02:00"))
    assert not open_now(nights, at("2025-03-15 23:30"))  # Saturday night


def test_time_zones_and_naive_times() -> None:
    office = service(OFFICE)
    # 07:30 UTC is 09:30 in Helsinki in winter (UTC+2), 06:30 UTC is 09:30 in summer (UTC+3).
    assert open_now(office, datetime(2025, 1, 15, 7, 30, tzinfo=timezone.utc))
    assert not open_now(office, datetime(2025, 1, 15, 6, 30, tzinfo=timezone.utc))
    assert open_now(office, datetime(2025, 7, 15, 6, 30, tzinfo=timezone.utc))
    assert open_now(office, datetime(2025, 1, 15, 9, 30))  # naive: Finnish time


@pytest.mark.parametrize(
    "when",
    ["2025-04-18 10:00", "2025-04-21 10:00", "2025-05-29 10:00", "2025-12-24 10:00", "2025-12-26 10:00",
     "2026-01-06 10:00", "2025-06-20 10:00"],
    ids=["Good Friday", "Easter Monday", "Ascension", "Christmas Eve", "Boxing Day", "Epiphany",
         "Midsummer Eve"],
)  # fmt: skip
def test_closed_on_public_holidays(when: str) -> None:
    assert not open_now(service(OFFICE), at(when))
    # ... unless the schedule says it is open on holidays too.
    helpline = on_holidays(schedule(byday=WEEKDAYS, opens_at="09:00", closes_at="15:00"))
    assert open_now(service(helpline), at(when))


def test_round_the_clock_lines_are_open_on_holidays_and_at_night() -> None:
    line = service(schedule(freq="WEEKLY", byday="MO,TU,WE,TH,FR,SA,SU", opens_at="00:00", closes_at="23:59"))
    assert is_always_open(line)
    for when in ("2025-12-25 03:00", "2025-12-06 23:59:30", "2025-03-12 12:00"):
        assert open_now(line, at(when))


def test_exception_days_replace_the_weekly_hours() -> None:
    office = service(
        OFFICE,
        schedule(valid_from="2025-12-24", opens_at="10:00", closes_at="13:00", description="Aattona 10–13"),
        schedule(valid_from="2025-07-01", valid_to="2025-07-31", description="Suljettu heinäkuun"),
        schedule(valid_from="2025-03-20", opens_at="17:00", closes_at="19:00"),  # a Thursday evening
        schedule(valid_from="2025-03-20", opens_at="09:00", closes_at="11:00"),
    )
    assert open_now(office, at("2025-12-24 11:00"))  # a holiday, but the exception opens it
    assert not open_now(office, at("2025-12-24 14:00"))
    assert not open_now(office, at("2025-07-15 10:00"))  # closed for July
    assert open_now(office, at("2025-08-01 10:00"))
    assert open_now(office, at("2025-03-20 10:00")) and open_now(office, at("2025-03-20 18:00"))
    assert not open_now(office, at("2025-03-20 13:00"))  # the day's own hours, not the weekly ones


def test_seasonal_hours_replace_the_open_ended_ones_while_they_hold() -> None:
    library = service(
        schedule(byday=WEEKDAYS, opens_at="08:00", closes_at="16:00"),
        schedule(byday="MO,TU,WE", opens_at="09:00", closes_at="15:00", valid_from="2025-06-01",
                 valid_to="2025-08-31"),
    )  # fmt: skip
    assert not open_now(library, at("2025-07-02 08:30"))  # summer Wednesday: 9–15
    assert open_now(library, at("2025-07-02 09:30"))
    assert not open_now(library, at("2025-07-03 10:00"))  # summer Thursday: closed
    assert open_now(library, at("2025-09-03 08:30"))  # autumn: 8–16 again


def test_validity_ends_and_starts() -> None:
    old = service(schedule(byday=WEEKDAYS, opens_at="09:00", closes_at="15:00", valid_to="2024-12-31"))
    assert not open_now(old, at("2025-03-12 10:00"))
    assert open_now(old, at("2024-12-11 10:00"))
    every_other_week = service(
        schedule(
            freq="WEEKLY", interval=2, byday="WE", opens_at="17:00", closes_at="19:00", dtstart="2025-03-05"
        )
    )
    assert open_now(every_other_week, at("2025-03-05 18:00"))
    assert not open_now(every_other_week, at("2025-03-12 18:00"))
    assert open_now(every_other_week, at("2025-03-19 18:00"))
    assert not open_now(every_other_week, at("2025-02-19 18:00"))  # before it started


def test_what_cannot_be_evaluated_is_not_open() -> None:
    assert not open_now(service(), at("2025-03-12 10:00"))  # no hours at all
    text_only = service(schedule(description="Sopimuksen mukaan"))
    monthly = service(schedule(freq="MONTHLY", byday="1WE", opens_at="09:00", closes_at="15:00"))
    assert not open_now(text_only, at("2025-03-12 10:00"))
    assert not open_now(monthly, at("2025-03-05 10:00"))


@pytest.mark.parametrize("status", ["inactive", "defunct", "temporarily closed"])
def test_only_active_services_are_open(status: str) -> None:
    assert not open_now(service(OFFICE, status=status), at("2025-03-12 10:00"))


def test_any_place_open_is_enough() -> None:
    evenings = schedule(byday=WEEKDAYS, opens_at="17:00", closes_at="20:00")
    with_place = service(OFFICE, places=[[evenings]])
    assert open_now(with_place, at("2025-03-12 18:00"))  # the location is open, the phone line not
    assert open_now(with_place, at("2025-03-12 10:00"))
    assert not open_now(with_place, at("2025-03-12 16:00"))


def test_imported_services(session: Session, imported: ImportResult) -> None:
    crisis_line = session.get(Service, SERVICE_IDS["Valtakunnallinen kriisipuhelin"])
    assert crisis_line is not None
    assert open_now(crisis_line, at("2025-03-12 10:00"))
    assert not open_now(crisis_line, at("2025-12-24 10:00"))


def test_the_bulk_form_agrees_and_reads_a_few_queries(session: Session, imported: ImportResult) -> None:
    ids = list(SERVICE_IDS.values())
    queries: list[object] = []
    event.listen(session.get_bind(), "before_cursor_execute", lambda *args: queries.append(args[2]))
    for when in ("2025-03-12 10:00", "2025-03-12 20:00", "2025-12-24 10:00"):
        queries.clear()
        found = open_now_ids(session, [*ids, "00000000-0000-4000-8000-000000000000"], at(when))
        assert len(queries) <= 8  # per 500 services, whatever their number
        session.expunge_all()
        expected = {s.id for s in session.scalars(select(Service)) if open_now(s, at(when))}
        assert found == expected
    assert open_now_ids(session, ids, at("2025-03-12 10:00")) == set(ids)  # all have weekday office hours


@pytest.mark.parametrize(("language", "expected"), [
    ("fi", "ma–pe klo 9.00–15.00; joka päivä ympäri vuorokauden"),
    ("sv", "mån–fre kl. 9.00–15.00; dagligen dygnet runt"),
    ("en", "Mon–Fri 9.00–15.00; daily around the clock"),
])
def test_opening_hours_in_the_replys_language(language: str, expected: str) -> None:
    office = schedule(byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="15:00")
    always = schedule(byday="MO,TU,WE,TH,FR,SA,SU", opens_at="00:00", closes_at="23:59")
    assert opening_hours_of(service(office, always), language) == expected
