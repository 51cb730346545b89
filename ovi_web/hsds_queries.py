"""Synchronous queries behind the HSDS API: each takes a Session and returns HSDS JSON (plain dicts).

They run in a worker thread (``ovi_web.db.run_in_session``) and serialize there, while the session is open,
so lazy relationships still load. The HTTP side (parameters, status codes) is in ``routes_hsds``.

Paging happens in the database, and only the rows of the requested page are loaded:

* Without a ranking filter a collection is one ``COUNT`` and one query for the page: ``ORDER BY`` the name's
  Finnish sort key (:class:`finnish_key`, computed in SQL), then id, ``LIMIT``/``OFFSET``. The standard
  filters (``organization_id``, ``taxonomy_term_id``, ``taxonomy_id``, ``modified_after``) and the profile
  flags (``free_of_charge``, ``anonymous``) are conditions of that query.
* With ``search``, ``municipality``, ``target_group``, ``language`` or ``provider_type`` the order is
  directory_db's search ranking: :func:`directory_db.search.ranked_ids` gives the matching ids best
  first (then the most local service, then name), computed in memory over the search index without loading
  rows. The standard filters are then applied in SQL to ids only, and the page's rows are loaded by id.

Taxonomy terms are the exception that proves the rule: their order is natural code order ("P5.9" before
"P5.10"), which SQL cannot express portably, so the matching terms' keys (id, taxonomy, code, name) are
sorted in Python; a taxonomy is a code list of at most a few hundred terms.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, collate, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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
from directory_db.profile import ANONYMOUS, COST_TAXONOMY, ELIGIBILITY_TAXONOMY, FEE, FREE
from directory_db.search import ranked_ids
from directory_db.service_facts import HELSINKI, open_now_ids
from directory_db.text_analysis import finnish_sort_key

JSON = dict[str, Any]
T = TypeVar("T")


# --- Finnish order in SQL ---------------------------------------------------------------------------------

# Like text_analysis.finnish_sort_key: case folded, å ä ö after z (as "{", "|", "}"), ü as y, é as e. Only
# ASCII letters are lower-cased (SQLite's lower() does no more, and PostgreSQL's does no more under the "C"
# collation), so both databases compute the same key and compare it byte by byte: pages are the same on both.
_LETTERS = {
    "Å": "{",
    "å": "{",
    "Ä": "|",
    "ä": "|",
    "Ö": "}",
    "ö": "}",
    "Ü": "y",
    "ü": "y",
    "É": "e",
    "é": "e",
}
_FOLD = str.maketrans({**dict(zip(string.ascii_uppercase, string.ascii_lowercase, strict=True)), **_LETTERS})


def fold(text: str) -> str:
    """The Python twin of :class:`finnish_key` (for the needle of a ``LIKE``)."""
    return text.translate(_FOLD)


class finnish_key(FunctionElement[str]):  # noqa: N801 - an SQL function, named like one
    """``finnish_key(column)``: the column's Finnish sort key in SQL, byte-comparable on every backend."""

    type = String()
    inherit_cache = True
    name = "finnish_key"


class binary(FunctionElement[str]):  # noqa: N801
    """``binary(column)``: compare the column byte by byte (PostgreSQL's databases may sort by a locale)."""

    type = String()
    inherit_cache = True
    name = "binary"


def _argument(element: FunctionElement[str]) -> ColumnElement[Any]:
    (argument,) = element.clauses
    return argument


def _key(column: ColumnElement[Any], *, c_collation: bool) -> ColumnElement[Any]:
    key: ColumnElement[Any] = func.lower(collate(column, "C") if c_collation else column)
    for letter, replacement in _LETTERS.items():
        key = func.replace(key, letter, replacement)
    return collate(key, "C") if c_collation else key


