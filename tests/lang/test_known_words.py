"""Messages with no word Ovi can read, and messages that only look odd."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovi_lang.known_words import has_known_word, taught_words


@pytest.mark.parametrize("text", ["qwerty zxcv", "xyzzy", "qwerty"])
def test_keyboard_mashing_has_no_known_word(text: str) -> None:
    assert not has_known_word(text)


@pytest.mark.parametrize("text", [
    "mulla ei oo kämppää",          # spoken Finnish
    "tarttisin apuu",               # typos Voikko can correct
    "jag behöver hjälp med skulder",
    "I need help with my rent",
    "kouvola",                      # a municipality
    "oon 19",
    "sossu",
])
def test_real_messages_have_known_words(text: str) -> None:
    assert has_known_word(text)


def test_the_taught_words_come_from_the_training_examples(tmp_path: Path) -> None:
    (tmp_path / "x.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: debt\n  examples: |\n    - Zorblaxit vie kaikki rahat\n',
        encoding="utf-8")
    assert {"zorblaxit", "vie", "kaikki", "rahat"} <= taught_words(tmp_path)
    assert "zorblaxit" not in taught_words()  # the real training data has no such word
