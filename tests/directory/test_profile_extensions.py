"""Ovi's Finnish profile extensions (README.md "Finnish profile extensions"): eligibility and cost attributes
and their helpers, the confidential address that the public never sees, and the profile checks of the
extension attributes (bad input names the record and the field, nothing written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db import hsds, schemas
from directory_db.export import export_services
from directory_db.importers import ImportResult, ImportValidationError, import_hsds_json
from directory_db.importers.terms import ovi_attribute
from directory_db.models import Service, ServiceAtLocation
from directory_db.profile import OVI_TAXONOMIES
from directory_db.service_facts import address_of, cost_kinds, is_anonymous, is_free, needs_referral

from .conftest import SERVICE_IDS, row_counts, valid_records, write_json

Records = list[dict[str, Any]]
SHELTER = "Diakonian talous- ja velkaneuvonta"  # its location plays the shelter below


def _service(session: Session, name: str) -> Service:
    found = session.get(Service, SERVICE_IDS[name])
    assert found is not None
    return found


def test_taxonomies_have_finnish_names() -> None:
    for taxonomy in OVI_TAXONOMIES.values():
        assert taxonomy.description_fi and all(name[0].isupper() for name in taxonomy.codes.values())


def test_eligibility_and_cost_helpers(session: Session, imported: ImportResult) -> None:
    facts = {
        name: (is_free(s), is_anonymous(s), needs_referral(s), cost_kinds(s))
        for name in SERVICE_IDS
        if (s := _service(session, name))
    }
    assert facts == {
        "Päihdetyön avopalvelu": (True, True, False, ("free",)),
        "Mielenterveys- ja päihdeneuvonta": (True, False, True, ("free",)),
        "Valtakunnallinen kriisipuhelin": (True, True, False, ("free",)),
        "Diakonian talous- ja velkaneuvonta": (False, False, False, ()),  # not known: not "free"
        "Nuorten päihdeneuvonta": (False, False, False, ("fee", "service_voucher")),
        "Läheisten vertaistukiryhmä": (False, False, False, ()),
    }


def test_a_flag_said_false_does_not_hold(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    attribute = next(
        a for a in records[0]["attributes"] if a["taxonomy_term"]["taxonomy"] == "ovi_eligibility"
    )
    attribute["value"] = "false"  # "anonymous: no", said explicitly
    import_hsds_json(session, write_json(tmp_path / "x.json", records))
    assert not is_anonymous(_service(session, "Päihdetyön avopalvelu"))


# --- the confidential address ------------------------------------------------------------------------------


def _with_shelter(records: Records) -> Records:
    shelter = next(r for r in records if r["name"] == SHELTER)
    location = shelter["service_at_locations"][0]["location"]
    location["transportation"] = "Bussi 13, pysäkki Kirkkokatu"
    location.setdefault("attributes", []).append(
        ovi_attribute(location["id"], "ovi_location", "confidential_address")
    )
    return records


@pytest.fixture
def shelter(session: Session, tmp_path: Path) -> Service:
    import_hsds_json(session, write_json(tmp_path / "shelter.json", _with_shelter(valid_records())))
    return _service(session, SHELTER)


def test_the_public_never_sees_a_confidential_address(session: Session, shelter: Service) -> None:
    assert shelter.service_at_locations[0].location.confidential_address
    assert address_of(shelter) is None
    assert address_of(_service(session, "Päihdetyön avopalvelu")) == "Keskuskatu 10, 48100 Kotka"
    public = hsds.service(shelter)
    location = public["service_at_locations"][0]["location"]
    assert location["addresses"] == []
    assert {"latitude", "longitude", "transportation"}.isdisjoint(location)
    assert location["name"] == "Diakoniatoimisto" and location["accessibility"]  # the rest is shown
    assert "Kirkkokatu" not in json.dumps(public, ensure_ascii=False)
    assert schemas.iter_errors("compiled/service", public) == []
    sal = session.scalars(select(ServiceAtLocation).where(ServiceAtLocation.service_id == shelter.id)).one()
    for serialized, schema in (
        (hsds.service_at_location(sal), "compiled/service_at_location"),
        (hsds.service_at_location_list_item(sal), "compiled/service_at_location_list"),
        (hsds.organization(shelter.organization), "compiled/organization"),
    ):
        assert "Kirkkokatu" not in json.dumps(serialized, ensure_ascii=False)
        assert "latitude" not in json.dumps(serialized)
        assert schemas.iter_errors(schema, serialized) == []


def test_maintainers_export_keeps_the_address(session: Session, shelter: Service) -> None:
    exported = next(s for s in export_services(session) if s["name"] == SHELTER)
    location = exported["service_at_locations"][0]["location"]
    assert [a["address_1"] for a in location["addresses"]] == ["Kirkkokatu 2"]
    assert "latitude" in location and location["transportation"] == "Bussi 13, pysäkki Kirkkokatu"


def test_history_of_a_confidential_address_hides_its_values(
    session: Session, shelter: Service, tmp_path: Path
) -> None:
    records = _with_shelter(valid_records())
    location = next(r for r in records if r["name"] == SHELTER)["service_at_locations"][0]["location"]
    location["addresses"][0]["address_1"] = "Salainen katu 9"
    import_hsds_json(session, write_json(tmp_path / "moved.json", records))
    session.expire_all()
    service = _service(session, SHELTER)
    field = "service_at_locations[0].location.addresses[0].address_1"
    [private] = [m for m in hsds.service(service, public=False)["metadata"] if m["field_name"] == field]
    assert (private["previous_value"], private["replacement_value"]) == ("Kirkkokatu 2", "Salainen katu 9")
    [public] = [m for m in hsds.service(service)["metadata"] if m["field_name"] == field]
    assert public["previous_value"] == public["replacement_value"] == hsds.HIDDEN_FI
    assert "Salainen katu" not in json.dumps(hsds.service(service), ensure_ascii=False)


# --- bad extension attributes ------------------------------------------------------------------------------


def _ovi(records: Records, index: int, *args: Any) -> None:
    records[index]["attributes"].append(ovi_attribute(records[index]["id"], *args))


def _unknown_cost_code(r: Records) -> None:
    _ovi(r, 3, "ovi_cost", "free")
    r[3]["attributes"][-1]["taxonomy_term"]["code"] = "ilmainen"


def _confidential_service(r: Records) -> None:
    _ovi(r, 3, "ovi_location", "confidential_address")


def _bad_flag_value(r: Records) -> None:
    _ovi(r, 3, "ovi_eligibility", "anonymous", "kyllä")


def _free_and_fee(r: Records) -> None:
    _ovi(r, 3, "ovi_cost", "fee")
    _ovi(r, 3, "ovi_cost", "free")
    r[3]["attributes"][-1]["id"] = "8f0f0c9e-1d4c-4a43-9a51-8c1b8e6a0c11"


def _same_flag_twice(r: Records) -> None:
    _ovi(r, 3, "ovi_eligibility", "anonymous")
    r[3]["attributes"].append({**r[3]["attributes"][-1], "id": "5b9a2e4e-3c55-4f0b-9d2c-0a7c1f6e9b21"})


def _source_id_without_value(r: Records) -> None:
    _ovi(r, 3, "ovi_source_id", "source_id")


def _schedule_flag_on_a_location(r: Records) -> None:
    location = r[3]["service_at_locations"][0]["location"]
    location["attributes"] = [ovi_attribute(location["id"], "ovi_schedule", "open_on_holidays")]


BAD: list[tuple[str, Callable[[Records], None], str, str]] = [
    ("unknown code", _unknown_cost_code, "attributes[3].taxonomy_term.code", 'ovi_cost-koodi "ilmainen"'),
    ("wrong owner", _confidential_service, "attributes[3].taxonomy_term.taxonomy", "kuuluu vain sijainnin"),
    ("flag value", _bad_flag_value, "attributes[3].value", 'arvo "kyllä" ei ole sallittu'),
    ("free and fee", _free_and_fee, "attributes[4].taxonomy_term.code", "ei sovi yhteen maksullisen"),
    ("same flag twice", _same_flag_twice, "attributes[4].taxonomy_term.code", "on jo attribuutissa [3]"),
    ("source id without value", _source_id_without_value, "attributes[3].value", "pitää olla arvo"),
    (
        "schedule flag on a location",
        _schedule_flag_on_a_location,
        "service_at_locations[0].location.attributes[0].taxonomy_term.taxonomy",
        "kuuluu vain aukioloajan",
    ),
]


@pytest.mark.parametrize(("case", "breaker", "field", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_extension_attribute_names_record_and_field_and_writes_nothing(
    session: Session,
    imported: ImportResult,
    tmp_path: Path,
    case: str,
    breaker: Callable[[Records], None],
    field: str,
    fragment: str,
) -> None:
    before = row_counts(session)
    records = valid_records()
    records[0]["name"] = "Tämä muutos ei saa tallentua"
    breaker(records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    message = str(raised.value)
    assert f'palvelu #4 (id={SERVICE_IDS[SHELTER]}, nimi="{SHELTER}"): kenttä {field}: ' in message
    assert fragment in message
    session.expire_all()
    assert row_counts(session) == before
    assert _service(session, "Päihdetyön avopalvelu").name == "Päihdetyön avopalvelu"
