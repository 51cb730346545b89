"""The fast path of the writer for a batch that only adds: bulk ``INSERT``s of plain rows, no ORM objects.

A first import of a large feed is all new services with new organizations and locations. For such a batch
(no service, organization, location, program or file-history row of it is in the database yet) there is
nothing to read before, replace, compare or clear, so the rows are built as dicts straight from the records
and written with one executemany per table, which is an order of magnitude faster than the ORM's unit of
work. The rows are exactly those :class:`.writer.RecordWriter` would write (the same column helpers, the
same checks of ids taken by other records and of organizations named; the tests compare both paths); any
batch that touches existing data goes through :class:`.writer.RecordWriter`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, inspect, select
from sqlalchemy.orm import Session

from .. import hsds_fields as f
from ..areas import classify_service_area
from ..db import insert_many
from ..models import (
    Attribute,
    Base,
    Location,
    Metadata,
    Organization,
    Program,
    SearchDocument,
    Service,
    ServiceAtLocation,
)
from ..search_index import lock_for_write, write_documents
from . import history
from .structure import Node, Record, children
from .unsaved import build_documents, service_values
from .writer import (
    _ATTRIBUTE_SET_HERE,
    _CHILD_MODELS,
    _CHILDREN,
    _LOCATION_LISTS,
    _ORGANIZATION_LISTS,
    _SERVICE_LISTS,
    RecordWriter,
    WriteStats,
    _chunks,
    _columns,
    _list_kind,
    shared_values,
)

if TYPE_CHECKING:
    from .documents import BatchDocuments

_SHARED_MODELS: dict[str, type[Base]] = {
    "organization": Organization, "location": Location, "program": Program,
}  # fmt: skip
_SAL_LISTS = ("phones", "schedules", "contacts")


@cache
def _link_column(owner: type[Base], relationship: str) -> str:
    """The column of a child row that names its owner through ``relationship`` (e.g. phones.service_id)."""
    pairs = inspect(owner).relationships[relationship].local_remote_pairs or []
    ((_, remote),) = pairs
    return str(remote.name)


class BulkWriter(RecordWriter):
    documents: BatchDocuments | None = None
    """Builds the batch's search documents (documents.py: in a worker process); None: built here."""

    def applies(self) -> bool:
        """True when nothing of the batch is in the database yet (the common case of a first import)."""
        service_ids = [str(r.data["id"]) for r in self.records]
        if self._any_stored(Service, service_ids):
            return False
        for kind, model in _SHARED_MODELS.items():
            if self._any_stored(model, list(self._first(kind))):
                return False
        history_ids = [str(n.data["id"]) for _, n in self._nodes if n.kind == "metadata" and n.data.get("id")]
        return not self._any_stored(Metadata, history_ids)

    def _any_stored(self, model: type[Base], ids: list[str]) -> bool:
        if model in self.empty:
            return False
        column = model.__table__.c.id
        return any(
            self.session.scalar(select(column).where(column.in_(chunk)).limit(1)) is not None
            for chunk in _chunks(ids)
        )

    def write(self) -> WriteStats:
        lock_for_write(self.session)
        service_ids = [str(r.data["id"]) for r in self.records]
        self._delete_attributes("service", service_ids)  # left over from services deleted by other means
        orgs, locations = self._first("organization"), self._first("location")
        self._check_organizations("location", orgs)
        self._check_organizations("program", orgs)
        self._check_taken_ids()
        self.issues.raise_if_any()
        rows = _Rows()
        for kind in ("organization", "location", "program"):
            model = _SHARED_MODELS[kind]
            names = {"organization": f.ORGANIZATION_SCALARS, "location": f.LOCATION_SCALARS}.get(
                kind, f.PROGRAM_SCALARS
            )
            lists = {"organization": _ORGANIZATION_LISTS, "location": _LOCATION_LISTS}.get(kind, ())
            for object_id, (_, node) in self._first(kind).items():
                rows.add(model, {"id": object_id, **shared_values(kind, node, names)})
                rows.lists(model, kind, object_id, node.data, lists)
        for record in self.records:
            self._service_rows(rows, record)
        self.terms.load_taxonomy_details(node for _, node in self._nodes)
        self._annotation_rows(rows)
        self.issues.raise_if_any()
        self.session.flush()  # the taxonomy terms and taxonomies the attributes name
        history_rows = self._history_rows(rows)
        rows.insert(self.session)
        self.stats.services_created = len(service_ids)
        self.stats.organizations_created = len(orgs)
        self.stats.locations_created = len(locations)
        self.stats.history_rows = history_rows
        self.stats.service_ids = service_ids
        for kind in self.written:
            self.written[kind].update(self._first(kind))
        if self.documents is not None:
            documents = self.documents.take(self.records)
        else:
            documents = build_documents(self.records, self.now, self.terms)
        self.stats.index_rows = write_documents(
            self.session, documents, service_ids, encoder=self.encoder, new=SearchDocument in self.empty
        )
        return self.stats

    def _service_rows(self, rows: _Rows, record: Record) -> None:
        """Adds the rows of one service."""
        data = record.data
        values = service_values(record, self.now)
        rows.add(Service, values)
        rows.lists(Service, "service", values["id"], data, _SERVICE_LISTS)
        for i, sal in enumerate(children(data, "service_at_locations")):
            sal_values = {
                "position": i, "service_id": values["id"], "location_id": sal["location"]["id"],
                **_columns(sal, f.SERVICE_AT_LOCATION_SCALARS),
            }  # fmt: skip
            rows.add(ServiceAtLocation, sal_values)
            rows.lists(ServiceAtLocation, "service_at_location", sal_values["id"], sal, _SAL_LISTS)

    def _annotation_rows(self, rows: _Rows) -> None:
        """Attributes and the history rows the file brings, once per object (as ``_annotations`` does)."""
        done: set[tuple[str, str]] = set()
        history_done: set[str] = set()
        for record, node in self._nodes:
            if node.kind not in f.ANNOTATED or node.id is None or (node.kind, node.id) in done:
                continue
            done.add((node.kind, node.id))
            self._attribute_rows(rows, record, node)
            for position, item in enumerate(children(node.data, "metadata")):
                if str(item["id"]) in history_done:
                    continue
                history_done.add(str(item["id"]))
                values = _columns(item, f.METADATA_SCALARS, skip=frozenset({"id"}))
                values["resource_id"] = item.get("resource_id") or node.id
                values["resource_type"] = item.get("resource_type") or node.kind
                rows.add(Metadata, {"id": item["id"], "position": position, **values})

    def _attribute_rows(self, rows: _Rows, record: Record, owner: Node) -> None:
        for position, item, term in self.terms.attribute_terms(record.label, owner):
            rows.add(Attribute, {
                "position": position, "link_id": owner.id, "link_entity": owner.kind,
                "taxonomy_term_id": term.id, **_columns(item, f.ATTRIBUTE_SCALARS, skip=_ATTRIBUTE_SET_HERE),
            })  # fmt: skip

    def _history_rows(self, rows: _Rows) -> int:
        """One create row per service, unless the file's own history has one."""
        count = 0
        for record in self.records:
            if history.has_create_row(children(record.data, "metadata")):
                continue
            service_id = str(record.data["id"])
            created = history.Change("id", "", service_id)
            values = history.row_values(
                service_id, history.CREATE, created, position=0, when=self.when, user=self.user
            )
            rows.add(Metadata, values)
            count += 1
        return count


