"""What a resident needs to decide whether and how to use a service: a phone number, an address, opening
hours in Finnish, whether it is open now, free, anonymous, or needs a referral; its name and description in
the resident's language where the directory has them (``localized_name``, ``localized_description``).

HSDS lets contact details and hours live on the service, on a service-at-location, on the location or on the
organization; we take the most specific one that exists. Everything here is a pure function of a loaded
service (no queries beyond lazy loading), so search filters can call it on candidates — except
:func:`open_now_ids`, the bulk form of :func:`open_now` for a filter over many candidates, which loads only
the schedule rows it needs.

Opening hours (``open_now``), as Ovi reads HSDS schedules — documented in README.md, "Opening hours":

- A *weekly* row has ``byday`` (``MO,TU,…``; ``freq`` WEEKLY or empty) and ``opens_at``/``closes_at``; several
  rows give several periods a day. ``closes_at`` at or before ``opens_at`` means the next day (over
  midnight); ``23:59`` and ``24:00`` mean the end of the day. ``valid_from``/``valid_to`` (and ``dtstart``/
  ``until``) limit the dates a row applies on; ``interval`` 2 (every other week) counts weeks from
  ``dtstart`` (or ``valid_from``). On a date that some dated weekly row covers (seasonal hours, "summer
  hours"), only the dated weekly rows apply: the open-ended ones are the rest of the year.
- An *exception* row has no ``byday`` but ``valid_from`` (``valid_to`` defaults to the same day): on the
  dates it covers it replaces the weekly hours — its ``opens_at``/``closes_at`` if it has them, closed if not
  ("Suljettu 24.12.–26.12."). Several exception rows on one date give several periods.
- On a Finnish public holiday (holidays.py) the weekly rows do not apply — closed — unless an exception row
  covers the date, the weekly row carries the ``ovi_schedule`` attribute ``open_on_holidays``, or it is
  open around the clock every day (a 24/7 line).
- Rows Ovi cannot evaluate (monthly rules, ``bymonthday``/``byweekno``/``byyearday``, text only) are ignored;
  a service with no evaluable hours is not "open now" (we do not claim what we do not know).
- The service's own rows are one set; each service-at-location's rows (or else its location's) another. The
  service is open if any set is open, and only when its status is ``active``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from .holidays import is_holiday
from .models import Attribute, Location, Organization, Schedule, Service, ServiceAtLocation
from .orm.taxonomy import codes_of, translations_of
from .profile import (
    ANONYMOUS,
    COST_TAXONOMY,
    ELIGIBILITY_TAXONOMY,
    FEE,
    FREE,
    OPEN_ON_HOLIDAYS,
    REFERRAL_REQUIRED,
    SCHEDULE_TAXONOMY,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
DAYS_FI = {"MO": "ma", "TU": "ti", "WE": "ke", "TH": "to", "FR": "pe", "SA": "la", "SU": "su"}
WEEK = tuple(DAYS_FI)
# Opening hours in the reply's language: day abbreviations, "every day" and the word before the hours.
_HOURS_WORDS = {
    "fi": (DAYS_FI, "joka päivä", "klo", "ympäri vuorokauden"),
    "sv": ({"MO": "mån", "TU": "tis", "WE": "ons", "TH": "tors", "FR": "fre", "SA": "lör", "SU": "sön"},
           "dagligen", "kl.", "dygnet runt"),
    "en": ({"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"},
           "daily", "", "around the clock"),
}
DAY_MINUTES = 24 * 60


# --- contact details ----------------------------------------------------------------------------------------


def phone_of(service: Service) -> str | None:
    for sal in service.service_at_locations:
        for phone in [*sal.phones, *sal.location.phones]:
            if phone.number:
                return phone.number
    for phone in [*service.phones, *service.organization.phones]:
        if phone.number:
            return phone.number
    return None


def address_of(service: Service) -> str | None:
    """The first street address to show the public: never one of a location with a confidential address
    (a shelter), whatever other locations the service has."""
    for sal in service.service_at_locations:
        if sal.location.confidential_address:
            continue
        for addr in sal.location.addresses:
            return f"{addr.address_1}, {addr.postal_code} {addr.city}"
    return None


# --- texts in other languages -------------------------------------------------------------------------------


def translations(obj: Service | Organization | Location) -> dict[str, dict[str, str]]:
    """Language (``sv``, ``en``) → field → text of the object's ``ovi_translation`` attributes."""
    return translations_of(obj.attributes)


