"""HSDS-JSON import: valid data, atomic rejection of bad data with Finnish messages, dry run, upsert."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory_db import schemas
from directory_db.cli import DEMO_DIR
from directory_db.importers import ImportResult, ImportValidationError, import_hsds_json
from directory_db.importers.errors import MAX_ERRORS
from directory_db.models import (
    Location,
    Organization,
    Phone,
    SearchDocument,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)

from .conftest import SERVICE_IDS, VALID, row_counts, valid_records, write_json

Records = list[dict[str, Any]]
KUNTA = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
HVA = "http://uri.suomi.fi/codelist/jhs/hyvinvointialue_1_20211013/code/"


def _new_id() -> str:
    return str(uuid.uuid4())


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# --- valid data ------------------------------------------------------------------------------------------


def _index_terms(session: Session, service_id: str) -> set[str]:
    document = session.get(SearchDocument, service_id)
    assert document is not None
    return set(json.loads(document.terms))


def test_valid_file_is_imported(session: Session, imported: ImportResult) -> None:
    assert (imported.services_created, imported.services_updated) == (6, 0)
    assert imported.organizations_created == 5  # Kymen A-kilta ry serves two services but is stored once
    assert imported.locations_created == 4
    assert not imported.dry_run
    counts = row_counts(session)
    assert counts["services"] == 6
    assert counts["organizations"] == 5
    assert counts["locations"] == 4
    assert counts["search_documents"] == imported.index_rows == 6


def test_service_areas_are_classified(session: Session, imported: ImportResult) -> None:
    levels = {(a.area_level, a.area_code) for a in session.scalars(select(ServiceArea))}
    assert levels == {
        ("municipality", "285"),
        ("county", "10"),
        ("county", "09"),
        ("region", "08"),
        ("nationwide", "FI"),
    }


def test_code_list_terms_are_stored_once_and_linked_to_profile_taxonomies(
    session: Session, imported: ImportResult
) -> None:
    p57 = session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == "P5.7")).one()
    assert p57.term_uri == "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5.7"
    assert p57.taxonomy_detail is not None and p57.taxonomy_detail.name == "ptvserclass2"
    names = set(session.scalars(select(Taxonomy.name)))
    # The PTV code lists, and the Ovi extensions the fixture uses (ovi_source: every import stamps it).
    assert names == {
        "ptvserclass2", "ptvkohderyhmat", "ptv_organization_type",
        "ovi_cost", "ovi_eligibility", "ovi_source",
    }  # fmt: skip


def test_same_code_with_another_term_id_reuses_the_stored_term(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    for record in records:
        for attribute in record["attributes"]:
            attribute["taxonomy_term"]["id"] = _new_id()
    terms_before = _count(session, TaxonomyTerm)
    import_hsds_json(session, write_json(tmp_path / "x.json", records))
    assert _count(session, TaxonomyTerm) == terms_before


def test_unsupported_fields_are_reported_as_warnings(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    # An organization's own list of locations: Ovi keeps locations under the services that use them.
    records[2]["organization"]["locations"] = [{"id": _new_id(), "location_type": "physical"}]
    result = import_hsds_json(session, write_json(tmp_path / "x.json", records))
    assert "kenttää organization.locations ei tallenneta (Ovi ei tue sitä): 1 palvelussa" in result.warnings
    assert not any("contacts" in w for w in result.warnings)  # stored since migration 0003


# --- bad data: nothing written, the message names the record and the field --------------------------------


def _drop_name(r: Records) -> None:
    del r[1]["name"]


def _bad_status(r: Records) -> None:
    r[1]["status"] = "auki"


def _bad_phone_id(r: Records) -> None:
    r[0]["phones"][0]["id"] = ""  # a non-UUID like "puhelin-1" would get a stable UUID; an empty one cannot


def _bad_timestamp(r: Records) -> None:
    r[1]["last_modified"] = "eilen"


def _unknown_municipality(r: Records) -> None:
    r[3]["service_areas"][0]["uri"] = KUNTA + "999"


def _unknown_county(r: Records) -> None:
    r[1]["service_areas"][0]["uri"] = HVA + "55"


def _foreign_area_uri(r: Records) -> None:
    r[1]["service_areas"][0]["uri"] = "https://example.fi/alue/kotka"


def _area_without_uri(r: Records) -> None:
    r[1]["service_areas"][0] = {"id": _new_id(), "name": "Jossain päin"}


def _no_service_area(r: Records) -> None:
    r[2]["service_areas"] = []


def _unknown_service_class(r: Records) -> None:
    r[0]["attributes"][0]["taxonomy_term"].update(code="P99.9", id=_new_id())


def _unknown_target_group(r: Records) -> None:
    r[4]["attributes"][1]["taxonomy_term"].update(code="KR9", id=_new_id())


def _term_uri_mismatch(r: Records) -> None:
    r[2]["attributes"][0]["taxonomy_term"]["term_uri"] = (
        "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P5.7"
    )


def _unknown_organization_type(r: Records) -> None:
    r[2]["organization"]["attributes"][0]["taxonomy_term"]["code"] = "Yhdistys"


def _missing_organization_type(r: Records) -> None:
    r[2]["organization"]["attributes"] = []


def _missing_organization(r: Records) -> None:
    del r[2]["organization"]


def _organization_id_mismatch(r: Records) -> None:
    r[2]["organization_id"] = _new_id()


def _duplicate_service_id(r: Records) -> None:
    r[4]["id"] = r[0]["id"]


def _duplicate_phone_id(r: Records) -> None:
    r[1]["phones"][0]["id"] = r[0]["phones"][0]["id"]


def _shared_organization_differs(r: Records) -> None:
    r[5]["organization"]["name"] = "Kymen A-kilta ry (vanha nimi)"


def _bad_language_code(r: Records) -> None:
    r[2]["languages"][0]["code"] = "fin"


def _email_without_domain(r: Records) -> None:
    r[1]["email"] = "neuvonta@"  # jsonschema's own check would pass it (it only looks for "@")


def _wrong_parent_link(r: Records) -> None:
    r[1]["phones"][0]["service_id"] = r[0]["id"]


def _location_of_unknown_organization(r: Records) -> None:
    r[3]["service_at_locations"][0]["location"]["organization_id"] = _new_id()


def _program_of_unknown_organization(r: Records) -> None:
    for record in (r[0], r[5]):  # no longer listed by the (shared) organization: only the service names it
        del record["organization"]["programs"]
    r[5]["program"]["organization_id"] = _new_id()


def _program_id_mismatch(r: Records) -> None:
    r[5]["program_id"] = _new_id()


def _contact_phone_of_another_contact(r: Records) -> None:
    r[0]["contacts"][0]["phones"][0]["contact_id"] = _new_id()


def _accessibility_without_id(r: Records) -> None:
    del r[3]["service_at_locations"][0]["location"]["accessibility"][0]["id"]


BAD_INPUT: list[tuple[str, Callable[[Records], None], int, str, str]] = [
    # (case, how to break the fixture, record #, field, fragment of the message)
    ("schema: required field", _drop_name, 2, "name", "pakollinen kenttä puuttuu"),
    ("schema: enum", _bad_status, 2, "status", '"auki" ei ole sallittu'),
    ("schema: uuid", _bad_phone_id, 1, "phones[0].id", "ei ole kelvollinen UUID"),
    ("schema: date-time", _bad_timestamp, 2, "last_modified", "ei ole kelvollinen aikaleima"),
    ("schema: email", _email_without_domain, 2, "email", "ei ole kelvollinen sähköpostiosoite"),
    ("unknown municipality", _unknown_municipality, 4, "service_areas[0].uri", "tuntematon kuntakoodi 999"),
    ("unknown county", _unknown_county, 2, "service_areas[0].uri", "tuntematon hyvinvointialuekoodi 55"),
    ("not a code URI", _foreign_area_uri, 2, "service_areas[0].uri", "tuntematon alueen URI"),
    ("area without uri", _area_without_uri, 2, "service_areas[0].uri", "puuttuu uri"),
    ("no service area", _no_service_area, 3, "service_areas", "vähintään yksi palvelualue"),
    (
        "unknown service class",
        _unknown_service_class,
        1,
        "attributes[0].taxonomy_term.code",
        'tuntematon palveluluokka "P99.9"',
    ),
    (
        "unknown target group",
        _unknown_target_group,
        5,
        "attributes[1].taxonomy_term.code",
        'tuntematon kohderyhmä "KR9"',
    ),
    (
        "term_uri mismatch",
        _term_uri_mismatch,
        3,
        "attributes[0].taxonomy_term.term_uri",
        "ei vastaa koodia P5.17",
    ),
    (
        "unknown organization type",
        _unknown_organization_type,
        3,
        "organization.attributes[0].taxonomy_term.code",
        'tuntematon organisaatiotyyppi "Yhdistys"',
    ),
    (
        "missing organization type",
        _missing_organization_type,
        3,
        "organization.attributes",
        "organisaatiotyyppi puuttuu",
    ),
    ("missing organization", _missing_organization, 3, "organization", "puuttuu organisaatio"),
    (
        "organization_id mismatch",
        _organization_id_mismatch,
        3,
        "organization_id",
        "ei vastaa kentän organization.id",
    ),
    ("duplicate service id", _duplicate_service_id, 5, "id", "palvelun id"),
    ("duplicate phone id", _duplicate_phone_id, 2, "phones[0].id", "puhelimen id"),
    ("shared organization differs", _shared_organization_differs, 6, "organization.id", "eri tiedoin"),
    ("language code", _bad_language_code, 3, "languages[0].code", "ISO 639-1"),
    ("child names another parent", _wrong_parent_link, 2, "phones[0].service_id", "ei vastaa ylemmän tason"),
    (
        "location of an unknown organization",
        _location_of_unknown_organization,
        4,
        "service_at_locations[0].location.organization_id",
        "tuntematon organisaatio",
    ),
    ("program of an unknown organization", _program_of_unknown_organization, 6, "program.organization_id",
     "tuntematon organisaatio"),
    ("program_id mismatch", _program_id_mismatch, 6, "program_id", "ei vastaa kentän program.id"),
    ("contact phone of another contact", _contact_phone_of_another_contact, 1,
     "contacts[0].phones[0].contact_id", "ei vastaa ylemmän tason"),
    ("accessibility without id", _accessibility_without_id, 4,
     "service_at_locations[0].location.accessibility[0].id", "pakollinen kenttä puuttuu"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "breaker", "number", "field", "fragment"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_record_writes_nothing_and_names_record_and_field(
    session: Session,
    imported: ImportResult,
    tmp_path: Path,
    case: str,
    breaker: Callable[[Records], None],
    number: int,
    field: str,
    fragment: str,
) -> None:
    before = row_counts(session)
    records = valid_records()
    records[0]["name"] = "Tämä muutos ei saa tallentua"  # a valid change in the same file
    breaker(records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    message = str(raised.value)
    assert f"palvelu #{number} (id=" in message
    assert f"kenttä {field}: " in message
    assert fragment in message
    session.expire_all()
    assert row_counts(session) == before
    assert session.get(Service, SERVICE_IDS["Päihdetyön avopalvelu"]).name == "Päihdetyön avopalvelu"  # type: ignore[union-attr]


def test_bad_record_into_empty_database_writes_nothing(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    _unknown_municipality(records)
    with pytest.raises(ImportValidationError):
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    assert set(row_counts(session).values()) == {0}


def test_message_names_record_by_position_id_and_name(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    _unknown_municipality(records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    expected = (
        f"palvelu #4 (id={SERVICE_IDS['Diakonian talous- ja velkaneuvonta']}, "
        'nimi="Diakonian talous- ja velkaneuvonta"): kenttä service_areas[0].uri: tuntematon kuntakoodi 999'
    )
    assert expected in str(raised.value)
    assert len(raised.value.issues) == 1


def test_all_errors_are_collected(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    _unknown_municipality(records)
    _unknown_service_class(records)
    _drop_name(records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    fields = {(issue.record.split(" (")[0], issue.field) for issue in raised.value.issues}
    assert fields == {
        ("palvelu #4", "service_areas[0].uri"),
        ("palvelu #1", "attributes[0].taxonomy_term.code"),
        ("palvelu #2", "name"),
    }


def test_errors_are_capped(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    records[0]["phones"] = [{"id": _new_id()} for _ in range(MAX_ERRORS + 10)]  # each lacks its number
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    assert len(raised.value.issues) == MAX_ERRORS
    assert raised.value.more == 10
    assert "… ja 10 muuta virhettä" in str(raised.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[{"id": ', "ei ole kelvollista JSONia (rivi 1"),
        ('{"services": []}', "pitää olla JSON-taulukko"),
        ('["palvelu"]', "palvelun pitää olla JSON-objekti"),
    ],
)
def test_broken_files_are_rejected(session: Session, tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, path)
    assert fragment in str(raised.value)
    assert set(row_counts(session).values()) == {0}


def test_remembered_format_checks_answer_as_the_checks_do() -> None:
    # The compiled validator's format checks remember their answers; asked twice, they must still agree.
    values = [
        "2024-05-01T09:30:00Z", "2024-05-01T09:30:00", "2024-05-01", "https://example.fi/", "example.fi",
        "https://example.fi/a b", "neuvonta@kunta.fi", "neuvonta@kunta", "", 42, None,
    ]  # fmt: skip
    for name, check in schemas._OWN_FORMATS.items():
        remembered = schemas._remembered(check)
        answers = [check(value) for value in values]
        assert [remembered(value) for value in values] == answers, name
        assert [remembered(value) for value in values] == answers, name
        assert False in answers, name  # the values do test each check


def test_missing_file_is_an_import_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, tmp_path / "puuttuu.json")
    assert "tiedosto puuttuu.json: tiedostoa ei voi lukea" in str(raised.value)


def test_id_owned_by_a_service_outside_the_file_is_rejected(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    # Only the second service is imported, but it claims the first service's phone id.
    records[1]["phones"][0]["id"] = records[0]["phones"][0]["id"]
    before = row_counts(session)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", [records[1]]))
    assert "kenttä phones[0].id: puhelimen id" in str(raised.value)
    assert "toisen tietueen käytössä" in str(raised.value)
    session.expire_all()
    assert row_counts(session) == before


# --- dry run and upsert ------------------------------------------------------------------------------------


def test_dry_run_writes_nothing(session: Session, tmp_path: Path) -> None:
    result = import_hsds_json(session, VALID, dry_run=True)
    assert result.dry_run and result.services_created == 6
    assert set(row_counts(session).values()) == {0}


def test_dry_run_on_populated_database_changes_nothing(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    before = row_counts(session)
    records = valid_records()
    records[0]["name"] = "Uusi nimi"
    import_hsds_json(session, write_json(tmp_path / "x.json", records), dry_run=True)
    session.expire_all()
    assert row_counts(session) == before
    assert session.get(Service, records[0]["id"]).name == "Päihdetyön avopalvelu"  # type: ignore[union-attr]


def test_reimport_updates_in_place(session: Session, imported: ImportResult) -> None:
    before = row_counts(session)
    again = import_hsds_json(session, VALID)
    assert (again.services_created, again.services_updated) == (0, 6)
    assert (again.organizations_created, again.organizations_updated) == (0, 5)
    assert row_counts(session) == before


def test_reimport_replaces_children_and_updates_shared_records(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    first = records[0]
    first["name"] = "Päihdetyön avopalvelu ja neuvonta"
    first["phones"] = [{"id": _new_id(), "number": "05 999 9999", "type": "voice"}]
    for record in (records[0], records[5]):  # the shared organization, changed consistently
        record["organization"]["name"] = "Kymen A-kilta ry (uusi nimi)"
    before = row_counts(session)
    result = import_hsds_json(session, write_json(tmp_path / "x.json", records))
    session.expire_all()
    after = row_counts(session)
    # The same rows, plus the history of the changes (one row per changed field).
    assert after["metadata"] == before["metadata"] + result.history_rows > before["metadata"]
    assert {**after, "metadata": 0} == {**before, "metadata": 0}
    service = session.get(Service, first["id"])
    assert service is not None
    assert service.name == "Päihdetyön avopalvelu ja neuvonta"
    assert [p.number for p in service.phones] == ["05 999 9999"]
    assert service.organization.name == "Kymen A-kilta ry (uusi nimi)"
    assert service.organization.provider_type == "ngo"
    assert "neuvonta" in _index_terms(session, first["id"])


def test_partial_reimport_leaves_other_services_alone(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    records[3]["description"] = "Päivitetty kuvaus."
    import_hsds_json(session, write_json(tmp_path / "one.json", [records[3]]))
    session.expire_all()
    assert _count(session, Service) == 6
    assert _count(session, Phone) == row_counts(session)["phones"]
    assert session.get(Service, records[3]["id"]).description == "Päivitetty kuvaus."  # type: ignore[union-attr]
    location = session.get(Location, records[0]["service_at_locations"][0]["location"]["id"])
    assert location is not None and [a.address_1 for a in location.addresses] == ["Keskuskatu 10"]
    assert session.get(Organization, records[0]["organization"]["id"]) is not None


def test_organization_change_reindexes_its_other_services(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    records = valid_records()
    records[0]["organization"]["name"] = "Kotkan Raittiusseura ry"
    import_hsds_json(session, write_json(tmp_path / "one.json", [records[0]]))
    other = SERVICE_IDS["Läheisten vertaistukiryhmä"]  # same organization, not in the file
    terms = _index_terms(session, other)
    assert "raittiusseura" in terms
    assert "kilta" not in terms


def test_several_files_import_in_one_transaction(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    good = write_json(tmp_path / "a.json", records[:3])
    bad_records = records[3:]
    bad_records[0]["service_areas"][0]["uri"] = KUNTA + "999"
    bad = write_json(tmp_path / "b.json", bad_records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, [good, bad])
    assert "b.json: palvelu #1 (" in str(raised.value)
    assert set(row_counts(session).values()) == {0}


def test_shipped_demo_data_imports(session: Session) -> None:
    files = sorted(DEMO_DIR.glob("*.json"))
    if not files:
        pytest.skip("no demo data in directory_db/data/demo")
    result = import_hsds_json(session, files)
    assert result.services >= 60
    assert result.warnings == ()
    assert {o.provider_type for o in session.scalars(select(Organization))} >= {"ngo", "public", "parish"}
