"""Serializers from the models to Open Referral HSDS 3.0 JSON (plain dicts, ready for ``json.dumps``).

Pure functions of loaded model objects: no queries of their own beyond lazy loading of relationships, so the
HSDS API, the exporter and the tests share them. HSDS types fields as plain ``string``/``number``, so a value
the database holds as NULL is omitted rather than written as ``null``. What each function returns validates
against the schema named in its docstring (see ``schemas/hsds-3.0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from . import hsds_fields as f
from .models import (
    Address,
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    as_utc,
)

JSON = dict[str, Any]


def format_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` (``2024-05-01T09:30:00Z``), milliseconds only when present."""
    value = as_utc(value)
    timespec = "milliseconds" if value.microsecond else "seconds"
    return value.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)  # 18.0 came in as 18; give it back as 18
    return value


def _scalars(obj: object, names: Iterable[str]) -> JSON:
    out: JSON = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            out[name] = _value(value)
    return out


def phone(p: Phone) -> JSON:
    return _scalars(p, f.PHONE_SCALARS)


def schedule(s: Schedule) -> JSON:
    return _scalars(s, f.SCHEDULE_SCALARS)


def language(lang: Language) -> JSON:
    return _scalars(lang, f.LANGUAGE_SCALARS)


def address(a: Address) -> JSON:
    return _scalars(a, f.ADDRESS_SCALARS)


def service_area(a: ServiceArea) -> JSON:
    return _scalars(a, f.SERVICE_AREA_SCALARS)


def taxonomy(t: Taxonomy) -> JSON:
    """Validates against ``taxonomy.json``."""
    return _scalars(t, f.TAXONOMY_SCALARS)


def taxonomy_term(term: TaxonomyTerm, *, with_taxonomy_detail: bool = True) -> JSON:
    """Validates against ``taxonomy_term.json``."""
    out = _scalars(term, f.TAXONOMY_TERM_SCALARS)
    if with_taxonomy_detail and term.taxonomy_detail is not None:
        out["taxonomy_detail"] = taxonomy(term.taxonomy_detail)
    return out


def attribute(a: Attribute) -> JSON:
    out = _scalars(a, f.ATTRIBUTE_SCALARS)
    # Inline but without taxonomy_detail: repeating the taxonomy in every attribute is noise.
    out["taxonomy_term"] = taxonomy_term(a.taxonomy_term, with_taxonomy_detail=False)
    return out


def location_list_item(loc: Location) -> JSON:
    return _scalars(loc, f.LOCATION_SCALARS)


def location(loc: Location) -> JSON:
    out = location_list_item(loc)
    out["languages"] = [language(x) for x in loc.languages]
    out["addresses"] = [address(x) for x in loc.addresses]
    out["phones"] = [phone(x) for x in loc.phones]
    out["schedules"] = [schedule(x) for x in loc.schedules]
    return out


def organization_list_item(org: Organization) -> JSON:
    """Validates against ``compiled/organization_list.json`` (one-to-one fields only)."""
    return _scalars(org, f.ORGANIZATION_SCALARS)


def organization_in_service(org: Organization) -> JSON:
    """The organization as nested in a full service: its fields, phones and attributes (organization type)."""
    out = organization_list_item(org)
    out["phones"] = [phone(x) for x in org.phones]
    out["attributes"] = [attribute(x) for x in org.attributes]
    return out


def organization(org: Organization) -> JSON:
    """Validates against ``compiled/organization.json``: with locations and the services as list items."""
    out = organization_in_service(org)
    out["locations"] = [location(x) for x in sorted(org.locations, key=lambda x: x.id)]
    out["services"] = [
        _service_one_to_one(s) for s in sorted(org.services, key=lambda s: (s.name.casefold(), s.id))
    ]
    return out


def _service_one_to_one(s: Service) -> JSON:
    return _scalars(s, f.SERVICE_SCALARS)


def service_list_item(s: Service) -> JSON:
    """Validates against ``compiled/service_list.json`` (one item of a page's ``contents``)."""
    out = _service_one_to_one(s)
    out["organization"] = organization_list_item(s.organization)
    return out


def service_at_location_in_service(sal: ServiceAtLocation) -> JSON:
    out = _scalars(sal, f.SERVICE_AT_LOCATION_SCALARS)
    out["phones"] = [phone(x) for x in sal.phones]
    out["schedules"] = [schedule(x) for x in sal.schedules]
    out["location"] = location(sal.location)
    return out


def _service_without_locations(s: Service) -> JSON:
    out = _service_one_to_one(s)
    out["phones"] = [phone(x) for x in s.phones]
    out["schedules"] = [schedule(x) for x in s.schedules]
    out["service_areas"] = [service_area(x) for x in s.service_areas]
    out["languages"] = [language(x) for x in s.languages]
    out["organization"] = organization_in_service(s.organization)
    out["attributes"] = [attribute(x) for x in s.attributes]
    return out


def service(s: Service) -> JSON:
    """The full service; validates against ``compiled/service.json``. Also the import/export record format."""
    out = _service_without_locations(s)
    out["service_at_locations"] = [service_at_location_in_service(x) for x in s.service_at_locations]
    # Keep the schema's key order (service_at_locations comes before languages) for readable exports.
    order = [*f.SERVICE_SCALARS, *f.SERVICE_NESTED]
    return {key: out[key] for key in order if key in out}


def service_at_location_list_item(sal: ServiceAtLocation) -> JSON:
    """Validates against ``compiled/service_at_location_list.json``."""
    out = _scalars(sal, f.SERVICE_AT_LOCATION_SCALARS)
    out["location"] = location_list_item(sal.location)
    out["service"] = _service_one_to_one(sal.service)
    return out


def service_at_location(sal: ServiceAtLocation) -> JSON:
    """Validates against ``compiled/service_at_location.json``: location and service fully nested."""
    out = service_at_location_in_service(sal)
    out["service"] = _service_without_locations(sal.service)
    return out


def page(contents: Sequence[JSON], total_items: int, page: int, per_page: int) -> JSON:
    """The HSDS paging envelope around one page of already serialized items (``page`` counts from 1)."""
    total_pages = math.ceil(total_items / per_page) if per_page > 0 else (1 if total_items else 0)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page <= 1,
        "last_page": page >= total_pages,
        "empty": len(contents) == 0,
        "contents": list(contents),
    }