def localized(obj: Service | Organization | Location, field_name: str, language: str | None) -> str | None:
    """The field's text in ``language`` (ISO 639-1; "sv-FI" reads as "sv"), else the field itself (Finnish,
    or what the source had instead). Finnish and None ask for the field itself."""
    value: str | None = getattr(obj, field_name)
    code = (language or "fi").split("-")[0].lower()
    if code == "fi":
        return value
    return translations_of(obj.attributes).get(code, {}).get(field_name) or value


def localized_name(obj: Service | Organization | Location, language: str | None) -> str:
    """The name in ``language`` where the directory has it, else the Finnish name."""
    return localized(obj, "name", language) or ""


def localized_description(obj: Service | Organization | Location, language: str | None) -> str | None:
    """The description in ``language`` where the directory has it, else the Finnish one (None: none)."""
    return localized(obj, "description", language)


# --- eligibility and cost -----------------------------------------------------------------------------------


def cost_kinds(service: Service) -> tuple[str, ...]:
    """The service's ``ovi_cost`` codes: ``free``, ``fee``, ``service_voucher`` (none when not known)."""
    return codes_of(service.attributes, COST_TAXONOMY)


def is_free(service: Service) -> bool:
    """Free of charge to the resident: ``ovi_cost`` ``free`` (PTV FreeOfCharge), and not ``fee``."""
    kinds = cost_kinds(service)
    return FREE in kinds and FEE not in kinds


def is_anonymous(service: Service) -> bool:
    """One may use it without giving one's name (``ovi_eligibility`` ``anonymous``)."""
    return ANONYMOUS in codes_of(service.attributes, ELIGIBILITY_TAXONOMY)


def needs_referral(service: Service) -> bool:
    """A referral (lähete) is needed (``ovi_eligibility`` ``referral_required``)."""
    return REFERRAL_REQUIRED in codes_of(service.attributes, ELIGIBILITY_TAXONOMY)


# --- opening hours as text ----------------------------------------------------------------------------------


def _schedules(service: Service) -> list[Schedule]:
    found = list(service.schedules)
    for sal in service.service_at_locations:
        found += [*sal.schedules, *sal.location.schedules]
    return found


def _hhmm(value: str | None) -> str:
    # "09:00", "09:00+02:00" → "9.00" (Finnish style); the timezone is Finland's anyway.
    if not value:
        return "?"
    hours, _, minutes = value[:5].partition(":")
    return f"{int(hours)}.{minutes or '00'}"


def _days(byday: str | None, language: str = "fi") -> str:
    names, every_day, _, _ = _HOURS_WORDS.get(language, _HOURS_WORDS["fi"])
    days = [d.strip().upper()[-2:] for d in (byday or "").split(",") if d.strip()]
    if not days:
        return ""
    if days == list(WEEK):
        return every_day
    if len(days) > 2 and days == list(WEEK[WEEK.index(days[0]) : WEEK.index(days[0]) + len(days)]):
        return f"{names[days[0]]}–{names[days[-1]]}"
    return " ".join(names.get(d, d) for d in days)


