"""Writes validated service records in the caller's transaction: upsert by id, children replaced, history
kept.

Order matters: the services about to be replaced are first read as HSDS JSON (for the change history), then
deleted, and the children of re-imported organizations, locations and programs cleared, all flushed, so new
rows may reuse their ids; only then are ids that still exist found to belong to some other record, which is
an error rather than a silent takeover. Attributes hang on their object by id without a foreign key: those of
replaced records are deleted with them, and those of deleted child rows are swept. History (``metadata``) is
never deleted: rows the file brings are added once (the same id again must say the same), and
:mod:`.history` adds the import's own rows once everything is written and can be compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session, selectinload

from ovi_lang.embeddings import SentenceEncoder

from .. import hsds
from .. import hsds_fields as f
from ..areas import classify_service_area
from ..hsds import format_datetime
from ..loading import full_service_options
from ..models import (
    Accessibility,
    Address,
    Attribute,
    Base,
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
    TaxonomyTerm,
    as_utc,
)
from ..profile import SOURCE_TAXONOMY
from ..search_index import lock_for_write, rebuild_index, saved_embeddings
from . import history
from .errors import IssueCollector
from .schema_check import show
from .structure import KINDS, Node, Record, children, walk
from .terms import TermResolver

# Child objects: model, stored fields, and the lists nested in them that are built with them.
_CHILDREN: dict[str, tuple[type[Base], tuple[str, ...], tuple[str, ...]]] = {
    "phone": (Phone, f.PHONE_SCALARS, ("languages",)),
    "schedule": (Schedule, f.SCHEDULE_SCALARS, ()),
    "language": (Language, f.LANGUAGE_SCALARS, ()),
    "address": (Address, f.ADDRESS_SCALARS, ()),
    "service_area": (ServiceArea, f.SERVICE_AREA_SCALARS, ()),
    "contact": (Contact, f.CONTACT_SCALARS, ("phones",)),
    "funding": (Funding, f.FUNDING_SCALARS, ()),
    "cost_option": (CostOption, f.COST_OPTION_SCALARS, ()),
    "required_document": (RequiredDocument, f.REQUIRED_DOCUMENT_SCALARS, ()),
    "accessibility": (Accessibility, f.ACCESSIBILITY_SCALARS, ()),
    "organization_identifier": (OrganizationIdentifier, f.ORGANIZATION_IDENTIFIER_SCALARS, ()),
}
# Tables whose ids must not already belong to a record this import does not replace.
_CHILD_MODELS: dict[str, type[Base]] = {
    **{kind: model for kind, (model, _, _) in _CHILDREN.items()},
    "service_at_location": ServiceAtLocation, "attribute": Attribute,
}  # fmt: skip
# The rows of these kinds are replaced with their owner; their attributes are swept when the rows go.
_SWEPT: dict[str, type[Base]] = {
    **{kind: model for kind, (model, _, _) in _CHILDREN.items()}, "service_at_location": ServiceAtLocation,
}  # fmt: skip
_SERVICE_LISTS = (
    "phones", "schedules", "service_areas", "languages", "funding", "cost_options", "required_documents",
    "contacts",
)  # fmt: skip
_ORGANIZATION_LISTS = ("phones", "contacts", "funding", "organization_identifiers")
_LOCATION_LISTS = ("addresses", "phones", "schedules", "languages", "contacts", "accessibility")

# Attribute fields the writer sets from the nesting rather than copying from the file.
_ATTRIBUTE_SET_HERE = f.LINK_FIELDS | {"link_entity"}
_CHUNK = 500  # ids per IN (...) when loading whole services
_UPSERTED = ("organization", "location", "program")  # shared rows, updated in place


@dataclass
class WriteStats:
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0
    organizations_created: int = 0
    organizations_updated: int = 0
    locations_created: int = 0
    locations_updated: int = 0
    history_rows: int = 0
    index_rows: int = 0
    service_ids: list[str] = field(default_factory=list)
    archived: list[tuple[str, str]] = field(default_factory=list)
    """(id, name) of the services ``prune`` set inactive."""


@cache
def _kept(names: tuple[str, ...], skip: frozenset[str]) -> tuple[str, ...]:
    return tuple(name for name in names if name not in skip)


def _columns(
    data: dict[str, Any], names: tuple[str, ...], skip: frozenset[str] = f.LINK_FIELDS
) -> dict[str, Any]:
    """Column values from an HSDS object: absent fields become NULL, so an update replaces the row."""
    # The fields kept are looked up once per set of names: this runs for every object of an import.
    get = data.get
    values = {name: get(name) for name in _kept(names, skip)}
    modified = values.get("last_modified")
    if isinstance(modified, str):
        values["last_modified"] = as_utc(datetime.fromisoformat(modified))
    return values


def _list_kind(owner: str, name: str) -> str:
    return KINDS[owner].nested[name][0]


def _build(kind: str, items: list[dict[str, Any]]) -> list[Any]:
    """The rows of one list of child objects, in the file's order, with their own nested lists."""
    model, names, nested = _CHILDREN[kind]
    out = []
    for position, item in enumerate(items):
        values = _columns(item, names)
        if kind == "service_area":
            area = classify_service_area(item.get("uri"), item.get("extent"), item.get("extent_type"))
            values |= {"area_level": area.level, "area_code": area.code}
        row = model(position=position, **values)
        for name in nested:
            setattr(row, name, _build(_list_kind(kind, name), children(item, name)))
        out.append(row)
    return out


