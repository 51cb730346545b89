"""The English and Swedish word lists (Debian's wamerican and wswedish) as ovi_lang.word_lists reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovi_lang.word_lists import WORD_LISTS, dictionary_words, is_dictionary_word


def test_the_lists_are_installed() -> None:
    # make install puts them there; without them a search of English or Swedish words may answer nothing.
    assert all(path.exists() for path in WORD_LISTS)


@pytest.mark.parametrize("word", ["suicidal", "Thoughts", "wheelchair", "ensamhet", "hemlös", "våld"])
def test_english_and_swedish_words_in_any_case_and_form(word: str) -> None:
    assert is_dictionary_word(word)


@pytest.mark.parametrize("word", ["xyzzy", "asdfgh", "blorf", "xyzzyservice", "servicexyzzy", "handikappxx"])
def test_nonsense_and_nonsense_joined_to_a_word_are_not_words(word: str) -> None:
    assert not is_dictionary_word(word)


@pytest.mark.parametrize("word", ["handikappservice", "missbruksvård", "Skuldrådgivning", "spelberoende",
                                  "stödboende", "krisstöd"])
def test_swedish_compounds_of_listed_words_are_words(word: str) -> None:
    assert word.lower() not in dictionary_words()  # the lists themselves do not hold these compounds
    assert is_dictionary_word(word)


def test_a_latin1_list_is_read_and_a_missing_one_skipped(tmp_path: Path) -> None:
    latin1 = tmp_path / "swedish"
    latin1.write_bytes("hemlös\nvåld\n".encode("latin-1"))
    utf8 = tmp_path / "english"
    utf8.write_text("café\nJohn's\nthought\n", encoding="utf-8")
    words = dictionary_words((latin1, utf8, tmp_path / "missing"))
    assert words == {"hemlös", "våld", "café", "thought"}
