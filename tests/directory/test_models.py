"""Models: the organization type → provider type rule, derived helpers, cascades."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory_db.areas import AreaRef
from directory_db.importers import ImportResult
from directory_db.models import Attribute, Organization, Phone, Service, ServiceArea, TaxonomyTerm
from directory_db.profile import PROVIDER_TYPES

from .conftest import SERVICE_IDS


def _org_with_type(session: Session, code: str | None) -> Organization:
    org = Organization(id=f"org-{code}", name=f"Org {code}", description="testi")
    session.add(org)
    if code is not None:
        term = TaxonomyTerm(
            id=f"term-{code}", taxonomy="ptv_organization_type", code=code, name=code, description=code
        )
        session.add_all(
            [
                term,
                Attribute(id=f"attr-{code}", link_id=org.id, link_entity="organization", taxonomy_term=term),
            ]
        )
    session.flush()
    session.expire(org)
    return org


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("Organization", "ngo"),
        ("Municipality", "public"),
        ("Region", "public"),
        ("State", "public"),
        ("SotePublic", "public"),
        ("Company", "private"),
        ("SotePrivate", "private"),
        ("parish", "parish"),
        (None, None),
    ],
)
def test_provider_type_from_organization_type(
    session: Session, code: str | None, expected: str | None
) -> None:
    org = _org_with_type(session, code)
    assert org.organization_type == code
    assert org.provider_type == expected


def test_every_organization_type_has_a_provider_type() -> None:
    assert set(PROVIDER_TYPES.values()) == {"ngo", "public", "parish", "private"}


def test_provider_types_of_imported_organizations(session: Session, imported: ImportResult) -> None:
    by_name = {o.name: o.provider_type for o in session.scalars(select(Organization))}
    assert by_name == {
        "Kymen A-kilta ry": "ngo",
        "Kymenlaakson hyvinvointialue": "public",
        "Kriisiapu ry": "ngo",
        "Kotkan seurakuntayhtymä": "parish",
        "Terapiapalvelu Lahti Oy": "private",
    }


def test_service_helpers(session: Session, imported: ImportResult) -> None:
    service = session.get(Service, SERVICE_IDS["Mielenterveys- ja päihdeneuvonta"])
    assert service is not None
    assert service.service_classes == ("P5.7", "P5.17")
    assert service.target_groups == ()
    assert service.area_refs == (AreaRef("county", "10"),)
    nationwide = session.get(Service, SERVICE_IDS["Valtakunnallinen kriisipuhelin"])
    assert nationwide is not None and nationwide.area_refs == (AreaRef("nationwide", "FI"),)


def test_search_fields_are_declared_on_the_model(session: Session, imported: ImportResult) -> None:
    assert Service.SEARCH_FIELDS["name"] == 3
    assert Service.SEARCH_FIELDS["classes"] == 2
    assert Service.SEARCH_FIELDS["organization"] == 1
    assert Service.SEARCH_FIELDS["description"] == 1
    service = session.get(Service, SERVICE_IDS["Päihdetyön avopalvelu"])
    assert service is not None
    texts = service.search_texts()
    assert texts.keys() == Service.SEARCH_FIELDS.keys()
    assert texts["organization"] == ["Kymen A-kilta ry"]
    assert "Päihde- ja mielenterveyspalvelut" in texts["classes"]


def test_deleting_a_service_deletes_its_children(session: Session, imported: ImportResult) -> None:
    service = session.get(Service, SERVICE_IDS["Päihdetyön avopalvelu"])
    assert service is not None
    session.delete(service)
    session.commit()
    for model, column in ((Phone, Phone.service_id), (ServiceArea, ServiceArea.service_id)):
        count = session.scalar(select(func.count()).select_from(model).where(column == service.id))
        assert count == 0
    # The shared organization stays: another service still uses it.
    assert session.get(Organization, service.organization_id) is not None
