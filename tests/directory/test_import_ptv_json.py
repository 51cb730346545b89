"""PTV JSON import: the trimmed real PTV v11 samples, mapping details, atomic rejection, the CLI.

The real samples are in ``fixtures/ptv`` (see its README). Cases the samples do not cover (phone and web
page channels, exceptional hours, other area types, organization objects) are small synthetic objects in
PTV v11's shape, built below from the real service.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from directory_db.export import export_services
from directory_db.importers import ImportValidationError, import_ptv_json
from directory_db.importers.ptv_json import PtvConversion, convert_ptv, load_ptv_objects, tm35fin_to_wgs84
from directory_db.models import Location, Organization, Service

from .conftest import row_counts, write_json

JSON = dict[str, Any]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ptv"
SERVICES_FILE = FIXTURES / "services_v11.json"
CHANNEL_FILE = FIXTURES / "service_channel_v11.json"
SERVICE_ID = "6c00d407-d3fd-4c7e-a373-57be9f3b2cff"
CHANNEL_ID = "961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f"
ORG_ID = "a6e72986-0d23-4d4b-8619-b49fa0c5baa3"
SCHOOL_CHANNELS = {  # linked by the real service, not in the fixtures
    "8e4a8e8a-2edf-464b-9b43-c5805c332e06": "Liperin koulu",
    "1f3e096a-d281-45cc-a3f3-5feed5c514a7": "Viinijärven koulu",
    "7602ee7f-20bb-4379-b994-3e217bebbe07": "Salokylän koulu",
    "b167f0f7-83f4-4251-a253-bb1643623a78": "Mattisenlahden koulu",
    "d353a0ef-4672-4eda-a8ed-fbfcba1a776f": "Ylämyllyn koulu",
}
KUNTA = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"


def sample_service() -> JSON:
    data: JSON = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))[SERVICE_ID]
    return data


def sample_channel() -> JSON:
    data: JSON = json.loads(CHANNEL_FILE.read_text(encoding="utf-8"))
    return data


def convert(tmp_path: Path, *items: JSON) -> PtvConversion:
    """Convert objects written to one list file (no database involved)."""
    return convert_ptv(load_ptv_objects([write_json(tmp_path / "ptv.json", list(items))]))


def only_record(conversion: PtvConversion) -> JSON:
    assert len(conversion.records) == 1
    return conversion.records[0].data


def rejected(tmp_path: Path, *items: Any, name: str = "ptv.json") -> ImportValidationError:
    with pytest.raises(ImportValidationError) as caught:
        convert_ptv(load_ptv_objects([write_json(tmp_path / name, list(items))]))
    return caught.value


def lang_items(fi: str, type_: str | None = None, **others: str) -> list[JSON]:
    items = [{"language": "fi", "value": fi}] + [{"language": k, "value": v} for k, v in others.items()]
    return [{**item, "type": type_} if type_ else item for item in items]


# Synthetic v11 channels (the samples have only a service location).
PHONE_CHANNEL: JSON = {
    "id": "0b5bb07e-5f0e-4b8a-9d55-2b3f6a0a7c01",
    "serviceChannelType": "Phone",
    "organizationId": ORG_ID,
    "serviceChannelNames": lang_items("Koulutoimen neuvonta", "Name"),
    "phoneNumbers": [
        {"type": "Phone", "additionalInformation": "Neuvonta", "serviceChargeType": "FreeOfCharge",
         "chargeDescription": None, "prefixNumber": None, "isFinnishServiceNumber": True,
         "number": "0800123456", "language": "fi"},
        {"type": "Phone", "additionalInformation": "Rådgivning", "serviceChargeType": "FreeOfCharge",
         "chargeDescription": None, "prefixNumber": None, "isFinnishServiceNumber": True,
         "number": "0800123456", "language": "sv"},
        {"type": "Sms", "additionalInformation": None, "serviceChargeType": "Chargeable",
         "chargeDescription": None, "prefixNumber": "+358", "isFinnishServiceNumber": False,
         "number": "401234567", "language": "fi"},
    ],
    "emails": [{"value": "neuvonta@liperi.example", "language": "fi"}],
    "serviceHours": [
        {"serviceHourType": "DaysOfTheWeek", "validFrom": None, "validTo": None, "isClosed": False,
         "validForNow": True, "isAlwaysOpen": False, "isReservation": False,
         "additionalInformation": lang_items("Ei palvelua arkipyhinä"),
         "openingHour": [{"dayFrom": "Monday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"},
                         {"dayFrom": "Tuesday", "dayTo": "", "from": "09:00:00", "to": "15:00:00"},
                         {"dayFrom": "Saturday", "dayTo": "", "from": "10:00:00", "to": "12:00:00"}]},
        {"serviceHourType": "Exceptional", "validFrom": "2024-12-24T00:00:00",
         "validTo": "2024-12-26T00:00:00", "isClosed": True, "validForNow": False, "isAlwaysOpen": False,
         "isReservation": False, "additionalInformation": lang_items("Joulu"), "openingHour": []},
        {"serviceHourType": "Exceptional", "validFrom": "2024-12-31T00:00:00", "validTo": None,
         "isClosed": False, "validForNow": False, "isAlwaysOpen": False, "isReservation": False,
         "additionalInformation": [], "openingHour": [{"dayFrom": None, "dayTo": None, "from": "10:00:00",
                                                       "to": "13:00:00"}]},
        {"serviceHourType": "OverMidnight", "validFrom": None, "validTo": None, "isClosed": False,
         "validForNow": True, "isAlwaysOpen": False, "isReservation": False, "additionalInformation": [],
         "openingHour": [{"dayFrom": "Friday", "dayTo": "Saturday", "from": "22:00:00", "to": "02:00:00"}]},
    ],
    "services": [],
    "publishingStatus": "Published",
}  # fmt: skip
WEB_CHANNEL: JSON = {
    "id": "0b5bb07e-5f0e-4b8a-9d55-2b3f6a0a7c02",
    "serviceChannelType": "WebPage",
    "organizationId": ORG_ID,
    "serviceChannelNames": lang_items("Liperin koulut verkossa", "Name"),
    "webPages": [
        {"url": "www.liperi.example/koulut", "value": "Koulut", "language": "fi"},
        {"url": "https://www.liperi.example/skolor", "value": "Skolor", "language": "sv"},
    ],
    "publishingStatus": "Published",
}
ORGANIZATION: JSON = {
    "id": ORG_ID,
    "organizationType": "Municipality",
    "organizationNames": lang_items("Liperin kunta", "Name", sv="Libelits kommun"),
    "organizationDescriptions": lang_items("Liperin kunnan palvelut.", "Description"),
    "publishingStatus": "Published",
}


def linked_to(service: JSON, *channels: JSON) -> JSON:
    """The service, connected to these channels only (in the shape of the sample's connections)."""
    template = service["serviceChannels"][0]
    service["serviceChannels"] = [
        {**copy.deepcopy(template), "serviceChannel": {"id": c["id"], "name": None}} for c in channels
    ]
    return service


# --- the real samples in a database -------------------------------------------------------------------------


@pytest.fixture
def imported(session: Session) -> Any:
    return import_ptv_json(session, FIXTURES)


def test_sample_service_comes_through(session: Session, imported: Any) -> None:
    assert (imported.services_created, imported.organizations_created, imported.locations_created) == (
        1,
        1,
        1,
    )
    service = session.get(Service, SERVICE_ID)
    assert service is not None
    assert service.name == "Yksilöllistetty oppimäärä"
    assert (service.description or "").startswith("Liperin koulut noudattavat erityisopetuksen suhteen")
    assert (service.application_process or "").startswith("Oppimäärän yksilöllistämisestä sovitaan")
    assert (service.eligibility_description or "").startswith("Oppimäärän yksilöllistäminen edellyttää")
    assert service.status == "active"
    assert service.organization.id == ORG_ID and service.organization.name == "Liperin kunta"
    assert service.service_classes == ("P6.2",)
    assert service.target_groups == ("KR1.2", "KR1")
    assert [x.code for x in service.languages] == ["fi"]
    assert service.email == "info@otavia.fi"  # the channel's first email


def test_sample_areas_and_the_unknown_municipality_code(session: Session, imported: Any) -> None:
    service = session.get(Service, SERVICE_ID)
    assert service is not None
    # PTV lists Liperi 426 and "123" for Tohmajärvi, whose code in the code list is 848.
    assert [(a.area_level, a.area_code, a.name) for a in service.service_areas] == [
        ("municipality", "426", "Liperi"),
        ("municipality", "848", "Tohmajärvi"),
    ]
    assert any("tuntematon kuntakoodi '123'" in w and "Tohmajärvi" in w for w in imported.warnings)


def test_sample_location_with_address_coordinates_phones_and_hours(session: Session, imported: Any) -> None:
    location = session.get(Location, CHANNEL_ID)
    assert location is not None
    assert location.name == "Otavan Opisto / Otavia"
    assert (location.description or "").startswith("Otavan Opiston kampus sijaitsee 5-tien varressa")
    assert location.url == "http://www.otavanopisto.fi/"
    [address] = location.addresses
    assert (address.address_1, address.postal_code, address.city, address.country, address.address_type) == (
        "Otavantie 2 B", "50670", "OTAVA", "FI", "physical",
    )  # fmt: skip
    assert address.state_province == "Etelä-Savo"  # Mikkeli's region
    # PTV gives ETRS-TM35FIN metres (N 6834688, E 503879): the Otava campus, 13 km south of Mikkeli.
    assert location.latitude is not None and location.longitude is not None
    assert 61.63 < location.latitude < 61.66 and 27.06 < location.longitude < 27.09
    assert [(p.number, p.description) for p in location.phones] == [
        ("+358 447943552", "Opintoasiainvastaava; maksullinen"),
        ("+358 447943565", "maksullinen"),
    ]
    assert [(s.byday, s.opens_at, s.closes_at) for s in location.schedules] == [
        ("MO,TU,WE,TH,FR", "08:00", "16:00")
    ]
    assert [x.code for x in location.languages] == ["fi", "en"]
    service = session.get(Service, SERVICE_ID)
    assert service is not None and [sal.location_id for sal in service.service_at_locations] == [CHANNEL_ID]


def test_channels_not_in_the_input_are_warned_about(imported: Any) -> None:
    for channel_id, name in SCHOOL_CHANNELS.items():
        [warning] = [w for w in imported.warnings if channel_id in w]
        assert warning.startswith(
            f'services_v11.json: palvelu #1 (id={SERVICE_ID}, nimi="Yksilöllistetty oppimäärä")'
        )
        assert f'("{name}") ei ole tuotavissa tiedostoissa' in warning


def test_what_is_not_stored_is_warned_about(imported: Any) -> None:
    warnings = "\n".join(imported.warnings)
    # The default organization type, and the sample's fields Ovi has no place for.
    assert f"organisaatio {ORG_ID}" in warnings and "Organization (järjestö)" in warnings
    for what in ("PTV-kenttä ontologyTerms", "PTV-kenttä generalDescriptionId",
                 "asiointipisteen muut verkko-osoitteet"):  # fmt: skip
        assert what in warnings
    # Stored since migration 0003: the entrances' accessibility, further emails (as contacts), funding.
    for stored in ("entrances", "sähköpostiosoitteet", "fundingType"):
        assert stored not in warnings


def test_accessibility_further_emails_and_funding_are_stored(session: Session, imported: Any) -> None:
    location = session.get(Location, CHANNEL_ID)
    assert location is not None
    [accessibility] = location.accessibility
    assert accessibility.description == "Reitti pääsisäänkäynnille"
    assert (accessibility.details or "").startswith("Liikkumisesteisten 1 autopaikka sijaitsee ulkona")
    service = session.get(Service, SERVICE_ID)
    assert service is not None and service.email == "info@otavia.fi"
    assert [c.email for c in service.contacts] == [
        "nettilukio@otavia.fi", "nettiperuskoulu@otavia.fi", "aineopiskelu@otavia.fi",
        "kurssit@otavanopisto.fi", "maahanmuuttajakoulutukset@otavanopisto.fi", "aikuislukio@otavanopisto.fi",
    ]  # fmt: skip
    assert [f.source for f in service.funding] == ["Julkisesti rahoitettu"]  # fundingType PubliclyFunded
    assert service.source == "ptv-json"


@pytest.mark.parametrize(
    ("charge", "vouchers", "expected"),
    [
        ("FreeOfCharge", False, ["free"]),
        ("Chargeable", True, ["fee", "service_voucher"]),
        (None, True, ["service_voucher"]),
        (None, False, []),
    ],
)
def test_charge_type_and_vouchers_give_the_cost_kind(
    tmp_path: Path, charge: str | None, vouchers: bool, expected: list[str]
) -> None:
    service = {**sample_service(), "serviceChargeType": charge, "serviceVouchersInUse": vouchers}
    record = only_record(convert(tmp_path, service))
    terms = [a["taxonomy_term"] for a in record["attributes"]]
    kinds = [t["code"] for t in terms if t["taxonomy"] == "ovi_cost"]
    assert kinds == expected


def test_reimport_changes_nothing(session: Session, imported: Any) -> None:
    counts, exported = row_counts(session), export_services(session)
    again = import_ptv_json(session, FIXTURES)
    assert (again.services_created, again.services_updated) == (0, 1)
    assert row_counts(session) == counts
    assert export_services(session) == exported


def test_dry_run_writes_nothing(session: Session) -> None:
    result = import_ptv_json(session, [SERVICES_FILE, CHANNEL_FILE], dry_run=True)
    assert result.dry_run and result.services_created == 1
    assert not any(row_counts(session).values())


def test_a_bad_file_writes_nothing(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "rikki.json"
    bad.write_text('{"itemList": [', encoding="utf-8")
    with pytest.raises(ImportValidationError) as caught:
        import_ptv_json(session, [SERVICES_FILE, CHANNEL_FILE, bad])
    assert "tiedosto rikki.json" in str(caught.value) and "ei ole kelvollista JSONia" in str(caught.value)
    assert not any(row_counts(session).values())


def test_a_bad_record_names_file_record_and_field_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    broken = sample_service()
    broken["serviceNames"] = []
    with pytest.raises(ImportValidationError) as caught:
        import_ptv_json(session, [write_json(tmp_path / "palvelut.json", [broken]), CHANNEL_FILE])
    [issue] = caught.value.issues
    assert issue.record == f"palvelut.json: palvelu #1 (id={SERVICE_ID})"
    assert issue.field == "serviceNames" and "nimi puuttuu" in issue.message
    assert not any(row_counts(session).values())


def test_stored_organization_type_is_kept(session: Session, tmp_path: Path) -> None:
    organizations = write_json(tmp_path / "organisaatiot.json", {"pageNumber": 1, "itemList": [ORGANIZATION]})
    first = import_ptv_json(session, [SERVICES_FILE, CHANNEL_FILE, organizations])
    assert not any(f"organisaatio {ORG_ID}" in w for w in first.warnings)
    org = session.get(Organization, ORG_ID)
    assert org is not None and (org.organization_type, org.provider_type) == ("Municipality", "public")
    assert org.description == "Liperin kunnan palvelut."
    # Without the organization object the directory's type and description stay.
    second = import_ptv_json(session, FIXTURES)
    assert not any(f"organisaatio {ORG_ID}" in w for w in second.warnings)
    session.expire_all()
    org = session.get(Organization, ORG_ID)
    assert org is not None and (org.organization_type, org.description) == (
        "Municipality",
        "Liperin kunnan palvelut.",
    )


# --- input shapes and rejected input ------------------------------------------------------------------------


def test_lists_pages_single_objects_and_id_maps_are_read(tmp_path: Path) -> None:
    service, channel = sample_service(), sample_channel()
    shapes = {
        "list.json": [service, channel],
        "page.json": {"pageNumber": 1, "pageSize": 2, "pageCount": 1, "itemList": [service, channel]},
        "by_id.json": {service["id"]: service, channel["id"]: channel},
    }
    expected = None
    for name, data in shapes.items():
        objects = load_ptv_objects([write_json(tmp_path / name, data)])
        assert [(o.kind, o.data["id"]) for o in objects] == [("service", SERVICE_ID), ("channel", CHANNEL_ID)]
        records = [r.data for r in convert_ptv(objects).records]
        assert expected is None or records == expected
        expected = records
    single = load_ptv_objects([CHANNEL_FILE])
    assert [(o.kind, o.label) for o in single] == [
        (
            "channel",
            f'service_channel_v11.json: asiointikanava #1 (id={CHANNEL_ID}, nimi="Otavan Opisto / Otavia")',
        )
    ]


def test_an_object_that_is_neither_service_nor_channel_is_rejected(tmp_path: Path) -> None:
    error = rejected(tmp_path, sample_service(), {"id": "x", "title": "?"}, name="sekalaista.json")
    [issue] = error.issues
    assert issue.record == "sekalaista.json: kohde #2 (id=x)"
    assert "ei ole PTV:n palvelu" in issue.message


def test_unknown_service_class_is_rejected_by_name(tmp_path: Path) -> None:
    service = sample_service()
    service["serviceClasses"][0]["code"] = "P99.9"
    [issue] = rejected(tmp_path, service).issues
    assert issue.record.startswith(f"ptv.json: palvelu #1 (id={SERVICE_ID}")
    assert issue.field == "serviceClasses[0].code"
    assert issue.message == "tuntematon palveluluokka 'P99.9'"


def test_missing_organization_and_area_are_rejected(tmp_path: Path) -> None:
    service = sample_service()
    service["organizations"] = []
    service["areas"] = [{"type": "BusinessRegions", "code": "1", "name": None, "municipalities": []}]
    error = rejected(tmp_path, service)
    assert {(i.field, i.message.split(" (")[0]) for i in error.issues} == {
        ("organizations", "vastuuorganisaatio tai sen id"),
        ("areas", "palvelualue puuttuu"),
    }


def test_empty_folder_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError, match="kansiossa ei ole yhtään JSON-tiedostoa"):
        load_ptv_objects([tmp_path])


# --- mapping details ----------------------------------------------------------------------------------------


def test_phone_and_web_page_channels_give_phones_hours_url_and_email(tmp_path: Path) -> None:
    service = linked_to(sample_service(), PHONE_CHANNEL, WEB_CHANNEL)
    record = only_record(convert(tmp_path, service, PHONE_CHANNEL, WEB_CHANNEL))
    # The Swedish line repeats the Finnish number: one phone, described in Finnish.
    assert [(p["number"], p["type"], p["description"]) for p in record["phones"]] == [
        ("0800123456", "voice", "Neuvonta; maksuton"),
        ("+358 401234567", "text", "maksullinen"),
    ]
    assert record["url"] == "https://www.liperi.example/koulut"  # PTV allows URLs without a scheme
    assert record["email"] == "neuvonta@liperi.example"
    assert "service_at_locations" not in record
    hours = [{k: v for k, v in s.items() if k != "id"} for s in record["schedules"]]
    assert hours == [
        {"freq": "WEEKLY", "byday": "MO,TU", "opens_at": "09:00", "closes_at": "15:00",
         "notes": "Ei palvelua arkipyhinä"},
        {"freq": "WEEKLY", "byday": "SA", "opens_at": "10:00", "closes_at": "12:00",
         "notes": "Ei palvelua arkipyhinä"},
        {"valid_from": "2024-12-24", "valid_to": "2024-12-26", "notes": "Joulu",
         "description": "Suljettu 24.12.2024–26.12.2024"},
        {"valid_from": "2024-12-31", "valid_to": "2024-12-31", "opens_at": "10:00", "closes_at": "13:00",
         "description": "Poikkeuksellisesti avoinna 31.12.2024 klo 10.00–13.00"},
        {"freq": "WEEKLY", "byday": "FR", "opens_at": "22:00", "closes_at": "02:00"},
    ]  # fmt: skip


def test_always_open_and_by_appointment_hours(tmp_path: Path) -> None:
    channel = copy.deepcopy(PHONE_CHANNEL)
    channel["serviceHours"] = [
        {"serviceHourType": "DaysOfTheWeek", "isAlwaysOpen": True, "additionalInformation": [],
         "openingHour": []},
        {"serviceHourType": "DaysOfTheWeek", "isReservation": True, "additionalInformation": [],
         "openingHour": [{"dayFrom": "Wednesday", "dayTo": "", "from": "12:00:00", "to": "14:00:00"}]},
    ]  # fmt: skip
    record = only_record(convert(tmp_path, linked_to(sample_service(), channel), channel))
    assert [
        (s.get("byday"), s.get("opens_at"), s.get("closes_at"), s.get("notes")) for s in record["schedules"]
    ] == [
        ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59", None),
        ("WE", "12:00", "14:00", "Ajanvarauksella"),
    ]


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ({"areaType": "Nationwide"}, [{"name": "Koko Suomi", "extent_type": "text", "extent": "FI"}]),
        ({"areaType": "NationwideExceptAlandIslands"},
         [{"name": "Koko Suomi", "extent_type": "text", "extent": "FI",
           "description": "Koko Suomi paitsi Ahvenanmaa"}]),
        ({"areaType": "LimitedType", "areas": [{"type": "WellbeingServiceCounties", "code": "10"}]},
         [{"name": "Kymenlaakson hyvinvointialue",
           "uri": "http://uri.suomi.fi/codelist/jhs/hyvinvointialue_1_20211013/code/10"}]),
        ({"areaType": "LimitedType", "areas": [{"type": "Region", "code": "08"}]},
         [{"name": "Kymenlaakso", "uri": "http://uri.suomi.fi/codelist/jhs/maakunta_1_20220101/code/08"}]),
        ({"areaType": "LimitedType", "areas": [{"type": "Municipality", "code": "285"}]},
         [{"name": "Kotka", "uri": f"{KUNTA}285"}]),
    ],
)  # fmt: skip
def test_area_types(tmp_path: Path, areas: JSON, expected: list[JSON]) -> None:
    service = {**sample_service(), "areas": [], **areas}
    record = only_record(convert(tmp_path, service))
    assert [{k: v for k, v in a.items() if k != "id"} for a in record["service_areas"]] == expected