@compiles(finnish_key)
def _finnish_key(element: finnish_key, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(_key(_argument(element), c_collation=False), **kw)


@compiles(finnish_key, "postgresql")
def _finnish_key_postgresql(element: finnish_key, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(_key(_argument(element), c_collation=True), **kw)


@compiles(binary)
def _binary(element: binary, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(_argument(element), **kw)  # SQLite compares text bytewise (BINARY)


@compiles(binary, "postgresql")
def _binary_postgresql(element: binary, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(collate(_argument(element), "C"), **kw)


def _contains(text: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive substring match of ``text`` in any of the columns (LIKE on the folded text)."""
    needle = fold(text)
    return or_(*(finnish_key(column).contains(needle, autoescape=True) for column in columns))


# --- paging -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def slice(self, items: Sequence[T]) -> list[T]:
        return list(items[self.offset : self.offset + self.per_page])

    def envelope(self, contents: Sequence[JSON], total: int) -> JSON:
        return hsds.page(contents, total, self.page, self.per_page)


def _count(session: Session, query: Select[Any]) -> int:
    """``SELECT count(*)`` with the FROM and WHERE of ``query``."""
    return session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True)) or 0


def _page_rows(session: Session, query: Select[tuple[T]], paging: Paging, total: int) -> list[T]:
    """The page's rows of ``query`` (already ordered); none without a query when the page is past the end."""
    if paging.offset >= total:
        return []
    return list(session.scalars(query.limit(paging.per_page).offset(paging.offset)))


def _load_in_order(session: Session, model: type[T], ids: Sequence[str], *options: Any) -> list[T]:
    if not ids:
        return []
    rows = session.scalars(select(model).where(model.id.in_(ids)).options(*options))  # type: ignore[attr-defined]
    by_id = {row.id: row for row in rows}  # type: ignore[attr-defined]
    return [by_id[i] for i in ids if i in by_id]


# --- services ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFilter:
    """The service filters of ``/services`` and ``/service_at_locations`` (already validated)."""

    # Ranking filters: the order and the set come from the search (rank_services).
    search: str | None = None
    municipality: str | None = None
    target_group: str | None = None
    language: str | None = None
    provider_type: str | None = None
    # Conditions in SQL.
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    # Ovi's profile flags (attributes), as SQL conditions too.
    free_of_charge: bool = False
    anonymous: bool = False
    # Open at the time of the request (Europe/Helsinki): service_facts.open_now_ids reads only the
    # candidates' schedule rows; the id list is then paged in Python (the page's rows loaded by id).
    open_now: bool = False

    @property
    def ranked(self) -> bool:
        return any((self.search, self.municipality, self.target_group, self.language, self.provider_type))

    @property
    def by_ids(self) -> bool:
        """The list is an id list cut in Python (ranking or open now), not a page query in SQL."""
        return self.ranked or self.open_now

    def ids(self, session: Session) -> list[str]:
        """Ids of the matching services in the API's order; no service rows loaded."""
        if self.ranked:
            ids = self.ranked_ids(session)
        else:
            query = select(Service.id).where(*self.conditions()).order_by(*_service_order())
            ids = list(session.scalars(query))
        if self.open_now and ids:
            open_ids = open_now_ids(session, ids, datetime.now(HELSINKI))
            ids = [sid for sid in ids if sid in open_ids]
        return ids

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.free_of_charge:
            # As directory_db.service_facts.is_free: free, and not fee (a contradiction the importer refuses).
            conditions += [_flag(COST_TAXONOMY, FREE), ~_flag(COST_TAXONOMY, FEE)]
        if self.anonymous:  # as service_facts.is_anonymous
            conditions.append(_flag(ELIGIBILITY_TAXONOMY, ANONYMOUS))
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

    def ranked_ids(self, session: Session) -> list[str]:
        """Ids of the matching services, best first (only when :attr:`ranked`); no service rows loaded."""
        ids = ranked_ids(
            session,
            self.search,
            municipality=self.municipality,
            target_group=self.target_group,
            language=self.language,
            provider_type=self.provider_type,
            # The API is a data feed: it lists inactive services too (their status says so).
            active_only=False,
        )
        conditions = self.conditions()
        if conditions and ids:
            allowed = set(session.scalars(select(Service.id).where(*conditions)))
            ids = [sid for sid in ids if sid in allowed]
        return ids


def _flag(taxonomy: str, code: str) -> ColumnElement[bool]:
    """Services with a flag attribute of Ovi's profile (``ovi_cost`` ``free``, ...) that holds: its value is
    empty or anything but "false" (as directory_db.orm.taxonomy.codes_of reads it)."""
    return Service.id.in_(
        select(Attribute.link_id)
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(
            Attribute.link_entity == "service",
            TaxonomyTerm.taxonomy == taxonomy,
            TaxonomyTerm.code == code,
            func.lower(func.coalesce(Attribute.value, "")) != "false",
        )
    )


def _service_order() -> tuple[ColumnElement[Any], ...]:
    return (finnish_key(Service.name), binary(Service.id))


def services_page(session: Session, filters: ServiceFilter, paging: Paging) -> JSON:
    services: list[Service]
    if filters.by_ids:
        ids = filters.ids(session)
        total = len(ids)
        services = _load_in_order(session, Service, paging.slice(ids))
    else:
        query = select(Service).where(*filters.conditions())
        total = _count(session, query)
        services = _page_rows(session, query.order_by(*_service_order()), paging, total)
    return paging.envelope([hsds.service_list_item(s) for s in services], total)


def service_full(session: Session, service_id: str) -> JSON | None:
    service = session.get(Service, service_id)
    return hsds.service(service) if service is not None else None


# --- organizations ----------------------------------------------------------------------------------------


def organizations_page(session: Session, search: str | None, paging: Paging) -> JSON:
    query = select(Organization)
    if search:
        query = query.where(
            _contains(search, Organization.name, Organization.alternate_name, Organization.description)
        )
    total = _count(session, query)
    ordered = query.order_by(finnish_key(Organization.name), binary(Organization.id))
    organizations = _page_rows(session, ordered, paging, total)
    return paging.envelope([hsds.organization_list_item(o) for o in organizations], total)


def organization_full(session: Session, organization_id: str) -> JSON | None:
    organization = session.get(Organization, organization_id)
    return hsds.organization(organization) if organization is not None else None


# --- taxonomies -------------------------------------------------------------------------------------------


def taxonomies_page(session: Session, search: str | None, paging: Paging) -> JSON:
    query = select(Taxonomy)
    if search:
        query = query.where(_contains(search, Taxonomy.name, Taxonomy.description))
    total = _count(session, query)
    ordered = query.order_by(finnish_key(Taxonomy.name), binary(Taxonomy.id))
    return paging.envelope([hsds.taxonomy(t) for t in _page_rows(session, ordered, paging, total)], total)


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

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.taxonomy_id is not None:
            conditions.append(TaxonomyTerm.taxonomy_id == self.taxonomy_id)
        if self.taxonomy is not None:
            conditions.append(TaxonomyTerm.taxonomy == self.taxonomy)
        if self.parent_id is not None:
            conditions.append(TaxonomyTerm.parent_id == self.parent_id)
        if self.top_only:
            conditions.append(TaxonomyTerm.parent_id.is_(None))
        if self.search:
            conditions.append(
                _contains(self.search, TaxonomyTerm.name, TaxonomyTerm.code, TaxonomyTerm.description)
            )
        return conditions


def _natural_key(code: str | None) -> tuple[Any, ...]:
    # "P5.10" after "P5.9": compare the numeric parts as numbers.
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code or ""))


def taxonomy_terms_page(session: Session, filters: TermFilter, paging: Paging) -> JSON:
    query = select(TaxonomyTerm.id, TaxonomyTerm.taxonomy, TaxonomyTerm.code, TaxonomyTerm.name)
    keys = list(session.execute(query.where(*filters.conditions())))
    keys.sort(key=lambda k: (k.taxonomy or "", _natural_key(k.code), finnish_sort_key(k.name), k.id))
    page_ids = paging.slice([k.id for k in keys])
    terms = _load_in_order(session, TaxonomyTerm, page_ids, selectinload(TaxonomyTerm.taxonomy_detail))
    return paging.envelope([hsds.taxonomy_term(t) for t in terms], len(keys))


def taxonomy_term_full(session: Session, term_id: str) -> JSON | None:
    term = session.get(TaxonomyTerm, term_id)
    return hsds.taxonomy_term(term) if term is not None else None


# --- services at locations --------------------------------------------------------------------------------

_SAL_OPTIONS = (selectinload(ServiceAtLocation.location), selectinload(ServiceAtLocation.service))


def service_at_locations_page(session: Session, filters: ServiceFilter, paging: Paging) -> JSON:
    """Services at locations in the order of their services (ranked or by name), then their position."""
    items: list[ServiceAtLocation]
    if filters.by_ids:
        rank = {sid: i for i, sid in enumerate(filters.ids(session))}
        links = [
            row
            for row in session.execute(
                select(ServiceAtLocation.id, ServiceAtLocation.service_id, ServiceAtLocation.position)
            )
            if row.service_id in rank
        ]
        links.sort(key=lambda row: (rank[row.service_id], row.position, row.id))
        total = len(links)
        items = _load_in_order(
            session, ServiceAtLocation, paging.slice([row.id for row in links]), *_SAL_OPTIONS
        )
    else:
        query = (
            select(ServiceAtLocation)
            .join(Service, ServiceAtLocation.service_id == Service.id)
            .where(*filters.conditions())
        )
        total = _count(session, query)
        ordered = query.order_by(
            *_service_order(), ServiceAtLocation.position, binary(ServiceAtLocation.id)
        ).options(*_SAL_OPTIONS)
        items = _page_rows(session, ordered, paging, total)
    return paging.envelope([hsds.service_at_location_list_item(sal) for sal in items], total)


def service_at_location_full(session: Session, sal_id: str) -> JSON | None:
    sal = session.get(ServiceAtLocation, sal_id)
    return hsds.service_at_location(sal) if sal is not None else None
