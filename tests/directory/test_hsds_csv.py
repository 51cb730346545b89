"""HSDS CSV (tabular data package) import and export: values read, round trips, bad input named by file, row
and column with nothing written, the tables of the whole HSDS (contacts, funding, cost options, accessibility,
history, …) stored, warnings for what Ovi still does not store, and the CLI in both directions."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from directory_db import migrate
from directory_db.cli import DEMO_DIR
from directory_db.db import make_engine, make_session_factory
from directory_db.export import export_services
from directory_db.export_csv import DATAPACKAGE, TABLES, datapackage, export_hsds_csv, json_type
from directory_db.importers import ImportResult, ImportValidationError, import_hsds_csv, import_hsds_json
from directory_db.importers.hsds_csv import convert
from directory_db.models import Location, Organization, Taxonomy

from .conftest import FIXTURES, VALID, row_counts

PACKAGE = FIXTURES / "hsds_csv"
REPO_ROOT = Path(__file__).resolve().parents[2]
S1, ORG_A, L1 = (
    "53020c10-a7fd-5985-bc55-a1054db3ddb9",
    "00895734-291d-5152-a80c-ec312013bc95",
    "002c9f54-1987-5169-90eb-1381d38e4418",
)
KUNTA = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
Rows = list[dict[str, str]]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m directory_db …`` with its own database, as in test_cli.py."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(REPO_ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "directory_db", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _fresh_session(tmp_path: Path, name: str) -> Session:
    url = f"sqlite:///{tmp_path / name}"
    migrate.upgrade(url)
    return make_session_factory(make_engine(url))()


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PACKAGE, tmp_path / "paketti"))


def _read(path: Path) -> tuple[list[str], Rows]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: Rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def _edit(package: Path, name: str, change: Callable[[Rows], object]) -> None:
    header, rows = _read(package / name)
    change(rows)
    _write(package / name, header, rows)


def _line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing ``text``."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def _by_name(session: Session) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in export_services(session)}


def _codes(item: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]) for a in item["attributes"]]


@pytest.fixture
def imported(session: Session) -> ImportResult:
    return import_hsds_csv(session, PACKAGE)


# --- the fixture package ------------------------------------------------------------------------------------


def test_fixture_package_is_imported(session: Session, imported: ImportResult) -> None:
    assert (imported.services_created, imported.organizations_created, imported.locations_created) == (
        3,
        2,
        1,
    )
    assert not imported.dry_run
    services = _by_name(session)
    assert set(services) == {"Päihdeneuvola Kotka", "Läheisten vertaisryhmä Kotka", "Nuorten chat-neuvonta"}

    neuvola = services["Päihdeneuvola Kotka"]
    assert neuvola["id"] == S1 and neuvola["last_modified"] == "2025-06-02T09:00:00Z"
    assert [p["number"] for p in neuvola["phones"]] == ["040 000 0127"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in neuvola["schedules"]] == [
        ("MO,TU,WE,TH,FR", "09:00", "16:00")
    ]
    assert [a["uri"] for a in neuvola["service_areas"]] == [KUNTA + "285", KUNTA + "624"]
    assert _codes(neuvola) == [("ptvserclass2", "P5.7"), ("ovi_source", "source")]
    assert neuvola["attributes"][-1]["value"] == "hsds-csv"  # where it came from, for --prune
    org = neuvola["organization"]
    assert org["name"] == "Kymen Päihdetyön Yhdistys ry (demo)" and org["year_incorporated"] == 1987
    assert [p["number"] for p in org["phones"]] == ["05 000 1000"]
    assert _codes(org) == [("ptv_organization_type", "Organization")]
    location = neuvola["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (60.4668, 26.9453)
    assert [a["address_1"] for a in location["addresses"]] == ["Kuvitelmankatu 4"]
    assert [p["number"] for p in location["phones"]] == ["05 000 1001"]
    assert [s["description"] for s in location["schedules"]] == ["Toimipiste on auki arkisin klo 8–16"]
    assert [x["code"] for x in location["languages"]] == ["fi"]


def test_fixture_values_of_the_other_services(session: Session, imported: ImportResult) -> None:
    services = _by_name(session)
    group = services["Läheisten vertaisryhmä Kotka"]
    # A quoted cell over two lines, with quotes and a comma, comes through as written.
    assert group["description"].startswith(
        'Vertaisryhmä päihteitä käyttävien läheisille.\nRyhmä kokoontuu "Olo'
    )
    assert group["organization"]["id"] == ORG_A  # shared with Päihdeneuvola Kotka
    sal = group["service_at_locations"][0]
    assert sal["location"]["id"] == L1  # the same location too
    # The phone row names the contact and the contact's service-at-location: it is the contact's.
    [contact] = sal["contacts"]
    assert (contact["name"], contact["email"]) == ("Ryhmänohjaaja", "ryhma@demo.ovi.invalid")
    assert [p["number"] for p in contact["phones"]] == ["040 000 0200"] and sal["phones"] == []
    [schedule] = sal["schedules"]
    assert (schedule["byday"], schedule["interval"], schedule["valid_from"]) == ("TH", 1, "2025-01-01")
    assert [a["uri"] for a in group["service_areas"]] == [
        "http://uri.suomi.fi/codelist/jhs/maakunta_1_20220101/code/08"
    ]
    assert _codes(group) == [
        ("ptvserclass2", "P5.7"),
        ("ptvkohderyhmat", "KR1"),
        ("ovi_testiaiheet", "vertaistuki"),
        ("ovi_source", "source"),
    ]
    assert group["attributes"][2]["value"] == "läheiset"

    chat = services["Nuorten chat-neuvonta"]
    assert (chat["minimum_age"], chat["maximum_age"]) == (13, 29)
    assert [(p["number"], p["extension"]) for p in chat["phones"]] == [("0800 000 000", 12)]
    assert [(a.get("extent_type"), a.get("extent")) for a in chat["service_areas"]] == [("text", "FI")]
    assert [(x["code"], x.get("note")) for x in chat["languages"]] == [
        ("fi", None),
        ("sv", "ruotsiksi tiistaisin"),
    ]
    # The target group attribute has no link_entity: it is found by its link_id.
    assert _codes(chat) == [("ptvserclass2", "P4.13"), ("ptvkohderyhmat", "KR1.3"), ("ovi_source", "source")]
    assert chat["attributes"][1]["link_entity"] == "service"
    assert chat["service_at_locations"] == []

    assert len(session.scalars(select(Organization)).all()) == 2
    assert len(session.scalars(select(Location)).all()) == 1
    taxonomy = session.scalars(select(Taxonomy).where(Taxonomy.name == "ovi_testiaiheet")).one()
    assert taxonomy.uri == "https://demo.ovi.invalid/aiheet" and taxonomy.version == "1"


def test_the_rest_of_hsds_is_stored(session: Session, imported: ImportResult) -> None:
    """Contacts, funding, cost options, accessibility and history rows, which Ovi used to warn about."""
    assert imported.warnings == ()
    services = _by_name(session)
    neuvola, group = services["Päihdeneuvola Kotka"], services["Läheisten vertaisryhmä Kotka"]
    funding = neuvola["organization"]["funding"]
    assert [f["source"] for f in funding] == ["Kuvitteellinen kunta-avustus (demo)"]
    [cost] = group["cost_options"]
    assert (cost["option"], cost["currency"], cost["amount"]) == ("Kahvimaksu", "EUR", 1)
    location = neuvola["service_at_locations"][0]["location"]
    assert [a["description"] for a in location["accessibility"]] == ["Esteetön sisäänkäynti pihan puolelta."]
    # The package's history row, then the import's own creation row.
    history = [(m["last_action_type"], m["field_name"], m["updated_by"]) for m in neuvola["metadata"]]
    assert history == [("update", "name", "Ovin testit"), ("create", "id", "import:hsds-csv")]
    assert neuvola["metadata"][0]["previous_value"] == "Päihdeneuvola"


def test_what_is_still_not_stored_is_warned_about(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    (package / "meta_table_descriptions.csv").write_text(
        "id,name,language,character_set\n" + f"{uuid.uuid4()},Ovin testipaketti,fi,UTF-8\n", encoding="utf-8"
    )
    descriptor = json.loads((package / DATAPACKAGE).read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "meta_table_description", "path": "meta_table_descriptions.csv"})
    (package / DATAPACKAGE).write_text(json.dumps(descriptor), encoding="utf-8")
    _edit(package, "services.csv", lambda rows: rows[0].update(accreditations="ISO 9001"))
    _edit(package, "metadata.csv", lambda rows: rows.append({**rows[0], "id": str(uuid.uuid4()),
                                                             "resource_id": str(uuid.uuid4())}))  # fmt: skip
    warnings = import_hsds_csv(session, package).warnings
    assert (
        "meta_table_descriptions.csv: HSDS-taulua meta_table_description ei tallenneta (Ovi ei tue sitä); "
        "rivejä: 1" in warnings
    )
    skipped = "metadata.csv: ohitettiin muutoshistoriarivit kohteista (service)"
    assert any(w.startswith(skipped) for w in warnings)
    assert not any("accreditations" in w for w in warnings)  # a service field Ovi stores


def test_dry_run_writes_nothing(session: Session) -> None:
    result = import_hsds_csv(session, PACKAGE, dry_run=True)
    assert result.dry_run and result.services_created == 3
    assert "mitään ei tallennettu" in result.summary_fi()
    assert set(row_counts(session).values()) == {0}


def test_reimport_changes_nothing(session: Session, imported: ImportResult) -> None:
    before, exported = row_counts(session), export_services(session)
    again = import_hsds_csv(session, PACKAGE)
    assert (again.services_created, again.services_updated) == (0, 3)
    assert row_counts(session) == before
    assert export_services(session) == exported


def test_path_may_name_the_datapackage(session: Session) -> None:
    assert import_hsds_csv(session, PACKAGE / DATAPACKAGE).services == 3


def test_folder_without_datapackage_uses_hsds_file_names(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    (package / DATAPACKAGE).unlink()
    (package / "muistiinpanot.csv").write_text("id,teksti\n1,muistiinpano\n", encoding="utf-8")
    result = import_hsds_csv(session, package)
    assert result.services == 3
    assert "muistiinpanot.csv: tuntematon HSDS-taulu; tiedostoa ei luettu" in result.warnings
    # Without the package's types the HSDS types still make numbers of number columns.
    chat = _by_name(session)["Nuorten chat-neuvonta"]
    assert chat["minimum_age"] == 13 and chat["phones"][0]["extension"] == 12


# --- round trips --------------------------------------------------------------------------------------------


def test_csv_round_trip_is_identical(session: Session, imported: ImportResult, tmp_path: Path) -> None:
    before = export_services(session)
    assert export_hsds_csv(session, tmp_path / "vienti") == 3
    with _fresh_session(tmp_path, "second.sqlite3") as second:
        result = import_hsds_csv(second, tmp_path / "vienti")
        assert result.warnings == ()  # an export holds only what Ovi stores
        assert row_counts(second) == row_counts(session)
        assert export_services(second) == before


@pytest.mark.parametrize("source", [VALID, DEMO_DIR / "kymenlaakso_demo.json"], ids=["fixture", "demo"])
def test_json_to_csv_to_json_is_identical(session: Session, tmp_path: Path, source: Path) -> None:
    import_hsds_json(session, source)
    first = export_services(session)
    export_hsds_csv(session, tmp_path / "vienti")
    with _fresh_session(tmp_path, "second.sqlite3") as second:
        import_hsds_csv(second, tmp_path / "vienti")
        assert export_services(second) == first


def test_export_writes_every_table_and_describes_it(
    session: Session, imported: ImportResult, tmp_path: Path
) -> None:
    out = tmp_path / "vienti"
    export_hsds_csv(session, out)
    descriptor = json.loads((out / DATAPACKAGE).read_text(encoding="utf-8"))
    assert descriptor == datapackage()
    assert {r["path"] for r in descriptor["resources"]} == {t.path for t in TABLES}
    assert {p.name for p in out.iterdir()} == {DATAPACKAGE, *(t.path for t in TABLES)}
    for resource in descriptor["resources"]:
        header, rows = _read(out / resource["path"])
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert resource["schema"]["primaryKey"] == "id"
        assert len({row["id"] for row in rows}) == len(rows)
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    assert fields["location"]["latitude"]["type"] == "number"
    assert fields["service"]["last_modified"]["type"] == "datetime"
    assert fields["service"]["id"]["constraints"] == {"required": True, "unique": True}
    phone = next(r for r in descriptor["resources"] if r["name"] == "phone")
    phone_keys = {fk["fields"]: fk["reference"]["resource"] for fk in phone["schema"]["foreignKeys"]}
    assert phone_keys == {
        "location_id": "location", "service_id": "service", "organization_id": "organization",
        "contact_id": "contact", "service_at_location_id": "service_at_location",
    }  # fmt: skip
    # Shared objects once; numbers in their shortest form; the taxonomy named by a term is there.
    assert len(_read(out / "organizations.csv")[1]) == 2 and len(_read(out / "locations.csv")[1]) == 1
    assert _read(out / "locations.csv")[1][0]["latitude"] == "60.4668"
    services = {row["name"]: row for row in _read(out / "services.csv")[1]}
    assert (
        services["Nuorten chat-neuvonta"]["minimum_age"],
        services["Päihdeneuvola Kotka"]["minimum_age"],
    ) == ("13", "")
    assert "ovi_testiaiheet" in {row["name"] for row in _read(out / "taxonomies.csv")[1]}


def test_hsds_types_come_from_the_schema() -> None:
    numbers = {(t.kind, c) for t in TABLES for c in t.columns if json_type(t.kind, c) == "number"}
    assert numbers == {
        ("service", "minimum_age"), ("service", "maximum_age"), ("organization", "year_incorporated"),
        ("location", "latitude"), ("location", "longitude"), ("phone", "extension"),
        ("schedule", "timezone"), ("schedule", "count"), ("schedule", "interval"), ("cost_option", "amount"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "hsds", "declared", "expected"),
    [
        ("12", "number", None, 12),
        ("60.4668", "number", None, 60.4668),
        ("-1e2", "number", ("number", None), -100.0),
        ("00100", "string", ("integer", None), "00100"),  # HSDS says text: a postal code keeps its zeros
        ("true", "string", ("boolean", None), "true"),
        ("2011", "number", ("date", "%Y"), 2011),  # HSDS 2.0 packages call the year a date
        ("2025-01-31", "string", ("date", None), "2025-01-31"),
        ("2024-05-01T09:30:00Z", "string", ("datetime", None), "2024-05-01T09:30:00Z"),
        ("17:00", "string", ("time", None), "17:00"),
        ("mitä tahansa", "string", ("any", None), "mitä tahansa"),
    ],
)
def test_cells_are_converted(
    text: str, hsds: str, declared: tuple[str, str | None] | None, expected: Any
) -> None:
    value = convert(text, hsds, declared)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "hsds", "declared", "fragment"),
    [
        ("1,5", "number", None, "ei ole luku (desimaalierottimena piste"),
        ("nan", "number", None, "ei ole luku"),
        ("1_000", "number", None, "ei ole luku"),
        ("4.5", "string", ("integer", None), "ei ole kokonaisluku"),
        ("kyllä", "string", ("boolean", None), "ei ole totuusarvo"),
        ("2025-13-01", "string", ("date", None), "ei ole päivämäärä"),
        ("1.1.2025", "string", ("date", None), "ei ole päivämäärä"),
        ("2025-01-01", "string", ("datetime", None), "ei ole aikaleima"),
        ("kello viisi", "string", ("time", None), "ei ole kellonaika"),
    ],
)
def test_bad_cells_are_rejected(
    text: str, hsds: str, declared: tuple[str, str | None] | None, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        convert(text, hsds, declared)


# --- bad input: nothing written, the file, row and column named -------------------------------------------


def _rejected(session: Session, package: Path) -> ImportValidationError:
    with pytest.raises(ImportValidationError) as caught:
        import_hsds_csv(session, package)
    assert set(row_counts(session).values()) == {0}  # nothing written
    return caught.value


def _only_issue(error: ImportValidationError) -> tuple[str, str | None, str]:
    assert len(error.issues) == 1, str(error)
    issue = error.issues[0]
    return issue.record, issue.field, issue.message


def test_malformed_csv(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    path = package / "phones.csv"
    line = _line_of(path, "05 000 1001")
    text = path.read_text(encoding="utf-8").replace(",05 000 1001,", ',"05 000 1001"x,')
    path.write_text(text, encoding="utf-8")
    record, field, message = _only_issue(_rejected(session, package))
    assert record == f"phones.csv, rivi {line}" and field is None
    assert message.startswith("CSV-muoto on rikki: lainausmerkin jälkeen pitää tulla erotin")


def test_unclosed_quote_names_the_row_where_it_starts(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    path = package / "service_areas.csv"
    line = _line_of(path, "Koko Suomi")
    path.write_text(path.read_text(encoding="utf-8").replace("Koko Suomi", '"Koko Suomi'), encoding="utf-8")
    record, _, message = _only_issue(_rejected(session, package))
    assert record == f"service_areas.csv, rivi {line}" and "lainausmerkki jää sulkematta" in message


def test_row_with_too_many_cells(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    path = package / "service_areas.csv"
    line = _line_of(path, "Pyhtää")
    path.write_text(path.read_text(encoding="utf-8").replace("Pyhtää,", "Pyhtää,,"), encoding="utf-8")
    record, _, message = _only_issue(_rejected(session, package))
    assert record == f"service_areas.csv, rivi {line}"
    assert message.startswith("rivillä on 8 kenttää, otsikkorivillä 7")


def test_wrong_type(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "phones.csv", lambda rows: rows[4].update(extension="kaksitoista"))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == (
        f"phones.csv, rivi {_line_of(package / 'phones.csv', 'kaksitoista')}",
        "extension",
    )
    assert message == 'arvo "kaksitoista" ei ole luku (desimaalierottimena piste, esim. 60.47)'


def test_type_declared_in_the_datapackage_is_checked(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "schedules.csv", lambda rows: rows[1].update(valid_from="1.1.2025"))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("schedules.csv, rivi 3", "valid_from")
    assert "ei ole päivämäärä (VVVV-KK-PP)" in message


def test_foreign_key_to_nothing(session: Session, tmp_path: Path) -> None:
    package, missing = _copy(tmp_path), str(uuid.uuid4())
    _edit(package, "phones.csv", lambda rows: rows[0].update(service_id=missing))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("phones.csv, rivi 2", "service_id")
    assert message == f"palvelu {missing} puuttuu tiedostosta services.csv"


def test_attribute_linked_to_nothing(session: Session, tmp_path: Path) -> None:
    package, missing = _copy(tmp_path), str(uuid.uuid4())
    _edit(package, "attributes.csv", lambda rows: rows[6].update(link_id=missing))  # no link_entity
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("attributes.csv, rivi 8", "link_id")
    assert message == f"{missing} ei ole minkään paketin taulun rivi"


def test_service_of_a_missing_organization(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "organizations.csv", lambda rows: rows.pop(1))
    error = _rejected(session, package)
    chat_line = _line_of(package / "services.csv", "Nuorten chat")
    # Both rows that name the organization: the service and the organization's type attribute.
    assert [(i.record, i.field) for i in error.issues] == [
        (f"services.csv, rivi {chat_line}", "organization_id"),
        ("attributes.csv, rivi 9", "link_id"),
    ]
    assert error.issues[0].message.endswith("puuttuu tiedostosta organizations.csv")
    assert error.issues[0].message.startswith("organisaatio ")


def test_duplicate_id(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)

    def duplicate(rows: Rows) -> None:
        rows.append({**rows[0], "description": "sama id toiseen kertaan"})

    _edit(package, "schedules.csv", duplicate)
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("schedules.csv, rivi 6", "id")
    assert message == "id b429e9ed-5541-5e17-ad11-c4d2cedefda4 esiintyy jo rivillä 2"


def test_missing_services_csv(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    (package / "services.csv").unlink()
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("tiedosto services.csv", None)
    assert message == "tiedosto puuttuu (tiedosto datapackage.json mainitsee sen)"
    (package / DATAPACKAGE).unlink()  # without a datapackage.json too
    record, _, message = _only_issue(_rejected(session, package))
    assert record == "tiedosto services.csv" and message.startswith("pakollinen tiedosto puuttuu")


def test_missing_required_column(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    header, rows = _read(package / "services.csv")
    _write(
        package / "services.csv",
        [c for c in header if c != "name"],
        [{k: v for k, v in r.items() if k != "name"} for r in rows],
    )
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field, message) == ("services.csv, rivi 1", "name", "pakollinen sarake puuttuu")


def test_semicolons_are_not_the_delimiter(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    path = package / "phones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    record, _, message = _only_issue(_rejected(session, package))
    assert record == "phones.csv, rivi 1" and "erottimen pitää olla pilkku" in message


def test_empty_required_cell(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "phones.csv", lambda rows: rows[1].update(number=""))
    assert _only_issue(_rejected(session, package)) == (
        "phones.csv, rivi 3",
        "number",
        "pakollinen kenttä puuttuu (tyhjä solu)",
    )


def test_empty_file(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    (package / "service_areas.csv").write_bytes(b"")
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("tiedosto service_areas.csv", None)
    assert message == "tiedosto on tyhjä: otsikkorivi puuttuu"


def test_latin1_file(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    path = package / "organizations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("organizations.csv, rivi 2", "name")  # "Kymen Päihdetyön…"
    assert message == "tiedosto ei ole UTF-8-tekstiä (tavu 0xe4); tallenna se UTF-8-muodossa"


def test_broken_datapackage(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    (package / DATAPACKAGE).write_text("{ei jsonia", encoding="utf-8")
    record, _, message = _only_issue(_rejected(session, package))
    assert record == "tiedosto datapackage.json" and message.startswith("ei ole kelvollista JSONia (rivi 1")


def test_missing_path(session: Session, tmp_path: Path) -> None:
    _, _, message = _only_issue(_rejected(session, tmp_path / "ei-ole"))
    assert message == "kansiota tai tiedostoa ei löydy"


def test_profile_error_is_named_at_its_row_and_column(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "service_areas.csv", lambda rows: rows[1].update(uri=KUNTA + "999"))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("service_areas.csv, rivi 3", "uri")
    assert "tuntematon kuntakoodi 999" in message


def test_schema_error_in_an_inline_object_is_named_at_its_row(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "taxonomy_terms.csv", lambda rows: rows[3].update(code="KR99"))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("taxonomy_terms.csv, rivi 5", "code")
    assert message == 'tuntematon kohderyhmä "KR99"'


def test_problem_of_a_shared_row_is_reported_once(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "organizations.csv", lambda rows: rows[0].update(website="ei osoite"))  # two services
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("organizations.csv, rivi 2", "website")
    assert message.startswith('arvo "ei osoite" ei ole kelvollinen URI')


def test_all_problems_are_reported_together(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "phones.csv", lambda rows: rows[4].update(extension="x"))
    _edit(package, "locations.csv", lambda rows: rows[0].update(latitude="pohjoinen"))
    error = _rejected(session, package)
    assert [(i.record, i.field) for i in error.issues] == [
        ("locations.csv, rivi 2", "latitude"),
        ("phones.csv, rivi 6", "extension"),
    ]
    assert str(error).startswith("Tuonti hylättiin (2 virhettä), mitään ei tallennettu:")


# --- rows Ovi places differently or not at all -------------------------------------------------------------


def test_row_with_several_owners_goes_to_the_most_specific(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "phones.csv", lambda rows: rows[3].update(organization_id=ORG_A))  # also names the org
    result = import_hsds_csv(session, package)
    assert any(
        w.startswith("phones.csv: rivejä, jotka nimeävät useamman omistajan: 1") for w in result.warnings
    )
    group = _by_name(session)["Läheisten vertaisryhmä Kotka"]
    [contact] = group["service_at_locations"][0]["contacts"]
    assert [p["number"] for p in contact["phones"]] == ["040 000 0200"]
    assert [p["number"] for p in group["organization"]["phones"]] == ["05 000 1000"]


def test_rows_without_a_place_in_ovi_are_warned_about(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)

    def extra_organization(rows: Rows) -> None:
        rows.append({**rows[1], "id": str(uuid.uuid4()), "name": "Palveluton ry"})

    def term_attribute(rows: Rows) -> None:
        term = "7f22f03e-be19-5f8d-82ff-50296b21cbcc"
        rows.append({**rows[0], "id": str(uuid.uuid4()), "link_id": term, "link_entity": "taxonomy_term"})

    _edit(package, "organizations.csv", extra_organization)
    _edit(package, "attributes.csv", term_attribute)
    warnings = import_hsds_csv(session, package).warnings
    assert "organizations.csv: ohitettiin organisaatiot, joilla ei ole palveluja paketissa: 1" in warnings
    not_stored = "attributes.csv: taulun taxonomy_term attribuutteja ei tallenneta"
    assert any(w.startswith(not_stored) for w in warnings)
    assert session.get(Organization, ORG_A) is not None


def test_attributes_and_languages_of_any_object_are_stored(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    phone = "6e230ea6-b284-5322-8378-6219b0cf5cca"  # Päihdeneuvola Kotka's phone

    def location_attribute(rows: Rows) -> None:
        rows.append({**rows[0], "id": str(uuid.uuid4()), "link_id": L1, "link_entity": "locations"})

    def phone_language(rows: Rows) -> None:
        rows.append({**rows[0], "id": str(uuid.uuid4()), "service_id": "", "phone_id": phone, "code": "sv",
                     "name": "ruotsi"})  # fmt: skip

    _edit(package, "attributes.csv", location_attribute)
    _edit(package, "languages.csv", phone_language)
    assert import_hsds_csv(session, package).warnings == ()
    neuvola = _by_name(session)["Päihdeneuvola Kotka"]
    location = neuvola["service_at_locations"][0]["location"]
    assert _codes(location) == [("ptvserclass2", "P5.7")]
    assert location["attributes"][0]["link_entity"] == "location"
    assert [x["code"] for x in neuvola["phones"][0]["languages"]] == ["sv"]


def test_new_tables_name_their_bad_rows(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "metadata.csv", lambda rows: rows[0].update(last_action_type=""))
    _edit(package, "accessibility.csv", lambda rows: rows[0].update(location_id=""))
    error = _rejected(session, package)
    assert sorted((i.record, i.field, i.message) for i in error.issues) == [
        ("accessibility.csv, rivi 2", "location_id", "pakollinen kenttä puuttuu (tyhjä solu)"),
        ("metadata.csv, rivi 2", "last_action_type", "pakollinen kenttä puuttuu (tyhjä solu)"),
    ]
    package = _copy(tmp_path / "toinen")
    missing = str(uuid.uuid4())
    _edit(package, "cost_options.csv", lambda rows: rows[0].update(service_id=missing))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("cost_options.csv, rivi 2", "service_id")
    assert message == f"palvelu {missing} puuttuu tiedostosta services.csv"


def test_language_of_a_missing_phone_is_an_error(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    missing = str(uuid.uuid4())
    _edit(package, "languages.csv", lambda rows: rows.append(
        {**rows[0], "id": str(uuid.uuid4()), "service_id": "", "phone_id": missing}
    ))  # fmt: skip
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("languages.csv, rivi 6", "phone_id")
    assert message == f"puhelin {missing} puuttuu tiedostosta phones.csv"


def test_row_linked_to_nothing_is_an_error(session: Session, tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit(package, "schedules.csv", lambda rows: rows[2].update(service_id=""))
    record, field, message = _only_issue(_rejected(session, package))
    assert (record, field) == ("schedules.csv, rivi 4", None)
    assert message == (
        "rivi ei liity mihinkään: täytä jokin sarakkeista service_at_location_id, service_id, location_id"
    )


def test_several_packages_in_one_transaction(session: Session, tmp_path: Path) -> None:
    import_hsds_json(session, VALID)
    export_hsds_csv(session, tmp_path / "yksi")
    with _fresh_session(tmp_path, "second.sqlite3") as second:
        result = import_hsds_csv(second, [tmp_path / "yksi", PACKAGE])
        assert result.services == 9
        broken = _copy(tmp_path)
        _edit(broken, "phones.csv", lambda rows: rows[0].update(extension="x"))
        with pytest.raises(ImportValidationError) as caught:
            import_hsds_csv(second, [tmp_path / "yksi", broken])
        assert caught.value.issues[0].record == "paketti/phones.csv, rivi 2"


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_import_and_export(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    imported = run(tmp_path, "import", "--format", "hsds-csv", "--skip-embeddings", str(PACKAGE))
    assert imported.returncode == 0, imported.stderr
    assert "Tuotiin 3 palvelua (3 uutta, 0 päivitettyä), 2 organisaatiota ja 1 sijaintia." in imported.stdout
    assert imported.stderr == ""  # every table of the package is stored

    out = tmp_path / "vienti"
    exported = run(tmp_path, "export", "--format", "hsds-csv", str(out))
    assert exported.returncode == 0, exported.stderr
    assert f"Vietiin 3 palvelua kansioon {out}." in exported.stdout
    assert len(_read(out / "services.csv")[1]) == 3

    again = run(
        tmp_path, "import", "--format", "hsds-csv", "--dry-run", "--skip-embeddings", str(out / DATAPACKAGE)
    )
    assert again.returncode == 0, again.stderr
    assert "0 uutta, 3 päivitettyä" in again.stdout and again.stderr == ""


def test_cli_rejects_a_broken_package(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    package = _copy(tmp_path)
    _edit(package, "phones.csv", lambda rows: rows[4].update(extension="x"))
    result = run(tmp_path, "import", "--format", "hsds-csv", "--skip-embeddings", str(package))
    assert result.returncode == 1
    assert 'phones.csv, rivi 6: kenttä extension: arvo "x" ei ole luku' in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run(tmp_path, "search", "--json").stdout) == []