def _describe(schedule: Schedule, language: str = "fi") -> str | None:
    # A schedule's own description is the source's text (Finnish); the Finnish reply uses it as such.
    if schedule.description and (language == "fi" or not (schedule.opens_at and schedule.closes_at)):
        return schedule.description
    if schedule.opens_at and schedule.closes_at:
        _, _, word, whole_day = _HOURS_WORDS.get(language, _HOURS_WORDS["fi"])
        hours = f"{_hhmm(schedule.opens_at)}–{_hhmm(schedule.closes_at)}"
        if schedule.opens_at.startswith("00:00") and schedule.closes_at[:5] in ("23:59", "24:00", "00:00"):
            word, hours = "", whole_day
        return " ".join(part for part in (_days(schedule.byday, language), word, hours) if part)
    return None


def opening_hours_of(service: Service, language: str = "fi") -> str | None:
    """Opening hours, e.g. "ma–pe klo 9–15" (sv "mån–fre kl. 9–15", en "Mon–Fri 9–15"), joined with "; "
    when there are several. A schedule with only a description keeps its (Finnish) text."""
    described: Iterable[str | None] = (_describe(s, language) for s in _schedules(service))
    texts = list(dict.fromkeys(t for t in described if t))
    return "; ".join(texts) if texts else None


def is_always_open(service: Service) -> bool:
    """True for a service open around the clock on every day (a 24/7 helpline)."""
    return any(rule is not None and rule.always for rule in map(_rule, _schedules(service)))


# --- open now -----------------------------------------------------------------------------------------------


