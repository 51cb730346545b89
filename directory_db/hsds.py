"""Serializers from the models to Open Referral HSDS 3.0 JSON (plain dicts, ready for ``json.dumps``).

Pure functions of loaded model objects: no queries of their own beyond lazy loading of relationships, so the
HSDS API, the exporter and the tests share them. HSDS types fields as plain ``string``/``number``, so a value
the database holds as NULL is omitted rather than written as ``null``. What each function returns validates
against the schema named in its docstring (see ``schemas/hsds-3.0``).

Public by default: a location with a confidential address (a shelter: ``ovi_location`` /
``confidential_address``) is shown without its addresses, coordinates and directions, and changes to them in
the history without their values — the HSDS API, the professional lookup and the bot all get this view.
Maintainers' exports (export.py, export_csv.py) and the importer's change tracking pass ``public=False``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from . import hsds_fields as f
from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Metadata,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    as_utc,
)

JSON = dict[str, Any]

# Fields of a history row's path that would tell where a place with a confidential address is.
_CONFIDENTIAL_HISTORY_FIELDS = f.CONFIDENTIAL_LOCATION_FIELDS | {
    "attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country",
}  # fmt: skip
HIDDEN_FI = "(piilotettu: salainen osoite)"
_PATH_PARTS = re.compile(r"[^.\[\]]+")


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


# --- attributes and history, which any object may carry ----------------------------------------------------


def metadata(m: Metadata) -> JSON:
    """One HSDS ``metadata`` row (a change of one field, or the creation / archiving of a record)."""
    return _scalars(m, f.METADATA_SCALARS)


def history(rows: Iterable[Metadata], *, hide_places: bool = False) -> list[JSON]:
    """History rows oldest first (code point order, whatever the database's collation). ``hide_places``
    replaces the old and new values of changes to addresses and coordinates (a confidential address)."""
    out = []
    for row in sorted(rows, key=lambda m: (m.last_action_date, m.position, m.id)):
        item = metadata(row)
        if hide_places and _CONFIDENTIAL_HISTORY_FIELDS & set(_PATH_PARTS.findall(row.field_name)):
            item["previous_value"] = item["replacement_value"] = HIDDEN_FI
        out.append(item)
    return out


def _annotations(out: JSON, obj: Any, *, hide_places: bool = False) -> JSON:
    """``attributes`` and ``metadata`` of a child object, when it has any (an empty pair would be noise)."""
    if obj.attributes:
        out["attributes"] = [attribute(a) for a in obj.attributes]
    if obj.history:
        out["metadata"] = history(obj.history, hide_places=hide_places)
    return out


def _plain(obj: Any, names: Iterable[str]) -> JSON:
    return _annotations(_scalars(obj, names), obj)


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


# --- details ------------------------------------------------------------------------------------------------


def language(lang: Language) -> JSON:
    return _plain(lang, f.LANGUAGE_SCALARS)


def phone(p: Phone) -> JSON:
    out = _scalars(p, f.PHONE_SCALARS)
    if p.languages:
        out["languages"] = [language(x) for x in p.languages]
    return _annotations(out, p)


def schedule(s: Schedule) -> JSON:
    return _plain(s, f.SCHEDULE_SCALARS)


def contact(c: Contact) -> JSON:
    out = _scalars(c, f.CONTACT_SCALARS)
    if c.phones:
        out["phones"] = [phone(x) for x in c.phones]
    return _annotations(out, c)


def _contacts(out: JSON, contacts: Sequence[Contact]) -> None:
    if contacts:
        out["contacts"] = [contact(x) for x in contacts]


def address(a: Address) -> JSON:
    return _plain(a, f.ADDRESS_SCALARS)


def accessibility(a: Accessibility) -> JSON:
    return _plain(a, f.ACCESSIBILITY_SCALARS)


def service_area(a: ServiceArea) -> JSON:
    return _plain(a, f.SERVICE_AREA_SCALARS)


def funding(x: Funding) -> JSON:
    return _plain(x, f.FUNDING_SCALARS)


def cost_option(x: CostOption) -> JSON:
    return _plain(x, f.COST_OPTION_SCALARS)


def required_document(x: RequiredDocument) -> JSON:
    return _plain(x, f.REQUIRED_DOCUMENT_SCALARS)


def organization_identifier(x: OrganizationIdentifier) -> JSON:
    return _plain(x, f.ORGANIZATION_IDENTIFIER_SCALARS)


def program(x: Program) -> JSON:
    """Validates as the ``program`` of ``compiled/service.json``."""
    return _plain(x, f.PROGRAM_SCALARS)


# --- locations ---------------------------------------------------------------------------------------------


def _hidden(loc: Location, public: bool) -> bool:
    return public and loc.confidential_address


def location_list_item(loc: Location, *, public: bool = True) -> JSON:
    """The location's own fields. ``public`` (the API, the bot) leaves out the coordinates and directions of
    a location with a confidential address; maintainers' exports pass ``public=False``."""
    out = _scalars(loc, f.LOCATION_SCALARS)
    if _hidden(loc, public):
        for name in f.CONFIDENTIAL_LOCATION_FIELDS:
            out.pop(name, None)
    return out


def location(loc: Location, *, public: bool = True) -> JSON:
    """The full location; ``public`` as in :func:`location_list_item` (and without its addresses)."""
    hidden = _hidden(loc, public)
    out = location_list_item(loc, public=public)
    out["languages"] = [language(x) for x in loc.languages]
    out["addresses"] = [] if hidden else [address(x) for x in loc.addresses]
    _contacts(out, loc.contacts)
    if loc.accessibility:
        out["accessibility"] = [accessibility(x) for x in loc.accessibility]
    out["phones"] = [phone(x) for x in loc.phones]
    out["schedules"] = [schedule(x) for x in loc.schedules]
    return _annotations(out, loc, hide_places=hidden)


# --- organizations -----------------------------------------------------------------------------------------


def organization_list_item(org: Organization) -> JSON:
    """Validates against ``compiled/organization_list.json`` (one-to-one fields only)."""
    return _scalars(org, f.ORGANIZATION_SCALARS)


def organization_in_service(org: Organization) -> JSON:
    """The organization as nested in a full service: its fields, phones, attributes (organization type) and
    whatever else it has of funding, contacts, programs, identifiers and history."""
    out = organization_list_item(org)
    if org.funding:
        out["funding"] = [funding(x) for x in org.funding]
    _contacts(out, org.contacts)
    out["phones"] = [phone(x) for x in org.phones]
    if org.programs:
        out["programs"] = [program(x) for x in org.programs]
    if org.organization_identifiers:
        out["organization_identifiers"] = [organization_identifier(x) for x in org.organization_identifiers]
    out["attributes"] = [attribute(x) for x in org.attributes]
    if org.history:
        out["metadata"] = history(org.history)
    return out


def organization(org: Organization, *, public: bool = True) -> JSON:
    """Validates against ``compiled/organization.json``: with locations and the services as list items."""
    out = organization_in_service(org)
    out["locations"] = [location(x, public=public) for x in sorted(org.locations, key=lambda x: x.id)]
    out["services"] = [
        _service_one_to_one(s) for s in sorted(org.services, key=lambda s: (s.name.casefold(), s.id))
    ]
    return out


# --- services ----------------------------------------------------------------------------------------------


def _service_one_to_one(s: Service) -> JSON:
    return _scalars(s, f.SERVICE_SCALARS)


def service_list_item(s: Service) -> JSON:
    """Validates against ``compiled/service_list.json`` (one item of a page's ``contents``)."""
    out = _service_one_to_one(s)
    out["organization"] = organization_list_item(s.organization)
    return out


def service_at_location_in_service(sal: ServiceAtLocation, *, public: bool = True) -> JSON:
    out = _scalars(sal, f.SERVICE_AT_LOCATION_SCALARS)
    _contacts(out, sal.contacts)
    out["phones"] = [phone(x) for x in sal.phones]
    out["schedules"] = [schedule(x) for x in sal.schedules]
    out["location"] = location(sal.location, public=public)
    return _annotations(out, sal)


def _service_without_locations(s: Service, *, public: bool = True) -> JSON:
    out = _service_one_to_one(s)
    out["phones"] = [phone(x) for x in s.phones]
    out["schedules"] = [schedule(x) for x in s.schedules]
    out["service_areas"] = [service_area(x) for x in s.service_areas]
    out["languages"] = [language(x) for x in s.languages]
    out["organization"] = organization_in_service(s.organization)
    if s.funding:
        out["funding"] = [funding(x) for x in s.funding]
    if s.cost_options:
        out["cost_options"] = [cost_option(x) for x in s.cost_options]
    if s.program is not None:
        out["program"] = program(s.program)
    if s.required_documents:
        out["required_documents"] = [required_document(x) for x in s.required_documents]
    _contacts(out, s.contacts)
    out["attributes"] = [attribute(x) for x in s.attributes]
    hide = public and any(sal.location.confidential_address for sal in s.service_at_locations)
    out["metadata"] = history(s.history, hide_places=hide)
    return out


def service(s: Service, *, public: bool = True) -> JSON:
    """The full service; validates against ``compiled/service.json``. Also the import/export record format
    (with ``public=False``: the API and the bot get ``public=True``, which hides confidential addresses, their
    coordinates and the history of their changes)."""
    out = _service_without_locations(s, public=public)
    out["service_at_locations"] = [
        service_at_location_in_service(x, public=public) for x in s.service_at_locations
    ]
    # Keep the schema's key order (service_at_locations comes before languages) for readable exports.
    order = [*f.SERVICE_SCALARS, *f.SERVICE_NESTED]
    return {key: out[key] for key in order if key in out}


def service_at_location_list_item(sal: ServiceAtLocation, *, public: bool = True) -> JSON:
    """Validates against ``compiled/service_at_location_list.json``."""
    out = _scalars(sal, f.SERVICE_AT_LOCATION_SCALARS)
    out["location"] = location_list_item(sal.location, public=public)
    out["service"] = _service_one_to_one(sal.service)
    return out


def service_at_location(sal: ServiceAtLocation, *, public: bool = True) -> JSON:
    """Validates against ``compiled/service_at_location.json``: location and service fully nested."""
    out = service_at_location_in_service(sal, public=public)
    out["service"] = _service_without_locations(sal.service, public=public)
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
