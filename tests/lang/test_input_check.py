"""Bad input (ovi_lang/input_check.py): which messages the channels answer themselves."""

from __future__ import annotations

import pytest

from ovi_lang.input_check import MAX_MESSAGE_CHARS, REPLIES, check_message, clean_message


@pytest.mark.parametrize(("message", "problem"), [
    ("x" * (MAX_MESSAGE_CHARS + 1), "too_long"),
    ("ä" * 5_000_000, "too_long"),
    (None, "empty"),
    (123, "not_text"),
    (["hei"], "not_text"),
    ("", "empty"),
    ("   \n\t  ", "empty"),
    ("🙂", "no_words"),
    ("👍🏽🎉❤️", "no_words"),
    ("👨‍👩‍👧 ???", "no_words"),
    ("\x00\x01\x02binary\x03", "binary"),
    ("\x01\x02\x03\x04\x05\x06", "binary"),
    ("abc\ufffd\ufffd", "binary"),
    ("hei \ud800", "binary"),
    ("Неlsinki", "mixed_script"),  # Cyrillic Н
    ("Привет, как дела", "mixed_script"),
    ("你好 我需要帮助", "mixed_script"),
])
def test_problems(message: object, problem: str) -> None:
    assert check_message(message) == problem
    assert REPLIES[problem]  # type: ignore[index]


@pytest.mark.parametrize("message", [
    "x" * MAX_MESSAGE_CHARS, "mulla ei oo kämppää", "112", "Kotkassa 🙂", "hei\x07 apua tarvitsen",
    "I need help", "Jag bor i Borgå", "asun Kotkassa, puhun myös venäjää: привет",
])
def test_ordinary_messages_pass(message: str) -> None:
    assert check_message(message) is None


def test_clean_drops_control_characters_only() -> None:
    assert clean_message(" hei\x07 apua\u200b\n ") == "hei apua"
    assert clean_message("e\u0301") == "é"
    assert clean_message("👨‍👩‍👧") == "👨‍👩‍👧"


def test_replies_are_short_finnish_lines() -> None:
    for reply in REPLIES.values():
        assert 20 < len(reply) < 200 and "\n" not in reply