def test_other_area_types_use_their_municipalities_with_a_warning(tmp_path: Path) -> None:
    service = sample_service()
    service["areas"] = [
        {
            "type": "HospitalRegions",
            "code": "7",
            "municipalities": [{"code": "285", "name": lang_items("Kotka")}],
        },
        {"type": "BusinessRegions", "code": "81", "municipalities": []},
    ]
    conversion = convert(tmp_path, service)
    assert [a["uri"] for a in only_record(conversion)["service_areas"]] == [f"{KUNTA}285"]
    warnings = "\n".join(conversion.warnings)
    assert "areas[0]: Ovi ei tunne aluetta HospitalRegions 7; käytettiin sen 1 kuntaa" in warnings
    assert (
        "areas[1]: Ovi ei tunne aluetta BusinessRegions 81, eikä PTV luettele sen kuntia; ohitettiin"
        in warnings
    )


def _translations(owner: JSON) -> dict[str, str]:
    return {
        a["taxonomy_term"]["code"]: a["value"]
        for a in owner.get("attributes", [])
        if a["taxonomy_term"]["taxonomy"] == "ovi_translation"
    }


def test_texts_fall_back_to_swedish_and_translations_are_kept(tmp_path: Path) -> None:
    swedish_only = sample_service()
    swedish_only["serviceNames"] = [{"language": "sv", "value": "Individualiserad lärokurs", "type": "Name"}]
    record = only_record(conversion := convert(tmp_path, swedish_only))
    assert record["name"] == "Individualiserad lärokurs"
    assert any("ei suomenkielistä nimeä; käytettiin kieltä sv" in w for w in conversion.warnings)
    assert _translations(record) == {}  # the name itself is the Swedish one: not repeated

    bilingual = sample_service()
    bilingual["serviceNames"].append({"language": "sv", "value": "Individualiserad lärokurs", "type": "Name"})
    conversion = convert(tmp_path, bilingual)
    record = only_record(conversion)
    assert record["name"] == "Yksilöllistetty oppimäärä"
    assert _translations(record) == {"sv:name": "Individualiserad lärokurs"}
    assert not any("ruotsin- ja englanninkieliset nimet" in w for w in conversion.warnings)
    assert not any("muilla kielillä" in w for w in conversion.warnings)


