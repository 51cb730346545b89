"""The services of a bulk-written batch as unsaved ORM objects, for indexing them without reading them back.

The bulk path (bulk.py) has just inserted a batch's rows from its records. Loading them again as ORM objects
(services with their attributes and terms, areas, languages, organizations and theirs) only to build their
search documents took longer than the inserts. Instead each service is rebuilt from its record with the same
column helpers the rows were made with, holding what :func:`..search_index.build_document` reads: the
service's columns, its attributes with their stored terms, service areas, languages, and its organization
with the organization's attributes. They are made the way the ORM makes loaded rows (values set without
change events, :func:`_unsaved`), five times faster than constructors, and never added to the session, so
nothing is written twice; the tests compare the documents with those the ORM writer's read-back gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Table
from sqlalchemy.orm.instrumentation import manager_of_class

from .. import hsds_fields as f
from ..areas import classify_service_area
from ..models import Attribute, Base, Language, Organization, Service, ServiceArea, TaxonomyTerm
from ..search_index import Document, build_document
from .structure import Node, Record, children
from .writer import _ATTRIBUTE_SET_HERE, _columns, shared_values

_Model = TypeVar("_Model", bound=Base)


def _unsaved(model: type[_Model], values: dict[str, Any], **related: Any) -> _Model:
    """A ``model`` object holding ``values`` and the ``related`` objects, as if loaded (no change events:
    a constructor records each value as a change, which is most of its cost and is never needed here).

    Related lists are plain lists rather than the ORM's instrumented ones (``set_committed_value``, a third
    of the cost): the object is only read, and reading an attribute the object holds returns it as is."""
    row: _Model = manager_of_class(model).new_instance()
    row.__dict__.update(values)
    row.__dict__.update(related)
    return row


class AttributeTerms(Protocol):
    """The stored terms of an object's attributes: the import's resolver (terms.TermResolver), or
    :class:`KnownTerms` in a worker process."""

    def attribute_terms(
        self, label: str, owner: Node
    ) -> Iterator[tuple[int, dict[str, Any], TaxonomyTerm]]: ...


class KnownTerms:
    """The import's resolved terms by the ids the file gives them, as detached copies: what
    :meth:`.terms.TermResolver.attribute_terms` answers once every term is resolved, without a session
    (documents.py's worker process must not use this process's database connection)."""

    def __init__(self, resolved: Mapping[str, TaxonomyTerm]) -> None:
        table = TaxonomyTerm.__table__
        assert isinstance(table, Table)
        names = [column.key for column in table.columns]
        self._by_file_id = {
            file_id: _unsaved(TaxonomyTerm, {name: getattr(term, name) for name in names})
            for file_id, term in resolved.items()
        }

    def attribute_terms(self, label: str, owner: Node) -> Iterator[tuple[int, dict[str, Any], TaxonomyTerm]]:
        for position, item in enumerate(children(owner.data, "attributes")):
            yield position, item, self._by_file_id[item["taxonomy_term"]["id"]]


def _attributes(terms: AttributeTerms, label: str, owner: Node) -> list[Attribute]:
    out = []
    for position, item, term in terms.attribute_terms(label, owner):
        values = _columns(item, f.ATTRIBUTE_SCALARS, skip=_ATTRIBUTE_SET_HERE)
        values |= {"position": position, "link_id": owner.id, "link_entity": owner.kind}
        values["taxonomy_term_id"] = term.id
        out.append(_unsaved(Attribute, values, taxonomy_term=term))
    return out


def _service_areas(data: dict[str, Any]) -> list[ServiceArea]:
    out = []
    for position, item in enumerate(children(data, "service_areas")):
        area = classify_service_area(item.get("uri"), item.get("extent"), item.get("extent_type"))
        values = _columns(item, f.SERVICE_AREA_SCALARS)
        values |= {"position": position, "area_level": area.level, "area_code": area.code}
        out.append(_unsaved(ServiceArea, values))
    return out


def service_values(record: Record, now: datetime) -> dict[str, Any]:
    """The row bulk.py inserts for a new service: its columns, with its organization's and program's ids
    and, when the record has none, ``now`` as its last modification."""
    data = record.data
    values = {"organization_id": data["organization"]["id"], **_columns(data, f.SERVICE_SCALARS)}
    program = data.get("program")
    if values["program_id"] is None and isinstance(program, dict):
        values["program_id"] = program["id"]
    if values["last_modified"] is None:
        values["last_modified"] = now
    return values


def build_documents(records: Sequence[Record], now: datetime, terms: AttributeTerms) -> list[Document]:
    """The search documents of the new services bulk.py writes from ``records``."""
    return [build_document(unsaved_service(record, service_values(record, now), terms)) for record in records]


def unsaved_service(record: Record, values: dict[str, Any], terms: AttributeTerms) -> Service:
    """The service of ``record`` whose row was inserted with ``values``, as far as its index reads it."""
    data = record.data
    node = Node("service", "", data, None)
    org_node = Node("organization", node.field_path("organization"), data["organization"], node)
    organization = _unsaved(
        Organization,
        {"id": org_node.id, **shared_values("organization", org_node, f.ORGANIZATION_SCALARS)},
        attributes=_attributes(terms, record.label, org_node),
    )
    languages = [
        _unsaved(Language, {"position": position, **_columns(item, f.LANGUAGE_SCALARS)})
        for position, item in enumerate(children(data, "languages"))
    ]
    return _unsaved(
        Service,
        values,
        organization=organization,
        attributes=_attributes(terms, record.label, node),
        service_areas=_service_areas(data),
        languages=languages,
    )
