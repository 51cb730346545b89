"""Writes validated service records in the caller's transaction: upsert by id, children replaced.

Order matters: replaced services (and the children of re-imported organizations and locations) are deleted
and flushed first, so new rows may reuse their ids; only then are ids that still exist found to belong to
some other record, which is an error rather than a silent takeover.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder

from .. import hsds_fields as f
from ..areas import classify_service_area
from ..models import (
    Address,
    Attribute,
    Base,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    as_utc,
)
from ..search_index import rebuild_index, saved_embeddings
from .errors import IssueCollector
from .structure import KINDS, Node, Record, children, walk
from .terms import TermResolver

# Tables whose ids must not already belong to a record this import does not replace.
_CHILD_MODELS: dict[str, type[Base]] = {
    "phone": Phone, "schedule": Schedule, "language": Language, "address": Address,
    "service_area": ServiceArea, "service_at_location": ServiceAtLocation, "attribute": Attribute,
}  # fmt: skip

# Attribute fields the writer sets from the nesting rather than copying from the file.
_ATTRIBUTE_SET_HERE = f.LINK_FIELDS | {"link_entity"}


@dataclass
class WriteStats:
    services_created: int = 0
    services_updated: int = 0
    organizations_created: int = 0
    organizations_updated: int = 0
    locations_created: int = 0
    locations_updated: int = 0
    index_rows: int = 0
    service_ids: list[str] = field(default_factory=list)


def _value(name: str, value: Any) -> Any:
    if name == "last_modified" and isinstance(value, str):
        return as_utc(datetime.fromisoformat(value))
    return value


def _columns(
    data: dict[str, Any], names: Iterable[str], skip: frozenset[str] = f.LINK_FIELDS
) -> dict[str, Any]:
    """Column values from an HSDS object: absent fields become NULL, so an update replaces the row."""
    return {name: _value(name, data.get(name)) for name in names if name not in skip}


def _ordered(model: type[Any], items: list[dict[str, Any]], names: Iterable[str]) -> list[Any]:
    names = tuple(names)
    return [model(position=i, **_columns(item, names)) for i, item in enumerate(items)]


class RecordWriter:
    def __init__(
        self,
        session: Session,
        records: Sequence[Record],
        issues: IssueCollector,
        *,
        now: datetime,
        encoder: SentenceEncoder | None = None,
    ) -> None:
        self.session = session
        self.encoder = encoder
        self.now = now
        self.records = records
        self.issues = issues
        self.stats = WriteStats()
        self.terms = TermResolver(session, issues)
        self._nodes = [(record, node) for record in records for node in walk("service", record.data)]

    def _first(self, kind: str) -> dict[str, tuple[Record, Node]]:
        out: dict[str, tuple[Record, Node]] = {}
        for record, node in self._nodes:
            if node.kind == kind and node.id is not None:
                out.setdefault(node.id, (record, node))
        return out

    # -- step 1: make room --------------------------------------------------------------------------------

    def _delete_replaced_services(self) -> None:
        ids = [str(r.data["id"]) for r in self.records]
        existing = self.session.scalars(select(Service).where(Service.id.in_(ids))).all()
        for service in existing:
            self.session.delete(service)
        self._delete_attributes("service", ids)
        self.stats.services_updated = len(existing)
        self.stats.services_created = len(ids) - len(existing)

    def _delete_attributes(self, entity: str, ids: list[str]) -> None:
        self.session.execute(
            delete(Attribute).where(Attribute.link_entity == entity, Attribute.link_id.in_(ids)),
            execution_options={"synchronize_session": "fetch"},
        )

    def _upsert_organizations(self) -> dict[str, tuple[Record, Node]]:
        orgs = self._first("organization")
        existing = {
            o.id: o for o in self.session.scalars(select(Organization).where(Organization.id.in_(orgs)))
        }
        for org_id, (_, node) in orgs.items():
            values = _columns(node.data, f.ORGANIZATION_SCALARS, skip=frozenset({"id"}))
            org = existing.get(org_id)
            if org is None:
                self.session.add(Organization(id=org_id, **values))
            else:
                for name, value in values.items():
                    setattr(org, name, value)
                org.phones.clear()
        self._delete_attributes("organization", list(existing))
        self.stats.organizations_updated = len(existing)
        self.stats.organizations_created = len(orgs) - len(existing)
        return orgs

    def _upsert_locations(self) -> dict[str, tuple[Record, Node]]:
        locations = self._first("location")
        existing = {x.id: x for x in self.session.scalars(select(Location).where(Location.id.in_(locations)))}
        for location_id, (_, node) in locations.items():
            values = _columns(node.data, f.LOCATION_SCALARS, skip=frozenset({"id"}))
            location = existing.get(location_id)
            if location is None:
                self.session.add(Location(id=location_id, **values))
            else:
                for name, value in values.items():
                    setattr(location, name, value)
                for collection in (
                    location.addresses,
                    location.phones,
                    location.schedules,
                    location.languages,
                ):
                    collection.clear()
        self.stats.locations_updated = len(existing)
        self.stats.locations_created = len(locations) - len(existing)
        return locations

    # -- step 2: what still collides is an error ----------------------------------------------------------

    def _check_taken_ids(self) -> None:
        for kind, model in _CHILD_MODELS.items():
            wanted = self._first(kind)
            if not wanted:
                continue
            id_column = model.__table__.c.id
            for taken in self.session.scalars(select(id_column).where(id_column.in_(wanted))):
                record, node = wanted[taken]
                self.issues.add(
                    record.label,
                    node.field_path("id"),
                    f"{KINDS[kind].genitive_fi} id {taken} on jo tietokannassa toisen tietueen käytössä",
                )

    def _check_location_organizations(self, known_orgs: Iterable[str]) -> None:
        wanted = {
            str(node.data["organization_id"]): (record, node)
            for record, node in self._nodes
            if node.kind == "location" and node.data.get("organization_id") is not None
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

    def _attributes(self, record: Record, owner: Node, entity: str) -> None:
        for position, item in enumerate(children(owner.data, "attributes")):
            term_node = Node(
                "taxonomy_term",
                f"{owner.field_path('attributes')}[{position}].taxonomy_term",
                item["taxonomy_term"],
                None,
            )
            term = self.terms.resolve(record.label, term_node)
            if term is None:
                continue
            self.session.add(Attribute(
                position=position, link_id=owner.id, link_entity=entity, taxonomy_term=term,
                **_columns(item, f.ATTRIBUTE_SCALARS, skip=_ATTRIBUTE_SET_HERE),
            ))  # fmt: skip

    def _organization_children(self, orgs: dict[str, tuple[Record, Node]]) -> None:
        for org_id, (record, node) in orgs.items():
            org = self.session.get(Organization, org_id)
            assert org is not None
            org.phones = _ordered(Phone, children(node.data, "phones"), f.PHONE_SCALARS)
            self._attributes(record, node, "organization")

    def _location_children(self, locations: dict[str, tuple[Record, Node]]) -> None:
        for location_id, (_, node) in locations.items():
            location = self.session.get(Location, location_id)
            assert location is not None
            data = node.data
            location.addresses = _ordered(Address, children(data, "addresses"), f.ADDRESS_SCALARS)
            location.phones = _ordered(Phone, children(data, "phones"), f.PHONE_SCALARS)
            location.schedules = _ordered(Schedule, children(data, "schedules"), f.SCHEDULE_SCALARS)
            location.languages = _ordered(Language, children(data, "languages"), f.LANGUAGE_SCALARS)

    @staticmethod
    def _service_area(position: int, data: dict[str, Any]) -> ServiceArea:
        area = classify_service_area(data.get("uri"), data.get("extent"), data.get("extent_type"))
        return ServiceArea(
            position=position,
            area_level=area.level,
            area_code=area.code,
            **_columns(data, f.SERVICE_AREA_SCALARS),
        )

    def _service(self, record: Record) -> None:
        data = record.data
        service = Service(organization_id=data["organization"]["id"], **_columns(data, f.SERVICE_SCALARS))
        if service.last_modified is None:
            service.last_modified = self.now
        service.phones = _ordered(Phone, children(data, "phones"), f.PHONE_SCALARS)
        service.schedules = _ordered(Schedule, children(data, "schedules"), f.SCHEDULE_SCALARS)
        service.languages = _ordered(Language, children(data, "languages"), f.LANGUAGE_SCALARS)
        service.service_areas = [
            self._service_area(i, a) for i, a in enumerate(children(data, "service_areas"))
        ]
        service.service_at_locations = [
            ServiceAtLocation(
                position=i, location_id=sal["location"]["id"],
                phones=_ordered(Phone, children(sal, "phones"), f.PHONE_SCALARS),
                schedules=_ordered(Schedule, children(sal, "schedules"), f.SCHEDULE_SCALARS),
                **_columns(sal, f.SERVICE_AT_LOCATION_SCALARS),
            )
            for i, sal in enumerate(children(data, "service_at_locations"))
        ]  # fmt: skip
        self.session.add(service)
        self._attributes(record, Node("service", "", data, None), "service")

    # -- all of it ----------------------------------------------------------------------------------------

    def write(self) -> WriteStats:
        """Write every record; on any issue, raise before returning (the caller rolls back)."""
        # Vectors of services about to be replaced: reused where their text has not changed.
        carried = saved_embeddings(self.session, [str(r.data["id"]) for r in self.records])
        self._delete_replaced_services()
        orgs = self._upsert_organizations()
        locations = self._upsert_locations()
        self.session.flush()
        self._check_taken_ids()
        self._check_location_organizations(orgs)
        self.issues.raise_if_any()

        self.terms.load_taxonomy_details(node for _, node in self._nodes)
        self._organization_children(orgs)
        self._location_children(locations)
        for record in self.records:
            self._service(record)
        self.issues.raise_if_any()
        self.session.flush()
        # The attribute collections are view-only; reload them before indexing.
        self.session.expire_all()
        self.stats.service_ids = [str(r.data["id"]) for r in self.records]
        # Services of a re-imported organization that are not in this file carry its name in their index too.
        same_org = self.session.scalars(select(Service.id).where(Service.organization_id.in_(orgs)))
        self.stats.index_rows = rebuild_index(
            self.session, {*self.stats.service_ids, *same_org}, encoder=self.encoder, carried=carried
        )
        return self.stats