def test_unpublished_service_is_inactive_and_fees_are_described(tmp_path: Path) -> None:
    service = sample_service()
    service["publishingStatus"] = "Draft"
    service["serviceChargeType"] = "Chargeable"
    service["serviceDescriptions"].append(
        {"language": "fi", "value": "Hinta 10 €", "type": "ChargeTypeAdditionalInfo"}
    )
    record = only_record(convert(tmp_path, service))
    assert record["status"] == "inactive"
    assert record["fees_description"] == "Maksullinen. Hinta 10 €."


def test_three_letter_language_codes_are_skipped_with_a_warning(tmp_path: Path) -> None:
    service = {**sample_service(), "languages": ["fi", "smn"]}
    conversion = convert(tmp_path, service)
    assert [x["code"] for x in only_record(conversion)["languages"]] == ["fi"]
    assert any("kielikoodi 'smn' ei ole ISO 639-1 -koodi" in w for w in conversion.warnings)


def test_tm35fin_conversion_on_the_central_meridian() -> None:
    # TM35FIN's central meridian is 27° E and its false easting 500 000 m.
    lat, lon = tm35fin_to_wgs84(6_900_000, 500_000)
    assert lon == pytest.approx(27.0) and 62.0 < lat < 62.3


# --- the command line ---------------------------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    return subprocess.run(
        [sys.executable, "-m", "directory_db", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_cli_imports_a_ptv_folder(tmp_path: Path) -> None:
    assert _cli(tmp_path, "init").returncode == 0
    result = _cli(tmp_path, "import", str(FIXTURES), "--format", "ptv-json")
    assert result.returncode == 0, result.stderr
    assert "Tuotiin 1 palvelua (1 uutta, 0 päivitettyä), 1 organisaatiota ja 1 sijaintia." in result.stdout
    assert "varoitus: " in result.stderr and "Liperin koulu" in result.stderr

    bad = write_json(tmp_path / "huono.json", [{"serviceNames": [], "id": SERVICE_ID}])
    failed = _cli(tmp_path, "import", str(bad), "--format", "ptv-json")
    assert failed.returncode == 1
    assert f"huono.json: palvelu #1 (id={SERVICE_ID}): kenttä serviceNames" in failed.stderr
    assert "Traceback" not in failed.stderr
