"""Search: Finnish base forms and compounds, municipality / class / target group filters, ranking."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory_db import search, search_index, text_analysis
from directory_db.areas import COUNTY_TO_REGION, AreaError, AreaRef, areas_serving
from directory_db.importers import ImportResult, import_hsds_json
from directory_db.search import SearchHit, search_services
from directory_db.search_index import build_document
from ovi_lang import codes

from .conftest import SERVICE_IDS, valid_records, write_json

KOTKA, LAHTI, HELSINKI = "285", "398", "091"


def _names(hits: list[SearchHit]) -> list[str]:
    return [h.service.name for h in hits]


# --- text analysis ---------------------------------------------------------------------------------------


def test_compounds_are_split_into_their_parts() -> None:
    terms = text_analysis.terms("Päihdetyön avopalvelu")
    assert {"päihdetyö", "päihde", "työ", "avopalvelu"} <= set(terms)


def test_inflected_words_become_base_forms_and_stop_words_go() -> None:
    assert text_analysis.terms("päihteisiin") == ("päihde",)
    assert text_analysis.terms("mistä saan apua päihteisiin") == ("päihde",)
    assert text_analysis.terms("keskusteluapua")[0] == "keskusteluapu"  # the compound stays findable


def test_hyphenated_words_are_indexed_whole_and_in_parts() -> None:
    terms = text_analysis.terms("Kotka-Hamina")
    assert {"kotka", "hamina"} <= set(terms)


def test_a_compound_a_hyphen_split_is_indexed_as_the_whole_word_too() -> None:
    # A text written "kuljetus-palvelusta" is found by "kuljetuspalvelua", as a query written with the
    # hyphen is read as the whole word (tests/directory/test_synonyms.py): Voikko alone read the pieces as
    # "kuljetus" and "palvelus" (military service), and nothing met the query's "kuljetuspalvelu".
    counts, _ = text_analysis.document_terms("päätökset kuljetus-palvelusta")
    assert ("kuljetuspalvelu", False) in counts
    query = {t.term for t in text_analysis.query_terms("kuljetuspalvelua") if t.origin == "word"}
    assert query & {term for term, is_part in counts if not is_part}


def test_cached_analyses_are_those_of_a_fresh_analysis() -> None:
    # Both caches (per word, per text) must answer what analysing anew answers, however often asked.
    text = "Päihdetyön avopalvelu Kotka-Haminassa, päihdetyön neuvonta ja Kotka-Haminan nuoret"
    text_analysis._word_forms.cache_clear()
    text_analysis.document_terms.cache_clear()
    fresh = text_analysis.document_terms.__wrapped__(text)
    assert text_analysis.document_terms(text) == fresh
    assert text_analysis.document_terms(text) == fresh  # the cached answer, unchanged by the first reader
    assert text_analysis.document_terms.cache_info().hits == 1
    word = "Kotka-Haminassa"
    assert text_analysis._word_forms(word) == text_analysis._word_forms.__wrapped__(word)
    counts, words = fresh
    assert words == 8 and counts[("päihdetyö", False)] == 2 and counts[("hamina", True)] == 2


def test_cached_field_weights_are_those_of_the_analysis() -> None:
    # build_document reads a text's weighted terms from a cache: the same floats, in the same order, as
    # weighting the analysis anew, so a document's sums do not depend on what an import indexed before.
    text = "Päihdetyön avopalvelu Kotka-Haminassa, päihdetyön neuvonta"
    search_index._field_terms.cache_clear()
    weighted, length = search_index._field_terms(text, 3)
    assert search_index._field_terms(text, 3) == (weighted, length)
    assert search_index._field_terms.cache_info().hits == 1
    counts, words = text_analysis.document_terms.__wrapped__(text)
    part = text_analysis.PART
    assert weighted == tuple((t, 3 * c * (part if is_part else 1.0)) for (t, is_part), c in counts.items())
    assert length == 3 * words
    assert search_index._field_terms(text, 1) != (weighted, length)  # the weight is part of the key


def test_finnish_sort_order() -> None:
    words = ["Öljy", "Ähtäri", "Åland", "Zeta", "apu"]
    assert sorted(words, key=text_analysis.finnish_sort_key) == ["apu", "Zeta", "Åland", "Ähtäri", "Öljy"]


def test_document_weights_fields_and_discounts_compound_parts(
    session: Session, imported: ImportResult
) -> None:
    hit = search_services(session, "päihdetyö")[0]
    terms = build_document(hit.service).terms
    # "Päihdetyön ..." in the name (3) is a compound: päihde is a part there (3 × 0.4); the class name
    # "Päihdepalvelut" (2) is a compound too; "Kymen A-kilta ry" gives kilta as a hyphen part (1 × 0.4).
    assert terms["päihdetyö"] >= 3
    assert terms["kilta"] < terms["päihdetyö"]
    assert "päihde" in terms and terms["päihde"] < terms["päihdetyö"] + 2


# --- text queries ----------------------------------------------------------------------------------------


def test_inflected_query_finds_compound_in_name(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, "päihteisiin")
    assert "Päihdetyön avopalvelu" in _names(hits)
    hit = next(h for h in hits if h.service.name == "Päihdetyön avopalvelu")
    assert hit.score > 0 and "päihde" in hit.matched_terms


def test_compound_part_query_finds_the_compound(session: Session, imported: ImportResult) -> None:
    assert "Diakonian talous- ja velkaneuvonta" in _names(search_services(session, "velka"))
    assert "Diakonian talous- ja velkaneuvonta" in _names(search_services(session, "velkojen"))


def test_only_matching_services_are_returned_for_text(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, "velkaneuvonta")
    assert _names(hits)[0] == "Diakonian talous- ja velkaneuvonta"
    assert all(h.score > 0 for h in hits)
    assert search_services(session, "xyzzy") == []


def test_name_outweighs_description(session: Session, imported: ImportResult) -> None:
    # "kriisi" is in one service's name and in no other text.
    hits = search_services(session, "kriisi")
    assert _names(hits) == ["Valtakunnallinen kriisipuhelin"]


def test_stop_word_only_text_lists_everything(session: Session, imported: ImportResult) -> None:
    assert len(search_services(session, "mistä", limit=None)) == 6


# --- municipality filter ---------------------------------------------------------------------------------


def test_municipality_includes_county_region_and_nationwide(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, None, municipality=KOTKA, limit=None)
    levels = {h.service.name: h.area_level for h in hits}
    assert levels == {
        "Päihdetyön avopalvelu": "municipality",
        "Diakonian talous- ja velkaneuvonta": "municipality",
        "Mielenterveys- ja päihdeneuvonta": "county",
        "Läheisten vertaistukiryhmä": "region",
        "Valtakunnallinen kriisipuhelin": "nationwide",
    }
    assert "Nuorten päihdeneuvonta" not in levels  # Päijät-Häme county


def test_municipality_excludes_another_county(session: Session, imported: ImportResult) -> None:
    lahti = _names(search_services(session, "päihde", municipality=LAHTI))
    assert "Nuorten päihdeneuvonta" in lahti
    assert "Mielenterveys- ja päihdeneuvonta" not in lahti and "Päihdetyön avopalvelu" not in lahti
    helsinki = _names(search_services(session, None, municipality=HELSINKI))
    assert helsinki == ["Valtakunnallinen kriisipuhelin"]


def test_no_text_lists_services_of_the_municipality_by_name(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, None, municipality=KOTKA, limit=None)
    assert all(h.score == 0 for h in hits)
    # Equal scores: more local first, then by name.
    assert _names(hits) == [
        "Diakonian talous- ja velkaneuvonta",
        "Päihdetyön avopalvelu",
        "Mielenterveys- ja päihdeneuvonta",
        "Läheisten vertaistukiryhmä",
        "Valtakunnallinen kriisipuhelin",
    ]
    assert _names(search_services(session, "", municipality=KOTKA, limit=None)) == _names(hits)


def test_unknown_municipality_is_an_error(session: Session, imported: ImportResult) -> None:
    with pytest.raises(AreaError, match="tuntematon kuntakoodi 999"):
        search_services(session, "päihde", municipality="999")


def test_region_of_a_municipality_comes_from_its_county() -> None:
    assert areas_serving(KOTKA) == (
        AreaRef("municipality", KOTKA),
        AreaRef("county", "10"),
        AreaRef("region", "08"),
        AreaRef("nationwide", "FI"),
    )
    assert areas_serving("142")[2] == AreaRef("region", "07")  # Iitti moved to Päijät-Häme in 2021


def test_county_to_region_table_matches_the_code_lists() -> None:
    counties, regions = codes.codes("hyvinvointialue"), codes.codes("maakunta")
    assert set(COUNTY_TO_REGION) == set(counties)
    assert set(COUNTY_TO_REGION.values()) == set(regions)
    for county, region in COUNTY_TO_REGION.items():
        county_name, region_name = counties[county].name_en, regions[region].name_en
        # "Kymenlaakso wellbeing services county" → "Kymenlaakso"; the Uusimaa split and Helsinki → Uusimaa.
        assert county_name.startswith(region_name) or region_name == "Uusimaa" or region_name in county_name
    for municipality, county in codes.municipality_to_county().items():
        assert county in COUNTY_TO_REGION, municipality


# --- classes, target groups, ranking ----------------------------------------------------------------------


def test_service_classes_without_text(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, None, service_classes=["P15.1"], limit=None)
    assert _names(hits) == ["Diakonian talous- ja velkaneuvonta"]
    assert hits[0].matched_classes == ("P15.1",)
    parent = search_services(session, None, service_classes=["P15"], limit=None)
    assert _names(parent) == ["Diakonian talous- ja velkaneuvonta"]  # P15 covers P15.1


def test_first_requested_class_ranks_first(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, None, municipality=KOTKA, service_classes=["P5.17", "P5.7"], limit=None)
    names = _names(hits)
    # P5.17 services (neuvonta county-wide, kriisipuhelin nationwide) before P5.7-only ones.
    assert names[:2] == ["Mielenterveys- ja päihdeneuvonta", "Valtakunnallinen kriisipuhelin"]
    assert names[2] == "Päihdetyön avopalvelu"
    assert hits[0].matched_classes == ("P5.17", "P5.7")


def test_matched_classes_read_per_result_are_each_services_own(
    session: Session, imported: ImportResult
) -> None:
    # Read for the returned services only (a broad class has thousands): the same as a service's own classes
    # within the request, the best-placed request's first, then by code, each once.
    snap = search_index.snapshot(session)
    requested = ["P5.17", "P5", "P15.1", "P5.7"]
    _, matches = search._class_boosts(snap, requested)
    found = 0
    for doc in range(snap.size):
        own = [code for code, docs in snap.classes.items() if doc in docs.tolist()]
        pairs = sorted(
            (i, code) for code in own for i, want in enumerate(requested) if search._within(code, want)
        )
        assert search._matched_classes(matches, doc) == tuple(dict.fromkeys(code for _, code in pairs))
        found += bool(pairs)
    assert found >= 3


def test_terms_and_provider_read_per_result_are_each_services_own(
    session: Session, imported: ImportResult
) -> None:
    snap = search_index.snapshot(session)
    text = "päihdetyön neuvonta velkaneuvonta kriisipuhelin"
    terms = text_analysis.query_terms(text, known=snap.postings.__contains__)
    docs = list(range(snap.size))
    matched = search._matched_terms(snap, terms, docs)
    for doc in docs:
        own = [qt for qt in terms if qt.term in snap.postings and doc in snap.postings[qt.term][0].tolist()]
        assert matched[doc] == own
        kinds = [kind for kind, members in snap.provider_types.items() if doc in members.tolist()]
        assert [snap.provider_type(doc) or ""] == kinds
    assert sum(bool(m) for m in matched.values()) >= 3


def test_classes_boost_text_hits_and_add_class_matches(session: Session, imported: ImportResult) -> None:
    plain = {h.service.name: h.score for h in search_services(session, "neuvonta", limit=None)}
    boosted = {
        h.service.name: h.score
        for h in search_services(session, "neuvonta", service_classes=["P15.1"], limit=None)
    }
    name = "Diakonian talous- ja velkaneuvonta"
    assert boosted[name] > plain[name]
    assert boosted[name] == max(boosted.values())


def test_target_group_filter(session: Session, imported: ImportResult) -> None:
    youth = _names(search_services(session, "päihde", target_group="KR1.3", limit=None))
    # Aimed at young people (KR1.3), at everyone (KR1, the parent group), or at no named group.
    assert "Nuorten päihdeneuvonta" in youth
    assert "Päihdetyön avopalvelu" in youth
    assert "Mielenterveys- ja päihdeneuvonta" in youth
    seniors = _names(search_services(session, "päihde", target_group="KR1.1", limit=None))
    assert "Nuorten päihdeneuvonta" not in seniors


def test_inactive_services_are_not_found(session: Session, imported: ImportResult, tmp_path: Path) -> None:
    records = valid_records()
    records[2]["status"] = "defunct"
    import_hsds_json(session, write_json(tmp_path / "x.json", [records[2]]))
    assert "Valtakunnallinen kriisipuhelin" not in _names(search_services(session, "kriisi"))
    assert _names(search_services(session, "kriisi", active_only=False)) == ["Valtakunnallinen kriisipuhelin"]


def test_limit_and_hit_fields(session: Session, imported: ImportResult) -> None:
    hits = search_services(session, "päihde", limit=2)
    assert len(hits) == 2
    hit = hits[0]
    assert hit.service.id in SERVICE_IDS.values()
    assert hit.area_level in ("municipality", "county", "region", "nationwide")
    assert hit.matched_terms == ("päihde",)
    assert len(search_services(session, None, limit=None)) == 6