def _fill(row: Any, kind: str, data: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        setattr(row, name, _build(_list_kind(kind, name), children(data, name)))


def shared_values(kind: str, node: Node, names: tuple[str, ...]) -> dict[str, Any]:
    """Column values of an organization, location or program (a program listed by an organization is its)."""
    values = _columns(node.data, names, skip=frozenset({"id"}))
    parent = node.parent
    if kind == "program" and values.get("organization_id") is None and parent is not None:
        values["organization_id"] = parent.id if parent.kind == "organization" else None
    return values


def _with_terms(value: Any, previous: dict[str, dict[str, Any]]) -> Any:
    """A service's HSDS JSON with the terms the import already changed as they were before it (the pipeline
    stores every term before the first batch; the history compares with the service as it was)."""
    if not previous:
        return value
    if isinstance(value, list):
        return [_with_terms(item, previous) for item in value]
    if isinstance(value, dict):
        out = {key: _with_terms(item, previous) for key, item in value.items()}
        term = value.get("taxonomy_term")
        if isinstance(term, dict) and term.get("id") in previous:
            out["taxonomy_term"] = previous[term["id"]]
        return out
    return value


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


class RecordWriter:
    def __init__(
        self,
        session: Session,
        records: Sequence[Record],
        issues: IssueCollector,
        *,
        now: datetime,
        encoder: SentenceEncoder | None = None,
        user: str = "import",
        written: dict[str, set[str]] | None = None,
        terms: TermResolver | None = None,
        empty: frozenset[type[Base]] = frozenset(),
    ) -> None:
        self.session = session
        self.encoder = encoder
        self.now = now
        self.when = format_datetime(now)
        self.user = user
        self.records = records
        self.issues = issues
        self.stats = WriteStats()
        self.terms = terms if terms is not None else TermResolver(session, issues)
        if terms is not None:
            terms.next_batch(issues)  # one resolver for all batches of an import: see TermResolver
        # Organizations, locations and programs an earlier batch of the same import wrote (validation made
        # sure a repeat is identical): written once, so they are left out here, with all they contain.
        self.written = written if written is not None else {kind: set() for kind in _UPSERTED}
        self._nodes = [(record, node) for record in records for node in self._new_nodes(record)]
        # Models whose tables held no rows when the import began (bulk.empty_tables): none of the batch's ids
        # can be there (pass 1 refused ids repeated across records, and shared objects are written once).
        self.empty = empty
        self._by_kind: dict[str, dict[str, tuple[Record, Node]]] | None = None
        self._before: dict[str, dict[str, Any]] = {}
        self._old_modified: dict[str, datetime] = {}
        # Strong references to the shared rows being written: the session only holds clean rows weakly, and
        # a row reloaded after a flush would load each of its lists again before they are replaced.
        self._rows: dict[tuple[str, str], Any] = {}

    def _new_nodes(self, record: Record) -> list[Node]:
        out: list[Node] = []
        skipped: list[Node] = []  # held, so that their id()s stay theirs while their children are seen
        skipped_ids: set[int] = set()
        for node in walk("service", record.data):
            if (node.parent is not None and id(node.parent) in skipped_ids) or (
                node.kind in _UPSERTED and node.id in self.written[node.kind]
            ):
                skipped.append(node)
                skipped_ids.add(id(node))
            else:
                out.append(node)
        return out

    def _first(self, kind: str) -> dict[str, tuple[Record, Node]]:
        """The batch's objects of ``kind`` by id, each at its first occurrence."""
        if self._by_kind is None:
            # Built once: the writer asks for every kind several times, each a scan of the batch's nodes.
            self._by_kind = {}
            for record, node in self._nodes:
                node_id = node.id
                if node_id is not None:
                    self._by_kind.setdefault(node.kind, {}).setdefault(node_id, (record, node))
        return self._by_kind.get(kind, {})

    def _load_services(self, ids: Sequence[str]) -> list[Service]:
        """Whole services (every relationship the serializer touches), a chunk of ids at a time."""
        found: list[Service] = []
        for chunk in _chunks(ids):
            query = select(Service).where(Service.id.in_(chunk)).options(*full_service_options())
            found += self.session.scalars(query.execution_options(populate_existing=True)).all()
        return found

    # -- step 1: what the services were, then make room ---------------------------------------------------

    def _read_before(self) -> list[Service]:
        existing = self._load_services([str(r.data["id"]) for r in self.records])
        for service in existing:
            self._before[service.id] = _with_terms(hsds.service(service, public=False), self.terms.previous)
            self._old_modified[service.id] = service.last_modified
        return existing

    def _delete_replaced_services(self, existing: list[Service]) -> None:
        ids = [str(r.data["id"]) for r in self.records]
        for service in existing:
            self.session.delete(service)
        self._delete_attributes("service", ids)
        self.stats.services_updated = len(existing)
        self.stats.services_created = len(ids) - len(existing)

    def _delete_attributes(self, entity: str, ids: Iterable[str]) -> None:
        if Attribute in self.empty:
            return
        for chunk in _chunks(list(ids)):
            self.session.execute(
                delete(Attribute).where(Attribute.link_entity == entity, Attribute.link_id.in_(chunk)),
                execution_options={"synchronize_session": "fetch"},
            )

    def _sweep_attributes(self) -> None:
        """Attributes of child rows that no longer exist (deleted with the records they belonged to)."""
        for entity, model in _SWEPT.items():
            gone = ~Attribute.link_id.in_(select(model.__table__.c.id))
            self.session.execute(
                delete(Attribute).where(and_(Attribute.link_entity == entity, gone)),
                execution_options={"synchronize_session": "fetch"},
            )

    def _upsert_shared(
        self, kind: str, model: type[Any], names: tuple[str, ...], lists: tuple[str, ...]
    ) -> tuple[dict[str, tuple[Record, Node]], int]:
        """Organizations, locations, programs: one row per id, updated in place, their child lists cleared."""
        wanted = self._first(kind)
        existing = {
            row.id: row
            for chunk in _chunks(list(wanted))
            for row in self.session.scalars(select(model).where(model.id.in_(chunk)))
        }
        for object_id, (_, node) in wanted.items():
            values = shared_values(kind, node, names)
            row = existing.get(object_id)
            if row is None:
                # Empty lists, not unloaded ones: filling them later then needs no query per row.
                row = model(id=object_id, **values, **{name: [] for name in lists})
                self.session.add(row)
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                for name in lists:
                    getattr(row, name).clear()
            self._rows[kind, object_id] = row
        self._delete_attributes(kind, existing)
        return wanted, len(existing)

    # -- step 2: what still collides is an error ----------------------------------------------------------

    def _check_taken_ids(self) -> None:
        for kind, model in _CHILD_MODELS.items():
            wanted = self._first(kind)
            if not wanted or model in self.empty:
                continue
            id_column = model.__table__.c.id
            for chunk in _chunks(list(wanted)):
                for taken in self.session.scalars(select(id_column).where(id_column.in_(chunk))):
                    record, node = wanted[taken]
                    self.issues.add(
                        record.label,
                        node.field_path("id"),
                        f"{KINDS[kind].genitive_fi} id {taken} on jo tietokannassa toisen tietueen käytössä",
                    )

    def _check_organizations(self, kind: str, known_orgs: Iterable[str]) -> None:
        """Locations and programs may name only organizations of the import or of the directory."""
        wanted = {
            str(node.data["organization_id"]): (record, node)
            for record, node in self._nodes
            if node.kind == kind and node.data.get("organization_id") is not None
        }
        missing = set(wanted) - set(known_orgs)
        if missing:
            missing -= set(self.session.scalars(select(Organization.id).where(Organization.id.in_(missing))))
        for org_id in sorted(missing):
            record, node = wanted[org_id]
            self.issues.add(
                record.label, node.field_path("organization_id"), f"tuntematon organisaatio {org_id}"
            )

    # -- step 3: new rows ---------------------------------------------------------------------------------

    def _attributes(self, record: Record, owner: Node) -> None:
        assert owner.id is not None  # the schema requires ids
        for position, item, term in self.terms.attribute_terms(record.label, owner):
            self.session.add(Attribute(
                position=position, link_id=owner.id, link_entity=owner.kind, taxonomy_term=term,
                **_columns(item, f.ATTRIBUTE_SCALARS, skip=_ATTRIBUTE_SET_HERE),
            ))  # fmt: skip

    def _file_history(self, record: Record, owner: Node, stored: dict[str, Metadata]) -> None:
        """The ``metadata`` rows the file brings: added once; the same id again must say the same."""
        assert owner.id is not None
        for position, item in enumerate(children(owner.data, "metadata")):
            values = _columns(item, f.METADATA_SCALARS, skip=frozenset({"id"}))
            values["resource_id"] = item.get("resource_id") or owner.id
            values["resource_type"] = item.get("resource_type") or owner.kind
            old = stored.get(str(item["id"]))
            if old is None:
                row = Metadata(id=item["id"], position=position, **values)
                self.session.add(row)
                stored[row.id] = row
            elif any(getattr(old, name) != value for name, value in values.items()):
                differs = next(name for name, value in values.items() if getattr(old, name) != value)
                self.issues.add(
                    record.label,
                    f"{owner.field_path('metadata')}[{position}].{differs}",
                    f"muutoshistoriarivi {item['id']} on jo tallennettu arvolla "
                    f"{show(getattr(old, differs))}; historiaa ei voi muuttaa",
                )

    def _annotations(self) -> None:
        """Attributes and history of every object of the import, once per object."""
        ids = [str(n.data["id"]) for _, n in self._nodes if n.kind == "metadata" and n.data.get("id")]
        stored = {
            row.id: row
            for chunk in _chunks(ids)
            for row in self.session.scalars(select(Metadata).where(Metadata.id.in_(chunk)))
        }
        done: set[tuple[str, str]] = set()
        for record, node in self._nodes:
            if node.kind not in f.ANNOTATED or node.id is None or (node.kind, node.id) in done:
                continue
            done.add((node.kind, node.id))
            self._attributes(record, node)
            self._file_history(record, node, stored)

    def _organization_children(self, orgs: dict[str, tuple[Record, Node]]) -> None:
        for org_id, (_, node) in orgs.items():
            _fill(self._rows["organization", org_id], "organization", node.data, _ORGANIZATION_LISTS)

    def _location_children(self, locations: dict[str, tuple[Record, Node]]) -> None:
        for location_id, (_, node) in locations.items():
            _fill(self._rows["location", location_id], "location", node.data, _LOCATION_LISTS)

    def _service(self, record: Record) -> None:
        data = record.data
        service = Service(organization_id=data["organization"]["id"], **_columns(data, f.SERVICE_SCALARS))
        program = data.get("program")
        if service.program_id is None and isinstance(program, dict):
            service.program_id = program["id"]
        if service.last_modified is None:
            service.last_modified = self.now
        _fill(service, "service", data, _SERVICE_LISTS)
        service.service_at_locations = []
        for i, sal in enumerate(children(data, "service_at_locations")):
            row = ServiceAtLocation(
                position=i, location_id=sal["location"]["id"], **_columns(sal, f.SERVICE_AT_LOCATION_SCALARS)
            )
            _fill(row, "service_at_location", sal, ("phones", "schedules", "contacts"))
            service.service_at_locations.append(row)
        self.session.add(service)

    # -- step 4: history, prune ---------------------------------------------------------------------------

    def _history(self) -> None:
        """One create row per new service, one update row per changed field of an existing one."""
        rows: list[Metadata] = []
        new_ids = [str(r.data["id"]) for r in self.records if r.data["id"] not in self._before]
        for record in self.records:
            service_id = str(record.data["id"])
            if service_id in new_ids and not history.has_create_row(children(record.data, "metadata")):
                created = history.Change("id", "", service_id)
                rows.append(history.row(service_id, history.CREATE, created, position=0, when=self.when,
                                        user=self.user))  # fmt: skip
        given = {str(r.data["id"]) for r in self.records if r.data.get("last_modified")}
        for service in self._load_services(list(self._before)):
            found = history.changes(self._before[service.id], hsds.service(service, public=False))
            if not found:
                self.stats.services_unchanged += 1
                if service.id not in given:
                    service.last_modified = self._old_modified[service.id]  # nothing moved
            rows += [
                history.row(service.id, history.UPDATE, change, position=i, when=self.when, user=self.user)
                for i, change in enumerate(found)
            ]
        self.session.add_all(rows)
        self.stats.history_rows = len(rows)

    # -- all of it ----------------------------------------------------------------------------------------

    def write(self) -> WriteStats:
        """Write every record; on any issue, raise before returning (the caller rolls back)."""
        lock_for_write(self.session)
        # Vectors of services about to be replaced: reused where their text has not changed.
        carried = saved_embeddings(self.session, [str(r.data["id"]) for r in self.records])
        existing = self._read_before()
        # Nothing is flushed until the organizations are checked: a location or program naming a missing
        # organization would otherwise fail as a database error instead of a message naming the field.
        with self.session.no_autoflush:
            self._delete_replaced_services(existing)
            orgs, orgs_updated = self._upsert_shared(
                "organization", Organization, f.ORGANIZATION_SCALARS, _ORGANIZATION_LISTS
            )
            locations, locations_updated = self._upsert_shared(
                "location", Location, f.LOCATION_SCALARS, _LOCATION_LISTS
            )
            self._upsert_shared("program", Program, f.PROGRAM_SCALARS, ())
            self._check_organizations("location", orgs)
            self._check_organizations("program", orgs)
        self.stats.organizations_updated, self.stats.organizations_created = (
            orgs_updated, len(orgs) - orgs_updated,
        )  # fmt: skip
        self.stats.locations_updated, self.stats.locations_created = (
            locations_updated, len(locations) - locations_updated,
        )  # fmt: skip
        self.issues.raise_if_any()
        self.session.flush()
        self._sweep_attributes()
        self._check_taken_ids()
        self.issues.raise_if_any()

        self.terms.load_taxonomy_details(node for _, node in self._nodes)
        with self.session.no_autoflush:  # one flush at the end, not one per query on the way
            self._organization_children(orgs)
            self._location_children(locations)
            for record in self.records:
                self._service(record)
        self._annotations()
        self.issues.raise_if_any()
        self.session.flush()
        # The attribute and history collections are view-only; reload them before comparing and indexing.
        self.session.expire_all()
        self._history()
        self.session.flush()
        self.session.expire_all()
        self.stats.service_ids = [str(r.data["id"]) for r in self.records]
        for kind, ids in ((k, self._first(k)) for k in _UPSERTED):
            self.written[kind].update(ids)
        # Services of a re-imported organization that are not in this file carry its name in their index too.
        same_org = list(self.session.scalars(select(Service.id).where(Service.organization_id.in_(orgs))))
        self._rows.clear()
        # The index reads each service's organization type: load the organizations' attributes in bulk (also
        # those an earlier batch wrote), and hold them, rather than one lazy load per service.
        org_ids = {*orgs, *(str(r.data["organization"]["id"]) for r in self.records)}
        self.stats.index_rows = index_services(
            self.session, {*self.stats.service_ids, *same_org}, org_ids, encoder=self.encoder, carried=carried
        )
        return self.stats


def index_services(
    session: Session,
    service_ids: Iterable[str],
    organization_ids: Iterable[str],
    *,
    encoder: SentenceEncoder | None = None,
    carried: dict[str, bytes] | None = None,
) -> int:
    """Rebuild the search documents of flushed services, their organizations' attributes loaded in bulk."""
    held = [
        org
        for chunk in _chunks(list(organization_ids))
        for org in session.scalars(
            select(Organization).where(Organization.id.in_(chunk)).options(
                selectinload(Organization.attributes).joinedload(Attribute.taxonomy_term)
            )
        )
    ]
    # Everything is flushed: without autoflush, each lazy load of the index build skips a scan of the
    # whole identity map (thousands of rows after a large import), which made it quadratic.
    with session.no_autoflush:
        written = rebuild_index(session, service_ids, encoder=encoder, carried=carried)
    del held
    return written


def prune_source(
    session: Session, imported: set[str], source: str, *, now: datetime, user: str
) -> list[tuple[str, str]]:
    """Archive the services of ``source`` that the (full) feed no longer has, with a history row each and
    their search documents rebuilt; returns their (id, name), in name order."""
    query = (
        select(Service)
        .join(Attribute, and_(Attribute.link_id == Service.id, Attribute.link_entity == "service"))
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(TaxonomyTerm.taxonomy == SOURCE_TAXONOMY, Attribute.value == source)
        .where(Service.status.not_in(("inactive", "defunct")))
    )
    found = (service for service in session.scalars(query) if service.id not in imported)
    archived = sorted(found, key=lambda service: (service.name, service.id))
    when = format_datetime(now)
    for service in archived:
        change = history.Change("status", service.status, "inactive")
        session.add(history.row(service.id, history.ARCHIVE, change, position=0, when=when, user=user))
        service.status = "inactive"
        service.last_modified = now
    out = [(s.id, s.name) for s in archived]
    session.flush()
    if archived:
        index_services(session, [s.id for s in archived], {s.organization_id for s in archived})
    return out
