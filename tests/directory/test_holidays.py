"""Finnish public holidays, computed: the full calendar of several years against the published dates, and
the movable feasts at the edges of their ranges."""

from __future__ import annotations

from datetime import date

import pytest

from directory_db.holidays import easter_sunday, finnish_holidays, holiday_name, is_holiday

# The holidays as the Finnish calendar prints them (almanakka), day.month.
PUBLISHED = {
    2024: [
        ("1.1.", "Uudenvuodenpäivä"), ("6.1.", "Loppiainen"), ("29.3.", "Pitkäperjantai"),
        ("31.3.", "Pääsiäispäivä"), ("1.4.", "2. pääsiäispäivä"), ("1.5.", "Vappu"), ("9.5.", "Helatorstai"),
        ("19.5.", "Helluntaipäivä"), ("21.6.", "Juhannusaatto"), ("22.6.", "Juhannuspäivä"),
        ("2.11.", "Pyhäinpäivä"), ("6.12.", "Itsenäisyyspäivä"), ("24.12.", "Jouluaatto"),
        ("25.12.", "Joulupäivä"), ("26.12.", "Tapaninpäivä"),
    ],
    2025: [
        ("1.1.", "Uudenvuodenpäivä"), ("6.1.", "Loppiainen"), ("18.4.", "Pitkäperjantai"),
        ("20.4.", "Pääsiäispäivä"), ("21.4.", "2. pääsiäispäivä"), ("1.5.", "Vappu"),
        ("29.5.", "Helatorstai"),
        ("8.6.", "Helluntaipäivä"), ("20.6.", "Juhannusaatto"), ("21.6.", "Juhannuspäivä"),
        ("1.11.", "Pyhäinpäivä"), ("6.12.", "Itsenäisyyspäivä"), ("24.12.", "Jouluaatto"),
        ("25.12.", "Joulupäivä"), ("26.12.", "Tapaninpäivä"),
    ],
    2026: [
        ("1.1.", "Uudenvuodenpäivä"), ("6.1.", "Loppiainen"), ("3.4.", "Pitkäperjantai"),
        ("5.4.", "Pääsiäispäivä"), ("6.4.", "2. pääsiäispäivä"), ("1.5.", "Vappu"), ("14.5.", "Helatorstai"),
        ("24.5.", "Helluntaipäivä"), ("19.6.", "Juhannusaatto"), ("20.6.", "Juhannuspäivä"),
        ("31.10.", "Pyhäinpäivä"), ("6.12.", "Itsenäisyyspäivä"), ("24.12.", "Jouluaatto"),
        ("25.12.", "Joulupäivä"), ("26.12.", "Tapaninpäivä"),
    ],
    2027: [
        ("1.1.", "Uudenvuodenpäivä"), ("6.1.", "Loppiainen"), ("26.3.", "Pitkäperjantai"),
        ("28.3.", "Pääsiäispäivä"), ("29.3.", "2. pääsiäispäivä"), ("1.5.", "Vappu"), ("6.5.", "Helatorstai"),
        ("16.5.", "Helluntaipäivä"), ("25.6.", "Juhannusaatto"), ("26.6.", "Juhannuspäivä"),
        ("6.11.", "Pyhäinpäivä"), ("6.12.", "Itsenäisyyspäivä"), ("24.12.", "Jouluaatto"),
        ("25.12.", "Joulupäivä"), ("26.12.", "Tapaninpäivä"),
    ],
}  # fmt: skip


def _day(year: int, text: str) -> date:
    day, month = text.rstrip(".").split(".")
    return date(year, int(month), int(day))


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_whole_calendar_of_a_year(year: int) -> None:
    expected = {_day(year, text): name for text, name in PUBLISHED[year]}
    assert finnish_holidays(year) == expected
    assert list(finnish_holidays(year)) == sorted(expected)  # calendar order


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2008, date(2008, 3, 23)),  # early
        (2011, date(2011, 4, 24)),  # late
        (2019, date(2019, 4, 21)),
        (2038, date(2038, 4, 25)),  # the latest possible date
        (2285, date(2285, 3, 22)),  # the earliest possible date
        (2100, date(2100, 3, 28)),  # not a leap year in the Gregorian calendar
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter
    assert finnish_holidays(year)[easter] == "Pääsiäispäivä"


def test_midsummer_and_all_saints_fall_on_the_right_weekdays_every_year() -> None:
    for year in range(1990, 2101):
        names = {name: day for day, name in finnish_holidays(year).items()}
        eve, midsummer, all_saints = names["Juhannusaatto"], names["Juhannuspäivä"], names["Pyhäinpäivä"]
        assert eve.weekday() == 4 and date(year, 6, 19) <= eve <= date(year, 6, 25)
        assert (midsummer - eve).days == 1
        assert date(year, 10, 31) <= all_saints <= date(year, 11, 6) and all_saints.weekday() == 5
        assert names["Pitkäperjantai"].weekday() == 4 and names["Helatorstai"].weekday() == 3


def test_single_days() -> None:
    assert holiday_name(date(2025, 12, 6)) == "Itsenäisyyspäivä"
    assert is_holiday(date(2025, 4, 21))  # Easter Monday
    assert not is_holiday(date(2025, 12, 23))
    assert holiday_name(date(2025, 6, 19)) is None  # Thursday before Midsummer Eve
