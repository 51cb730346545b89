"""Synchronous queries behind the HSDS API: each takes a Session and returns HSDS JSON (plain dicts).

They run in a worker thread (``ovi_web.db.run_in_session``) and serialize there, while the session is open,
so lazy relationships still load. The HTTP side (parameters, status codes) is in ``routes_hsds``.

Ordering: with ``search``, ``municipality`` or ``target_group`` the order is directory_db's search ranking
(best match first, then the most local service, then name); otherwise services are in Finnish alphabetical
order of name. Ids are ordered in Python and only the requested page is loaded in full: simple, and cheap
for a directory of a few thousand services.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from directory_db import hsds
from directory_db.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    as_utc,
)
from directory_db.search import search_services
from directory_db.text_analysis import finnish_sort_key

JSON = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = 50

    def envelope(self, items: Sequence[T], serialize: Callable[[T], JSON]) -> JSON:
        start = (self.page - 1) * self.per_page
        contents = [serialize(item) for item in items[start : start + self.per_page]]
        return hsds.page(contents, len(items), self.page, self.per_page)

    def ids(self, ids: Sequence[str]) -> list[str]:
        start = (self.page - 1) * self.per_page
        return list(ids[start : start + self.per_page])


@dataclass(frozen=True)
class ServiceFilter:
    """The service filters of ``/services`` and ``/service_at_locations`` (already validated)."""

    search: str | None = None
    municipality: str | None = None
    target_group: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None

    def _conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.organization_id is not None:
            conditions.append(Service.organization_id == self.organization_id)
        if self.taxonomy_term_id is not None:
            conditions.append(
                Service.id.in_(
                    select(Attribute.link_id).where(
                        Attribute.link_entity == "service",
                        Attribute.taxonomy_term_id == self.taxonomy_term_id,
                    )
                )
            )
        if self.taxonomy_id is not None:
            conditions.append(
                Service.id.in_(
                    select(Attribute.link_id)
                    .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
                    .where(Attribute.link_entity == "service", TaxonomyTerm.taxonomy_id == self.taxonomy_id)
                )
            )
        if self.modified_after is not None:
            # UTC: SQLite stores naive UTC timestamps and compares them as text.
            conditions.append(Service.last_modified >= as_utc(self.modified_after))
        return conditions

    def ordered_ids(self, session: Session) -> list[str]:
        """Ids of the matching services, in the API's order."""
        if self.search or self.municipality or self.target_group:
            # The API is a data feed: it lists inactive services too (their status says so).
            hits = search_services(
                session,
                self.search,
                municipality=self.municipality,
                target_group=self.target_group,
                limit=None,
                active_only=False,
            )
            ids = [hit.service.id for hit in hits]
        else:
            rows = session.execute(select(Service.id, Service.name)).all()
            ids = [sid for sid, _ in sorted(rows, key=lambda row: (finnish_sort_key(row[1]), row[0]))]
        conditions = self._conditions()
        if conditions:
            allowed = set(session.scalars(select(Service.id).where(*conditions)))
            ids = [sid for sid in ids if sid in allowed]
        return ids


def _load_in_order(session: Session, model: type[T], ids: Sequence[str], *options: Any) -> list[T]:
    if not ids:
        return []
    rows = session.scalars(select(model).where(model.id.in_(ids)).options(*options))  # type: ignore[attr-defined]
    by_id = {row.id: row for row in rows}  # type: ignore[attr-defined]
    return [by_id[i] for i in ids if i in by_id]


def _matches(text: str | None, *fields: str | None) -> bool:
    """Case-insensitive substring search over a few short fields (organizations, taxonomies, terms)."""
    if not text:
        return True
    needle = text.casefold()
    return any(needle in (value or "").casefold() for value in fields)


def _natural_key(code: str | None) -> tuple[Any, ...]:
    # "P5.10" after "P5.9": compare the numeric parts as numbers.
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code or ""))


# --- services ---------------------------------------------------------------------------------------------


def services_page(session: Session, filters: ServiceFilter, paging: Paging) -> JSON:
    ids = filters.ordered_ids(session)
    services = _load_in_order(session, Service, paging.ids(ids))
    contents = [hsds.service_list_item(s) for s in services]
    return hsds.page(contents, len(ids), paging.page, paging.per_page)


