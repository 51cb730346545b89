from __future__ import annotations

from ovi_lang.needs import NEEDS, SITUATION_KEYS, need_for
from ovi_lang.text import diacritic_variants, fold, lemmas, tokens
from ovi_lang.voikko import compound_parts


def test_tokens_keep_hyphenated_names_and_offsets() -> None:
    toks = tokens("Asun Mänttä-Vilppulassa, en Kotkassa.")
    assert [t.text for t in toks] == ["Asun", "Mänttä-Vilppulassa", "en", "Kotkassa"]
    assert toks[1].start == 5


def test_fold_and_diacritic_variants() -> None:
    assert fold("Hämeenlinnassa") == "hameenlinnassa"
    variants = diacritic_variants("elaa")
    assert variants[0] == "elaa" and "elää" in variants


def test_lemmas_understand_spoken_forms_and_missing_diacritics() -> None:
    assert "minä" in lemmas("mulla")
    assert "elää" in lemmas("elaa")
    assert "kämppä" in lemmas("kämppää")
    assert lemmas("xqzv") == ("xqzv",)


def test_compounds_are_split() -> None:
    assert compound_parts("päihdetyö") == ("päihde", "työ")
    assert "väkivalta" not in compound_parts("lähisuhdeväkivalta")
    assert {"lähi", "suhde"} <= set(compound_parts("lähisuhdeväkivalta"))


def test_need_table_uses_real_service_classes() -> None:
    from ovi_lang.codes import taxonomy_code

    for need in NEEDS.values():
        for code in need.service_classes:
            assert taxonomy_code("ptvserclass2", code) is not None, (need.key, code)
    assert "crisis" not in SITUATION_KEYS
    assert need_for("debt").service_classes[0] == "P15.1"
