"""The synonym and spoken-form table (ovi_lang/data/synonyms.yml): one test per entry, plus the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from directory_db.text_analysis import query_terms
from ovi_lang import synonyms, voikko

TABLE = synonyms.load()


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_entry_reaches_its_targets_from_the_word_as_typed(key: str) -> None:
    found = {t.term: t for t in query_terms(key)}
    for target in TABLE[key]:
        assert target in found, f"{key} → {target}"
        assert voikko.analyse(target), f"{target} is not a word Voikko knows: the index never has it"
        assert found[target].weight < 1.0  # a guess never outweighs the word itself


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("kämpästä", "asunto"),
        ("sossuun", "sosiaalityö"),
        ("pikavipit", "velka"),
        ("viinaa", "alkoholi"),
        ("ahistukseen", "ahdistus"),
        ("hemlösa", "asunnoton"),
        ("turvakotiin", "väkivalta"),
        ("te-toimistoon", "työllisyyspalvelu"),  # illative of an o-stem that Voikko does not know
        ("hakkaa", "väkivalta"),
        ("itsetuhoisia", "itsemurha"),
        ("masentunut", "masennus"),
        ("mt-kuntoutujille", "mielenterveyskuntoutuja"),  # the compound a hyphenated abbreviation stands for
        ("mt-ongelmia", "mielenterveysongelma"),
        ("päihde-ongelma", "päihdeongelma"),  # the written form of a hyphenated compound
    ],
)
def test_inflected_and_spoken_forms_reach_the_table(typed: str, target: str) -> None:
    assert target in {t.term for t in query_terms(typed)}


def test_a_key_that_maps_to_itself_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "s.yml"
    bad.write_text("kämppä: [asunto, kämppä]\n", encoding="utf-8")
    with pytest.raises(synonyms.SynonymTableError, match="kämppä"):
        synonyms.load(bad)


def test_targets_must_be_a_list(tmp_path: Path) -> None:
    bad = tmp_path / "s.yml"
    bad.write_text("viina: alkoholi\n", encoding="utf-8")
    with pytest.raises(synonyms.SynonymTableError, match="viina"):
        synonyms.load(bad)


def test_a_pronoun_inside_a_compound_is_not_a_search_term() -> None:
    # "itsetuhoisia" matched every text with "itse" in it ("asiakas voi itse …") at a part's weight.
    terms = {t.term for t in query_terms("itsetuhoisia ajatuksia")}
    assert "itse" not in terms and "itsetuhoinen" in terms


def test_a_hyphenated_word_of_known_pieces_is_not_corrected_as_a_typo() -> None:
    # Voikko's suggestions for "mt-kuntoutuja" were "t-kuntoutuja" and "m-kuntoutuja": nothing matched.
    assert all(t.origin != "typo" for t in query_terms("mt-kuntoutuja päihde-ongelma"))
