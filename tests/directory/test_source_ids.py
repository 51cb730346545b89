"""Stable ids: a feed's own ids ("palvelu-17", 42) become UUIDv5s, and every reference to them with them;
the original is kept and shown (``ovi_source_id``); the same file again maps to the same ids and changes
nothing."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db import hsds, schemas
from directory_db.export import export_hsds_json, export_services
from directory_db.importers import ImportValidationError, import_hsds_json
from directory_db.importers.source_ids import is_uuid, stable_id
from directory_db.importers.terms import OVI_NAMESPACE
from directory_db.models import Location, Organization, Service

from .conftest import row_counts, valid_records, write_json

JSON = dict[str, Any]


def feed() -> list[JSON]:
    """Two services of the fixture renamed the way a municipality's own system numbers them."""
    first, last = copy.deepcopy(valid_records()[0]), copy.deepcopy(valid_records()[5])
    for service, number in ((first, "palvelu-17"), (last, "palvelu-18")):
        service["id"] = number
        service["organization_id"] = "org-1"
        service["organization"]["id"] = "org-1"
        for attribute in service["organization"]["attributes"]:
            attribute["id"] = f"org-1-type-{attribute['taxonomy_term']['code']}"
        for i, phone in enumerate(service.get("phones", [])):
            phone["id"] = f"{number}-puhelin-{i}"
            phone["service_id"] = number
        for sal in service["service_at_locations"]:
            sal["id"] = f"{number}-paikka"
            sal["location_id"] = "paikka-3"
            sal["location"]["id"] = "paikka-3"
            sal["location"]["organization_id"] = "org-1"
            for address in sal["location"]["addresses"]:
                address["id"] = 4711  # a number, as JSON feeds often have
                address["location_id"] = "paikka-3"
        for attribute in service["attributes"]:
            attribute["link_id"] = number
    last["program"]["id"] = last["program_id"] = "ohjelma-1"
    last["program"]["organization_id"] = "org-1"
    for service in (first, last):
        service["organization"]["programs"][0].update(id="ohjelma-1", organization_id="org-1")
    return [first, last]


def test_stable_ids_are_uuid5_of_kind_and_original() -> None:
    assert stable_id("service", "palvelu-17") == str(uuid.uuid5(OVI_NAMESPACE, "service:palvelu-17"))
    assert stable_id("service", "17") != stable_id("location", "17")
    assert is_uuid(str(uuid.uuid4())) and is_uuid(str(uuid.uuid4()).upper())
    assert not is_uuid("palvelu-17") and not is_uuid(17) and not is_uuid("")


def test_a_feed_with_its_own_ids_is_imported_under_stable_uuids(session: Session, tmp_path: Path) -> None:
    result = import_hsds_json(session, write_json(tmp_path / "feed.json", feed()))
    service_id = stable_id("service", "palvelu-17")
    org_id, location_id = stable_id("organization", "org-1"), stable_id("location", "paikka-3")
    assert result.service_ids == (service_id, stable_id("service", "palvelu-18"))
    service = session.get(Service, service_id)
    assert service is not None and service.organization_id == org_id
    assert [sal.location_id for sal in service.service_at_locations] == [location_id]
    assert service.phones[0].id == stable_id("phone", "palvelu-17-puhelin-0")
    assert service.service_at_locations[0].location.addresses[0].id == stable_id("address", 4711)
    # The originals are kept and shown, as attributes (and for the organization, as an identifier).
    assert service.source_id == "palvelu-17"
    organization = session.get(Organization, org_id)
    location = session.get(Location, location_id)
    assert organization is not None and organization.source_id == "org-1"
    assert [(i.identifier_scheme, i.identifier) for i in organization.organization_identifiers][-1] == (
        "ovi_source_id", "org-1",
    )  # fmt: skip
    assert location is not None and location.source_id == "paikka-3"
    assert len(session.scalars(select(Organization)).all()) == 1  # shared by both services
    out = hsds.service(service)
    assert {"taxonomy": "ovi_source_id", "value": "palvelu-17"} in [
        {"taxonomy": a["taxonomy_term"]["taxonomy"], "value": a.get("value")} for a in out["attributes"]
    ]
    assert schemas.iter_errors("compiled/service", out) == []
    other = session.get(Service, stable_id("service", "palvelu-18"))
    assert other is not None and other.program_id == stable_id("program", "ohjelma-1")
    assert other.program is not None and other.program.name == "Läheisten tuki Kymenlaaksossa"


def test_the_same_feed_again_maps_to_the_same_ids_and_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "feed.json", feed())
    import_hsds_json(session, path)
    counts, exported = row_counts(session), export_services(session)
    again = import_hsds_json(session, path)
    assert (again.services_created, again.services_unchanged, again.history_rows) == (0, 2, 0)
    session.expire_all()
    assert row_counts(session) == counts and export_services(session) == exported


def test_export_of_a_mapped_feed_round_trips(session: Session, tmp_path: Path) -> None:
    import_hsds_json(session, write_json(tmp_path / "feed.json", feed()))
    first = tmp_path / "first.json"
    export_hsds_json(session, first)
    counts = row_counts(session)
    import_hsds_json(session, first)  # UUIDs now: nothing is mapped again, nothing changes
    assert row_counts(session) == counts
    second = tmp_path / "second.json"
    export_hsds_json(session, second)
    assert first.read_bytes() == second.read_bytes()


def test_errors_name_the_record_by_its_original_id(session: Session, tmp_path: Path) -> None:
    records = feed()
    records[0]["service_areas"][0]["uri"] = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/999"
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    assert 'palvelu #1 (id=palvelu-17, nimi="Päihdetyön avopalvelu"): kenttä service_areas[0].uri' in str(
        raised.value
    )
    assert set(row_counts(session).values()) == {0}


def test_the_same_own_id_twice_is_still_a_duplicate(session: Session, tmp_path: Path) -> None:
    records = feed()
    records[1]["phones"] = [{**records[0]["phones"][0], "service_id": "palvelu-18"}]
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    assert "palvelu #2 (id=palvelu-18" in str(raised.value) and "kenttä phones[0].id" in str(raised.value)
    assert set(row_counts(session).values()) == {0}