def service_full(session: Session, service_id: str) -> JSON | None:
    service = session.get(Service, service_id)
    return hsds.service(service) if service is not None else None


# --- organizations ----------------------------------------------------------------------------------------


def organizations_page(session: Session, search: str | None, paging: Paging) -> JSON:
    organizations = [
        org
        for org in session.scalars(select(Organization))
        if _matches(search, org.name, org.alternate_name, org.description)
    ]
    organizations.sort(key=lambda org: (finnish_sort_key(org.name), org.id))
    return paging.envelope(organizations, hsds.organization_list_item)


def organization_full(session: Session, organization_id: str) -> JSON | None:
    organization = session.get(Organization, organization_id)
    return hsds.organization(organization) if organization is not None else None


# --- taxonomies -------------------------------------------------------------------------------------------


def taxonomies_page(session: Session, search: str | None, paging: Paging) -> JSON:
    taxonomies = [t for t in session.scalars(select(Taxonomy)) if _matches(search, t.name, t.description)]
    taxonomies.sort(key=lambda t: (finnish_sort_key(t.name), t.id))
    return paging.envelope(taxonomies, hsds.taxonomy)


def taxonomy_full(session: Session, taxonomy_id: str) -> JSON | None:
    taxonomy = session.get(Taxonomy, taxonomy_id)
    return hsds.taxonomy(taxonomy) if taxonomy is not None else None


@dataclass(frozen=True)
class TermFilter:
    search: str | None = None
    taxonomy_id: str | None = None
    taxonomy: str | None = None  # Ovi extension: the HSDS taxonomy name, e.g. "ptvserclass2"
    parent_id: str | None = None
    top_only: bool = False


def taxonomy_terms_page(session: Session, filters: TermFilter, paging: Paging) -> JSON:
    query = select(TaxonomyTerm).options(selectinload(TaxonomyTerm.taxonomy_detail))
    if filters.taxonomy_id is not None:
        query = query.where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
    if filters.taxonomy is not None:
        query = query.where(TaxonomyTerm.taxonomy == filters.taxonomy)
    if filters.parent_id is not None:
        query = query.where(TaxonomyTerm.parent_id == filters.parent_id)
    if filters.top_only:
        query = query.where(TaxonomyTerm.parent_id.is_(None))
    terms = [t for t in session.scalars(query) if _matches(filters.search, t.name, t.code, t.description)]
    terms.sort(key=lambda t: (t.taxonomy or "", _natural_key(t.code), finnish_sort_key(t.name), t.id))
    return paging.envelope(terms, hsds.taxonomy_term)


def taxonomy_term_full(session: Session, term_id: str) -> JSON | None:
    term = session.get(TaxonomyTerm, term_id)
    return hsds.taxonomy_term(term) if term is not None else None


# --- services at locations --------------------------------------------------------------------------------


def service_at_locations_page(session: Session, filters: ServiceFilter, paging: Paging) -> JSON:
    service_ids = filters.ordered_ids(session)
    rank = {sid: i for i, sid in enumerate(service_ids)}
    # Filtered in Python rather than with a huge IN (...) of service ids.
    links = [
        row
        for row in session.execute(
            select(ServiceAtLocation.id, ServiceAtLocation.service_id, ServiceAtLocation.position)
        )
        if row[1] in rank
    ]
    ordered = [row[0] for row in sorted(links, key=lambda row: (rank[row[1]], row[2], row[0]))]
    items = _load_in_order(
        session,
        ServiceAtLocation,
        paging.ids(ordered),
        selectinload(ServiceAtLocation.location),
        selectinload(ServiceAtLocation.service),
    )
    contents = [hsds.service_at_location_list_item(sal) for sal in items]
    return hsds.page(contents, len(ordered), paging.page, paging.per_page)


def service_at_location_full(session: Session, sal_id: str) -> JSON | None:
    sal = session.get(ServiceAtLocation, sal_id)
    return hsds.service_at_location(sal) if sal is not None else None
