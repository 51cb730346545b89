"""HSDS serializers validate against the compiled HSDS 3.0 schemas shipped in directory_db/schemas."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db import hsds, schemas
from directory_db.importers import ImportResult
from directory_db.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

from .conftest import SERVICE_IDS


def _assert_valid(schema: str, instance: object) -> None:
    errors = schemas.iter_errors(schema, instance)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_schemas_are_shipped_with_the_package() -> None:
    assert schemas.HSDS_DIR.is_relative_to(schemas.HSDS_DIR.parents[1])
    assert (schemas.HSDS_DIR / "LICENSE.md").read_text(encoding="utf-8").count("CC BY-SA 4.0") >= 1
    for name in (
        "compiled/service",
        "compiled/service_list",
        "compiled/organization",
        "compiled/organization_list",
        "compiled/service_at_location",
        "compiled/service_at_location_list",
        "taxonomy",
        "taxonomy_term",
    ):
        assert schemas.load_schema(name)["type"] == "object"


def test_the_schemas_catch_bad_data() -> None:
    assert schemas.iter_errors("compiled/service", {"id": "x", "name": "n", "status": "active"})
    assert schemas.iter_errors(
        "compiled/service", {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "n"}
    )
    bad_time = {
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "name": "n",
        "status": "active",
        "last_modified": "2024-05-01 09:00",
    }
    assert schemas.iter_errors("compiled/service", bad_time)


def test_full_services_validate(session: Session, imported: ImportResult) -> None:
    for service in session.scalars(select(Service)):
        _assert_valid("compiled/service", hsds.service(service))


def test_service_list_items_validate(session: Session, imported: ImportResult) -> None:
    for service in session.scalars(select(Service)):
        item = hsds.service_list_item(service)
        _assert_valid("compiled/service_list", item)
        assert "phones" not in item and item["organization"]["name"] == service.organization.name


def test_organizations_validate(session: Session, imported: ImportResult) -> None:
    for org in session.scalars(select(Organization)):
        full = hsds.organization(org)
        _assert_valid("compiled/organization", full)
        _assert_valid("compiled/organization_list", hsds.organization_list_item(org))
        assert {s["id"] for s in full["services"]} == {s.id for s in org.services}
    akilta = session.scalars(select(Organization).where(Organization.name == "Kymen A-kilta ry")).one()
    assert len(hsds.organization(akilta)["services"]) == 2


def test_taxonomies_and_terms_validate(session: Session, imported: ImportResult) -> None:
    for taxonomy in session.scalars(select(Taxonomy)):
        _assert_valid("taxonomy", hsds.taxonomy(taxonomy))
    terms = session.scalars(select(TaxonomyTerm)).all()
    assert terms
    for term in terms:
        out = hsds.taxonomy_term(term)
        _assert_valid("taxonomy_term", out)
        assert out["taxonomy_detail"]["name"] == term.taxonomy


def test_service_at_locations_validate(session: Session, imported: ImportResult) -> None:
    for sal in session.scalars(select(ServiceAtLocation)):
        _assert_valid("compiled/service_at_location_list", hsds.service_at_location_list_item(sal))
        _assert_valid("compiled/service_at_location", hsds.service_at_location(sal))


def test_full_service_content(session: Session, imported: ImportResult) -> None:
    service = session.get(Service, SERVICE_IDS["Päihdetyön avopalvelu"])
    assert service is not None
    out = hsds.service(service)
    assert out["organization"]["attributes"][0]["taxonomy_term"]["code"] == "Organization"
    assert out["service_areas"][0]["uri"].endswith("/kunta_1_20230101/code/285")
    assert out["attributes"][0]["taxonomy_term"]["term_uri"].endswith("/ptvserclass2/code/P5.7")
    assert out["last_modified"] == "2024-05-02T08:00:00Z"
    location = out["service_at_locations"][0]["location"]
    assert location["latitude"] == 60.4664 and location["addresses"][0]["city"] == "Kotka"
    assert "area_level" not in out["service_areas"][0]  # internal column, not HSDS
    assert all(value is not None for value in out.values())


@pytest.mark.parametrize(
    ("total", "page", "per_page", "expected"),
    [
        (45, 1, 20, {"total_pages": 3, "first_page": True, "last_page": False}),
        (45, 3, 20, {"total_pages": 3, "first_page": False, "last_page": True}),
        (0, 1, 20, {"total_pages": 0, "first_page": True, "last_page": True, "empty": True}),
        (20, 1, 20, {"total_pages": 1, "first_page": True, "last_page": True}),
    ],
)
def test_page_envelope(total: int, page: int, per_page: int, expected: dict[str, object]) -> None:
    contents = [{"id": str(i)} for i in range(min(per_page, max(total - (page - 1) * per_page, 0)))]
    out = hsds.page(contents, total, page, per_page)
    assert list(out) == [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ]
    assert out["total_items"] == total and out["page_number"] == page and out["size"] == len(contents)
    assert out["empty"] == (not contents)
    for key, value in expected.items():
        assert out[key] == value


def test_datetimes_are_utc_with_z() -> None:
    helsinki = timezone(timedelta(hours=3))
    assert hsds.format_datetime(datetime(2024, 5, 2, 11, 0, tzinfo=helsinki)) == "2024-05-02T08:00:00Z"
    assert hsds.format_datetime(datetime(2024, 5, 2, 8, 0, 0, 123000)) == "2024-05-02T08:00:00.123Z"
