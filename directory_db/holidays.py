"""Finnish public holidays (arkipyhät), computed for any year.

Services in Finland close on these days unless their schedule says otherwise, so "open now" needs them and
they cannot come from a data file that someone must remember to update. The list is the official holidays
(the church holidays, May Day and Independence Day) plus Christmas Eve and Midsummer Eve, which are days off
in practice:

========================  ============================================  ==============================
date                      name                                          rule
========================  ============================================  ==============================
1 January                 Uudenvuodenpäivä                              fixed
6 January                 Loppiainen                                    fixed
Easter − 2                Pitkäperjantai                                Good Friday
Easter Sunday             Pääsiäispäivä                                 Gregorian computus
Easter + 1                2. pääsiäispäivä                              Easter Monday
1 May                     Vappu                                         fixed
Easter + 39               Helatorstai                                   Ascension Day
Easter + 49               Helluntaipäivä                                Pentecost (always a Sunday)
Friday 19–25 June         Juhannusaatto                                 Midsummer Eve
Saturday 20–26 June       Juhannuspäivä                                 Midsummer Day
Saturday 31 Oct – 6 Nov   Pyhäinpäivä                                   All Saints' Day
6 December                Itsenäisyyspäivä                              fixed
24–26 December            Jouluaatto, Joulupäivä, Tapaninpäivä          fixed
========================  ============================================  ==============================
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_between(first: date, weekday: int) -> date:
    """The first date on or after ``first`` that falls on ``weekday`` (Monday = 0)."""
    return first + timedelta(days=(weekday - first.weekday()) % 7)


@cache
def finnish_holidays(year: int) -> dict[date, str]:
    """Every public holiday of ``year``, date → Finnish name, in calendar order."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Uudenvuodenpäivä",
        date(year, 1, 6): "Loppiainen",
        easter - timedelta(days=2): "Pitkäperjantai",
        easter: "Pääsiäispäivä",
        easter + timedelta(days=1): "2. pääsiäispäivä",
        date(year, 5, 1): "Vappu",
        easter + timedelta(days=39): "Helatorstai",
        easter + timedelta(days=49): "Helluntaipäivä",
        _weekday_between(date(year, 6, 19), 4): "Juhannusaatto",
        _weekday_between(date(year, 6, 20), 5): "Juhannuspäivä",
        _weekday_between(date(year, 10, 31), 5): "Pyhäinpäivä",
        date(year, 12, 6): "Itsenäisyyspäivä",
        date(year, 12, 24): "Jouluaatto",
        date(year, 12, 25): "Joulupäivä",
        date(year, 12, 26): "Tapaninpäivä",
    }
    return dict(sorted(days.items()))


def holiday_name(day: date) -> str | None:
    """The Finnish name of the holiday on ``day``, or None on an ordinary day."""
    return finnish_holidays(day.year).get(day)


def is_holiday(day: date) -> bool:
    return holiday_name(day) is not None