WRITTEN_MODELS: frozenset[type[Base]] = frozenset({
    Service, Metadata, SearchDocument, *_SHARED_MODELS.values(), *_CHILD_MODELS.values(),
})  # fmt: skip
"""Every model an import writes rows of."""


def empty_tables(session: Session) -> frozenset[type[Base]]:
    """The models whose ids a bulk batch looks up whose tables hold no rows (an import into a new
    directory): its checks skip them (RecordWriter.empty), and its search documents replace none."""
    return frozenset(model for model in WRITTEN_MODELS if session.scalar(_any_key(model)) is None)


def _any_key(model: type[Base]) -> Select[tuple[Any]]:
    key = next(iter(model.__table__.primary_key))  # ``id``; a search document's is its service's id
    return select(key).limit(1)


class _Rows:
    """Plain rows by table, inserted parents first with one executemany per table and set of columns."""

    def __init__(self) -> None:
        self._by_table: dict[Table, dict[tuple[str, ...], list[dict[str, Any]]]] = defaultdict(dict)

    def add(self, model: type[Base], values: dict[str, Any]) -> None:
        table = model.__table__
        assert isinstance(table, Table)
        self._by_table[table].setdefault(tuple(values), []).append(values)

    def lists(
        self, owner: type[Base], kind: str, owner_id: str, data: dict[str, Any], names: Iterable[str]
    ) -> None:
        """The rows of the child lists ``names`` of an object, with their own nested lists (as ``_build``)."""
        for name in names:
            child_kind = _list_kind(kind, name)
            model, scalars, nested = _CHILDREN[child_kind]
            link = _link_column(owner, name)
            for position, item in enumerate(children(data, name)):
                values = {"position": position, link: owner_id, **_columns(item, scalars)}
                if child_kind == "service_area":
                    area = classify_service_area(item.get("uri"), item.get("extent"), item.get("extent_type"))
                    values |= {"area_level": area.level, "area_code": area.code}
                self.add(model, values)
                if nested:
                    self.lists(model, child_kind, str(item["id"]), item, nested)

    def insert(self, session: Session) -> None:
        for table in Base.metadata.sorted_tables:
            for batch in self._by_table.get(table, {}).values():
                insert_many(session, table, batch)
