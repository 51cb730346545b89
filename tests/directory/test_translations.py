"""Translations (README.md "Finnish profile extensions", ``ovi_translation``): PTV's Swedish and English names
and descriptions are stored, read back in the resident's language, exported and imported again unchanged,
checked on import, and searchable by their own words."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from directory_db import hsds, migrate, schemas
from directory_db.db import make_engine, make_session_factory
from directory_db.export import export_hsds_json, export_services
from directory_db.export_csv import export_hsds_csv
from directory_db.importers import (
    ImportResult,
    ImportValidationError,
    import_hsds_csv,
    import_hsds_json,
    import_ptv_json,
)
from directory_db.importers.terms import ovi_attribute
from directory_db.models import Location, Organization, Service
from directory_db.profile import OVI_TAXONOMIES, TRANSLATED_FIELDS, TRANSLATION_TAXONOMY
from directory_db.search import SearchOptions, rank_services
from directory_db.search_index import build_document
from directory_db.service_facts import localized, localized_description, localized_name, translations

from .conftest import SERVICE_IDS, row_counts, valid_records, write_json

JSON = dict[str, Any]
PTV = Path(__file__).resolve().parent / "fixtures" / "ptv"
SERVICE_ID = "6c00d407-d3fd-4c7e-a373-57be9f3b2cff"
CHANNEL_ID = "961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f"
ORG_ID = "a6e72986-0d23-4d4b-8619-b49fa0c5baa3"
FI_NAME = "Yksilöllistetty oppimäärä"
SV_NAME = "Individualiserad lärokurs"
EN_NAME = "Individualised syllabus"
SV_DESCRIPTION = "Lärokursen kan individualiseras om eleven inte klarar av den allmänna lärokursen."
EN_SUMMARY = "The syllabus may be individualised when a pupil cannot follow the general one."
LEXICAL = SearchOptions(semantic=False)


def _item(language: str, value: str, type_: str) -> JSON:
    return {"language": language, "value": value, "type": type_}


def _ptv_service() -> JSON:
    data: JSON = json.loads((PTV / "services_v11.json").read_text(encoding="utf-8"))[SERVICE_ID]
    return data


def _ptv_channel() -> JSON:
    data: JSON = json.loads((PTV / "service_channel_v11.json").read_text(encoding="utf-8"))
    return data


ORGANIZATION: JSON = {
    "id": ORG_ID,
    "organizationType": "Municipality",
    "organizationNames": [_item("fi", "Liperin kunta", "Name"), _item("sv", "Libelits kommun", "Name")],
    "organizationDescriptions": [
        _item("fi", "Liperin kunnan palvelut.", "Description"),
        _item("en", "The services of the municipality of Liperi.", "Description"),
    ],
    "publishingStatus": "Published",
}


def bilingual_ptv(folder: Path) -> Path:
    """The real PTV samples with Swedish and English texts added, in the shape PTV gives them."""
    service = _ptv_service()
    service["serviceNames"] += [_item("sv", SV_NAME, "Name"), _item("en", EN_NAME, "Name")]
    service["serviceDescriptions"] += [
        _item("sv", SV_DESCRIPTION, "Description"),
        _item("en", EN_SUMMARY, "Summary"),
        _item("sv", "Kontakta skolan.", "UserInstruction"),
    ]
    channel = _ptv_channel()
    channel["serviceChannelNames"].append(_item("sv", "Otava folkhögskola", "Name"))
    channel["serviceChannelDescriptions"].append(
        _item("en", "The campus of Otava Folk High School.", "Summary")
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "1_services.json", {SERVICE_ID: service})
    write_json(folder / "2_channel.json", channel)
    write_json(folder / "3_organization.json", [ORGANIZATION])
    return folder


def _fresh_session(tmp_path: Path, name: str) -> Session:
    url = f"sqlite:///{tmp_path / name}"
    migrate.upgrade(url)
    return make_session_factory(make_engine(url))()


def _service(session: Session) -> Service:
    session.expire_all()
    service = session.get(Service, SERVICE_ID)
    assert service is not None
    return service


@pytest.fixture
def bilingual(session: Session, tmp_path: Path) -> ImportResult:
    return import_ptv_json(session, bilingual_ptv(tmp_path / "ptv"))


# --- PTV import and reading ---------------------------------------------------------------------------------


def test_ptv_swedish_and_english_texts_are_stored(session: Session, bilingual: ImportResult) -> None:
    service = _service(session)
    assert service.name == FI_NAME  # the fields stay Finnish
    assert translations(service) == {
        "sv": {"name": SV_NAME, "description": SV_DESCRIPTION, "application_process": "Kontakta skolan."},
        "en": {"name": EN_NAME, "description": EN_SUMMARY},
    }
    location = session.get(Location, CHANNEL_ID)
    organization = session.get(Organization, ORG_ID)
    assert location is not None and organization is not None
    assert translations(location) == {
        "sv": {"name": "Otava folkhögskola"},
        "en": {"description": "The campus of Otava Folk High School."},
    }
    assert translations(organization) == {
        "sv": {"name": "Libelits kommun"},
        "en": {"description": "The services of the municipality of Liperi."},
    }
    # Stored, so no longer reported as not stored.
    assert not any("muunkieliset" in w or "ruotsin- ja englanninkieliset" in w for w in bilingual.warnings)
    terms = {
        a.taxonomy_term.code: a.taxonomy_term.name
        for a in service.attributes
        if a.taxonomy == TRANSLATION_TAXONOMY
    }
    assert terms["sv:name"] == "Nimi ruotsiksi" and terms["en:description"] == "Kuvaus englanniksi"


def test_the_public_api_carries_the_translations_and_stays_valid_hsds(
    session: Session, bilingual: ImportResult
) -> None:
    public = hsds.service(_service(session))
    assert schemas.iter_errors("compiled/service", public) == []
    codes = {a["taxonomy_term"]["code"]: a.get("value") for a in public["attributes"]}
    assert codes["sv:name"] == SV_NAME and codes["en:description"] == EN_SUMMARY


def test_localized_texts_fall_back_to_finnish(session: Session, bilingual: ImportResult) -> None:
    service = _service(session)
    assert localized_name(service, "sv") == SV_NAME
    assert localized_name(service, "sv-FI") == SV_NAME
    assert localized_name(service, "EN") == EN_NAME
    assert localized_name(service, "fi") == localized_name(service, None) == FI_NAME
    assert localized_name(service, "se") == FI_NAME  # no Northern Sami text: Finnish
    assert localized_description(service, "en") == EN_SUMMARY
    assert localized_description(service, "fi") == service.description
    assert localized(service, "application_process", "en") == service.application_process
    assert localized(service, "application_process", "sv") == "Kontakta skolan."
    assert localized_name(service.organization, "sv") == "Libelits kommun"


def test_reimporting_the_same_feed_changes_nothing(
    session: Session, bilingual: ImportResult, tmp_path: Path
) -> None:
    before = row_counts(session)
    again = import_ptv_json(session, tmp_path / "ptv")
    assert again.services_unchanged == 1
    assert row_counts(session) == before


def test_a_swedish_only_service_keeps_swedish_as_its_name_and_english_as_translation(
    session: Session, tmp_path: Path
) -> None:
    service = _ptv_service()
    service["serviceNames"] = [_item("sv", SV_NAME, "Name"), _item("en", EN_NAME, "Name")]
    folder = tmp_path / "ptv"
    folder.mkdir()
    write_json(folder / "services.json", [service])
    result = import_ptv_json(session, folder)
    assert any("ei suomenkielistä nimeä; käytettiin kieltä sv" in w for w in result.warnings)
    stored = _service(session)
    assert stored.name == SV_NAME
    assert translations(stored) == {"en": {"name": EN_NAME}}  # the Swedish name is not repeated
    assert localized_name(stored, "sv") == localized_name(stored, "fi") == SV_NAME
    assert localized_name(stored, "en") == EN_NAME


def test_texts_in_other_languages_are_reported_not_dropped_silently(session: Session, tmp_path: Path) -> None:
    service = _ptv_service()
    service["serviceNames"].append(_item("se", "Individualiserejuvvon oahppomearri", "Name"))
    folder = tmp_path / "ptv"
    folder.mkdir()
    write_json(folder / "services.json", [service])
    result = import_ptv_json(session, folder)
    assert translations(_service(session)) == {}
    assert any(
        "nimet ja kuvaukset muilla kielillä kuin suomi, ruotsi ja englanti: 1 palvelussa" in w
        for w in result.warnings
    )


# --- round trips --------------------------------------------------------------------------------------------


def test_json_export_round_trip_is_identical(
    session: Session, bilingual: ImportResult, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    export_hsds_json(session, first)
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert SV_NAME in json.dumps(exported, ensure_ascii=False)
    assert "Otava folkhögskola" in json.dumps(exported, ensure_ascii=False)
    with _fresh_session(tmp_path, "second.sqlite3") as second_session:
        import_hsds_json(second_session, first)
        assert row_counts(second_session) == row_counts(session)
        assert translations(_service(second_session)) == translations(_service(session))
        second = tmp_path / "second.json"
        export_hsds_json(second_session, second)
    assert first.read_bytes() == second.read_bytes()


def test_csv_export_round_trip_is_identical(
    session: Session, bilingual: ImportResult, tmp_path: Path
) -> None:
    before = export_services(session)
    export_hsds_csv(session, tmp_path / "vienti")
    assert "Libelits kommun" in (tmp_path / "vienti" / "attributes.csv").read_text(encoding="utf-8")
    with _fresh_session(tmp_path, "second.sqlite3") as second:
        result = import_hsds_csv(second, tmp_path / "vienti")
        assert result.warnings == ()
        assert row_counts(second) == row_counts(session)
        assert export_services(second) == before


# --- the profile check --------------------------------------------------------------------------------------

Records = list[dict[str, Any]]
BROKEN = 3  # the fourth record of the fixture
BROKEN_NAME = "Diakonian talous- ja velkaneuvonta"


def _translate(owner: JSON, code: str, value: str | None = "text", *, as_code: str | None = None) -> str:
    """Add a translation attribute (written with a valid code, then given ``as_code``); returns its path."""
    attributes = owner.setdefault("attributes", [])
    attribute = ovi_attribute(owner["id"], TRANSLATION_TAXONOMY, code, value)
    if as_code is not None:
        attribute["taxonomy_term"]["code"] = as_code
    attributes.append(attribute)
    return f"attributes[{len(attributes) - 1}]"


def _unknown_field(r: Records) -> str:
    return _translate(r[BROKEN], "sv:name", as_code="sv:nimi") + ".taxonomy_term.code"


def _unknown_language(r: Records) -> str:
    return _translate(r[BROKEN], "sv:name", as_code="de:name") + ".taxonomy_term.code"


def _finnish(r: Records) -> str:
    return _translate(r[BROKEN], "sv:name", as_code="fi:name") + ".taxonomy_term.code"


def _no_language(r: Records) -> str:
    return _translate(r[BROKEN], "sv:name", as_code="name") + ".taxonomy_term.code"


def _empty_text(r: Records) -> str:
    return _translate(r[BROKEN], "en:description", "  ") + ".value"


def _service_field_on_organization(r: Records) -> str:
    path = _translate(r[BROKEN]["organization"], "sv:application_process")
    return f"organization.{path}.taxonomy_term.code"


def _on_a_phone(r: Records) -> str:
    phone = r[BROKEN]["phones"][0]
    return "phones[0]." + _translate(phone, "sv:name") + ".taxonomy_term.taxonomy"


def _twice(r: Records) -> str:
    _translate(r[BROKEN], "sv:name", "Skuldrådgivning")
    path = _translate(r[BROKEN], "sv:name", "Skuldrådgivning igen")
    r[BROKEN]["attributes"][-1]["id"] = "0f4d5a0e-8d1f-4b7e-9a36-0c2e8f1b7d42"
    return path + ".taxonomy_term.code"


BAD: list[tuple[str, Callable[[Records], str], str]] = [
    ("unknown field", _unknown_field, 'palvelun kenttää "nimi" ei käännetä (sallitut: name, alternate_name'),
    (
        "unknown language",
        _unknown_language,
        'käännöksen kieli "de" ei ole profiilin kieli (sallitut: sv, en)',
    ),
    ("finnish", _finnish, "suomenkielinen teksti kuuluu itse kenttään name"),
    ("no language", _no_language, 'muotoa kieli:kenttä (esim. "sv:name"), ei "name"'),
    ("empty text", _empty_text, "luokituksen ovi_translation attribuutilla pitää olla arvo"),
    (
        "service field on organization",
        _service_field_on_organization,
        'organisaation kenttää "application_process"',
    ),
    ("on a phone", _on_a_phone, "luokituksen ovi_translation attribuutti kuuluu vain"),
    ("twice", _twice, "ovi_translation/sv:name on jo attribuutissa"),
]


@pytest.mark.parametrize(("case", "breaker", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_translation_is_refused_naming_record_and_field(
    session: Session,
    imported: ImportResult,
    tmp_path: Path,
    case: str,
    breaker: Callable[[Records], str],
    fragment: str,
) -> None:
    before = row_counts(session)
    records = valid_records()
    records[0]["name"] = "Tämä muutos ei saa tallentua"
    field = breaker(records)
    with pytest.raises(ImportValidationError) as raised:
        import_hsds_json(session, write_json(tmp_path / "bad.json", records))
    message = str(raised.value)
    assert f'palvelu #4 (id={SERVICE_IDS[BROKEN_NAME]}, nimi="{BROKEN_NAME}"): kenttä {field}: ' in message
    assert fragment in message
    session.expire_all()
    assert row_counts(session) == before


def test_every_translatable_field_is_a_text_field_of_its_object_and_has_codes() -> None:
    from directory_db import hsds_fields as f

    scalars = {
        "service": f.SERVICE_SCALARS,
        "organization": f.ORGANIZATION_SCALARS,
        "location": f.LOCATION_SCALARS,
    }
    codes = OVI_TAXONOMIES[TRANSLATION_TAXONOMY].codes
    for owner, fields in TRANSLATED_FIELDS.items():
        assert set(fields) <= set(scalars[owner])
        assert {f"{lang}:{name}" for lang in ("sv", "en") for name in fields} <= codes.keys()
    assert "transportation" not in TRANSLATED_FIELDS["location"]  # hidden for a confidential address


def test_valid_translations_of_an_hsds_file_are_stored(session: Session, tmp_path: Path) -> None:
    records = valid_records()
    _translate(records[BROKEN], "sv:name", "Diakonins ekonomi- och skuldrådgivning")
    _translate(records[BROKEN]["organization"], "en:name", "Kotka parish union")
    import_hsds_json(session, write_json(tmp_path / "ok.json", records))
    service = session.get(Service, SERVICE_IDS[BROKEN_NAME])
    assert service is not None
    assert localized_name(service, "sv") == "Diakonins ekonomi- och skuldrådgivning"
    assert localized_name(service.organization, "en") == "Kotka parish union"


# --- search -------------------------------------------------------------------------------------------------


def test_a_swedish_or_english_query_finds_the_service_by_its_translated_name(
    session: Session, tmp_path: Path
) -> None:
    import_ptv_json(session, PTV)  # Finnish only
    finnish_only = build_document(_service(session))
    assert rank_services(session, SV_NAME, options=LEXICAL) == []

    import_ptv_json(session, bilingual_ptv(tmp_path / "ptv"))
    for query in (SV_NAME, "individualiserad", EN_NAME, "Libelits"):
        ranked = rank_services(session, query, options=LEXICAL)
        assert [r.service_id for r in ranked] == [SERVICE_ID], query
    assert "lärokurs" in rank_services(session, "lärokurs", options=LEXICAL)[0].matched_terms

    # A translation adds words, not length nor weight to the words the Finnish text already has: a Finnish
    # query ranks the service as before.
    bilingual = build_document(_service(session))
    assert bilingual.length == finnish_only.length
    assert {t: bilingual.terms[t] for t in finnish_only.terms} == finnish_only.terms
    assert bilingual.embedding_text == finnish_only.embedding_text
    assert bilingual.terms["individualiserad"] == 3  # the name's weight, once (not per language)