def _minutes(value: str | None) -> int | None:
    """Minutes from midnight of "HH:MM" (also "HH:MM:SS", "HH:MM+02:00", "HH:MMZ"); None if unreadable."""
    if not value or len(value) < 5 or value[2] != ":":
        return None
    try:
        hours, minutes = int(value[:2]), int(value[3:5])
    except ValueError:
        return None
    if not (0 <= minutes < 60 and 0 <= hours <= 24) or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _Rule:
    """One schedule row, read for evaluation."""

    days: frozenset[int] | None
    """Weekdays (Monday 0) of a weekly row; None for an exception row."""
    opens: int | None
    closes: int | None
    """Minutes after the opening day's midnight; past 1440 when it closes the next day."""
    start: date | None
    end: date | None
    interval: int
    anchor: date | None
    holidays: bool
    """The ``ovi_schedule`` ``open_on_holidays`` attribute: the row holds on public holidays too."""

    @property
    def has_times(self) -> bool:
        return self.opens is not None and self.closes is not None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def always(self) -> bool:
        """Every day, around the clock."""
        return self.days == frozenset(range(7)) and self.opens == 0 and self.closes == DAY_MINUTES

    def in_range(self, day: date) -> bool:
        after_end = self.end is not None and day > self.end
        return not (after_end or (self.start is not None and day < self.start))

    def covers(self, day: date) -> bool:
        """The row applies on ``day``: within its dates, on one of its weekdays, in one of its weeks."""
        if not self.in_range(day) or (self.days is not None and day.weekday() not in self.days):
            return False
        if self.interval > 1:
            if self.anchor is None or day < self.anchor:
                return False
            monday = day - timedelta(days=day.weekday())
            first_monday = self.anchor - timedelta(days=self.anchor.weekday())
            return ((monday - first_monday).days // 7) % self.interval == 0
        return True


def _rule(schedule: Schedule) -> _Rule | None:
    """The row as Ovi evaluates it, or None when it cannot be evaluated (see the module docstring)."""
    if schedule.bymonthday or schedule.byweekno or schedule.byyearday:
        return None
    if (schedule.freq or "WEEKLY").upper() != "WEEKLY":
        return None
    tokens = [t.strip().upper() for t in (schedule.byday or "").split(",") if t.strip()]
    if any(t not in WEEK for t in tokens):
        return None  # "1MO" and the like are monthly positions
    opens, closes = _minutes(schedule.opens_at), _minutes(schedule.closes_at)
    if opens is not None and closes is not None:
        if closes == DAY_MINUTES - 1 or (closes == 0 and opens == 0):
            closes = DAY_MINUTES  # "23:59" and 00:00–00:00 mean the whole day
        elif closes <= opens:
            closes += DAY_MINUTES  # over midnight
    start = _date(schedule.valid_from)
    end = _date(schedule.valid_to)
    if tokens:
        start = max(filter(None, (start, _date(schedule.dtstart))), default=None)
        end = min(filter(None, (end, _date(schedule.until))), default=None)
    elif start is None:
        return None  # neither weekly nor dated: a description only
    else:
        end = end or start
    holidays = OPEN_ON_HOLIDAYS in codes_of(schedule.attributes, SCHEDULE_TAXONOMY)
    return _Rule(
        days=frozenset(WEEK.index(t) for t in tokens) if tokens else None,
        opens=opens, closes=closes, start=start, end=end,
        interval=int(schedule.interval or 1), anchor=_date(schedule.dtstart) or _date(schedule.valid_from),
        holidays=holidays,
    )  # fmt: skip


def _periods(rules: Sequence[_Rule], day: date) -> list[tuple[int, int]]:
    """The opening periods (minutes after ``day``'s midnight) that start on ``day``."""
    exceptions = [r for r in rules if r.days is None and r.covers(day)]
    if exceptions:
        return [(r.opens, r.closes) for r in exceptions if r.opens is not None and r.closes is not None]
    weekly = [r for r in rules if r.days is not None]
    # Seasonal hours: on a date some dated weekly row covers, the open-ended rows are the rest of the year.
    seasonal = [r for r in weekly if r.dated and r.in_range(day)]
    chosen = [r for r in (seasonal or [r for r in weekly if not r.dated]) if r.covers(day)]
    if is_holiday(day):
        chosen = [r for r in chosen if r.holidays or r.always]
    return [(r.opens, r.closes) for r in chosen if r.opens is not None and r.closes is not None]


def _set_open(rules: Sequence[_Rule], local: datetime) -> bool:
    minute = local.hour * 60 + local.minute + local.second / 60
    today = local.date()
    if any(opens <= minute < closes for opens, closes in _periods(rules, today)):
        return True
    yesterday = today - timedelta(days=1)
    return any(minute + DAY_MINUTES < closes for _, closes in _periods(rules, yesterday))


def _schedule_sets(service: Service) -> list[list[_Rule]]:
    sets = [list(service.schedules)]
    for sal in service.service_at_locations:
        sets.append(list(sal.schedules) or list(sal.location.schedules))
    return [rules for rules in ([r for r in map(_rule, rows) if r is not None] for rows in sets) if rules]


def helsinki_time(at: datetime) -> datetime:
    """``at`` in Finnish time; a naive datetime is taken to be Finnish time already."""
    return at.replace(tzinfo=HELSINKI) if at.tzinfo is None else at.astimezone(HELSINKI)


def open_now(service: Service, at: datetime) -> bool:
    """Is the service open at ``at`` (Europe/Helsinki; naive = Finnish time)? See the module docstring."""
    if service.status != "active":
        return False
    local = helsinki_time(at)
    return any(_set_open(rules, local) for rules in _schedule_sets(service))


def open_now_ids(session: Session, service_ids: Iterable[str], at: datetime) -> set[str]:
    """The ids among ``service_ids`` whose service is open at ``at`` — :func:`open_now` for many candidates
    at once (a search filter), loading only the services' status and schedule rows: a few queries per 500
    ids, not a whole service each."""
    ids, found = list(dict.fromkeys(service_ids)), set()

    def with_flags(load: Any) -> Any:
        return load.selectinload(Schedule.attributes).joinedload(Attribute.taxonomy_term)

    sal = selectinload(Service.service_at_locations)
    options = (
        lazyload(Service.organization),
        with_flags(selectinload(Service.schedules)),
        with_flags(sal.selectinload(ServiceAtLocation.schedules)),
        with_flags(sal.joinedload(ServiceAtLocation.location).selectinload(Location.schedules)),
    )
    for start in range(0, len(ids), 500):
        query = select(Service).where(Service.id.in_(ids[start : start + 500])).options(*options)
        found |= {s.id for s in session.scalars(query) if open_now(s, at)}
    return found
