"""Eager-loading options for reading whole services (export, the HSDS API): one query per relationship
instead of one per row."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from .models import Attribute, Location, Organization, Service, ServiceAtLocation


def full_service_options() -> tuple[LoaderOption, ...]:
    """Everything :func:`directory_db.hsds.service` touches."""
    sal = selectinload(Service.service_at_locations)
    location = sal.selectinload(ServiceAtLocation.location)
    return (
        selectinload(Service.phones),
        selectinload(Service.schedules),
        selectinload(Service.service_areas),
        selectinload(Service.languages),
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
        joinedload(Service.organization).selectinload(Organization.attributes),
        joinedload(Service.organization).selectinload(Organization.phones),
        sal.selectinload(ServiceAtLocation.phones),
        sal.selectinload(ServiceAtLocation.schedules),
        location.selectinload(Location.addresses),
        location.selectinload(Location.phones),
        location.selectinload(Location.schedules),
        location.selectinload(Location.languages),
    )
