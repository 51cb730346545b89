"""Eager-loading options for reading whole services (export, the HSDS API, the importer's change tracking):
one query per relationship instead of one per row."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption
from sqlalchemy.orm.strategy_options import _AbstractLoad  # the type selectinload() returns

from .models import (
    Attribute,
    Contact,
    Language,
    Location,
    Organization,
    Phone,
    Program,
    Schedule,
    Service,
    ServiceAtLocation,
)


def _annotated(load: _AbstractLoad, model: Any) -> list[LoaderOption]:
    """The attributes (with their terms) and history of the objects ``load`` reaches."""
    return [
        load.selectinload(model.attributes).joinedload(Attribute.taxonomy_term),
        load.selectinload(model.history),
    ]


def _phones(load: _AbstractLoad) -> list[LoaderOption]:
    languages = load.selectinload(Phone.languages)
    return [load, languages, *_annotated(load, Phone), *_annotated(languages, Language)]


def _contacts(load: _AbstractLoad) -> list[LoaderOption]:
    return [load, *_annotated(load, Contact), *_phones(load.selectinload(Contact.phones))]


def _children(parent: _AbstractLoad | None, model: Any, *names: str) -> list[LoaderOption]:
    """Each list relationship ``names`` of ``model`` with its annotations (phones and contacts in depth)."""
    out: list[LoaderOption] = []
    for name in names:
        relationship = getattr(model, name)
        load = parent.selectinload(relationship) if parent is not None else selectinload(relationship)
        child = relationship.property.mapper.class_
        if child is Phone:
            out += _phones(load)
        elif child is Contact:
            out += _contacts(load)
        else:
            out += [load, *_annotated(load, child)]
    return out


def full_service_options() -> tuple[LoaderOption, ...]:
    """Everything :func:`directory_db.hsds.service` touches."""
    sal = selectinload(Service.service_at_locations)
    location = sal.selectinload(ServiceAtLocation.location)
    organization = joinedload(Service.organization)
    program = selectinload(Service.program)
    return (
        *_children(None, Service, "phones", "schedules", "service_areas", "languages", "funding",
                   "cost_options", "required_documents", "contacts"),
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
        selectinload(Service.history),
        program, *_annotated(program, Program),
        organization, *_annotated(organization, Organization),
        *_children(organization, Organization, "phones", "contacts", "funding", "organization_identifiers",
                   "programs"),
        sal, *_annotated(sal, ServiceAtLocation),
        *_children(sal, ServiceAtLocation, "phones", "schedules", "contacts"),
        location, *_annotated(location, Location),
        *_children(location, Location, "addresses", "phones", "schedules", "languages", "contacts",
                   "accessibility"),
    )  # fmt: skip



def card_service_options() -> tuple[LoaderOption, ...]:
    """What a service card reads through :mod:`directory_db.service_facts` (names and translations,
    provider, phones, street addresses and whether they are confidential, hours and their exceptions,
    languages, classes, flags, areas) and nothing else: no history, funding or contacts."""
    sal = selectinload(Service.service_at_locations)
    location = sal.selectinload(ServiceAtLocation.location)
    organization = joinedload(Service.organization)

    def annotated(load: _AbstractLoad | None, model: Any) -> LoaderOption:
        own = load.selectinload(model.attributes) if load is not None else selectinload(model.attributes)
        return own.joinedload(Attribute.taxonomy_term)

    def schedules(load: _AbstractLoad | None, model: Any) -> list[LoaderOption]:
        own = load.selectinload(model.schedules) if load is not None else selectinload(model.schedules)
        return [own, annotated(own, Schedule)]

    return (
        annotated(None, Service), *schedules(None, Service),
        selectinload(Service.phones), selectinload(Service.languages), selectinload(Service.service_areas),
        organization, annotated(organization, Organization), organization.selectinload(Organization.phones),
        sal, sal.selectinload(ServiceAtLocation.phones), *schedules(sal, ServiceAtLocation),
        location, annotated(location, Location), location.selectinload(Location.addresses),
        location.selectinload(Location.phones), *schedules(location, Location),
    )  # fmt: skip
