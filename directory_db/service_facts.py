"""What a resident needs to reach a service: a phone number, an address, opening hours in Finnish.

HSDS lets these live on the service, on a service-at-location, on the location or on the organization; we
take the most specific one that exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Schedule, Service

DAYS_FI = {"MO": "ma", "TU": "ti", "WE": "ke", "TH": "to", "FR": "pe", "SA": "la", "SU": "su"}
WEEK = tuple(DAYS_FI)


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
    for sal in service.service_at_locations:
        for addr in sal.location.addresses:
            return f"{addr.address_1}, {addr.postal_code} {addr.city}"
    return None


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


def _days(byday: str | None) -> str:
    days = [d.strip().upper()[-2:] for d in (byday or "").split(",") if d.strip()]
    if not days:
        return ""
    if days == list(WEEK):
        return "joka päivä"
    if len(days) > 2 and days == list(WEEK[WEEK.index(days[0]) : WEEK.index(days[0]) + len(days)]):
        return f"{DAYS_FI[days[0]]}–{DAYS_FI[days[-1]]}"
    return " ".join(DAYS_FI.get(d, d) for d in days)


def _describe(schedule: Schedule) -> str | None:
    if schedule.description:
        return schedule.description
    if schedule.opens_at and schedule.closes_at:
        return f"{_days(schedule.byday)} klo {_hhmm(schedule.opens_at)}–{_hhmm(schedule.closes_at)}".strip()
    return None


def opening_hours_of(service: Service) -> str | None:
    """Finnish opening hours, e.g. "ma–pe klo 9–15", joined with "; " when there are several."""
    described: Iterable[str | None] = (_describe(s) for s in _schedules(service))
    texts = list(dict.fromkeys(t for t in described if t))
    return "; ".join(texts) if texts else None


def is_always_open(service: Service) -> bool:
    """True for a service open around the clock on every day (a 24/7 helpline)."""
    for schedule in _schedules(service):
        days = {d.strip().upper()[-2:] for d in (schedule.byday or "").split(",") if d.strip()}
        if (
            days >= set(WEEK)
            and (schedule.opens_at or "")[:5] == "00:00"
            and (schedule.closes_at or "")[:5] in ("23:59", "24:00", "00:00")
        ):
            return True
    return False
