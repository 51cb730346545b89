"""Which language a short chat message is written in (Ovi answers in the same one)."""

from __future__ import annotations

import pytest

from ovi_lang.language import detect_language

MESSAGES = [
    ("fi", "mulla ei oo kämppää ja tarviin apua"),
    ("fi", "missä on lähin terveysasema"),
    ("fi", "voinko saada apua velkoihin"),
    ("fi", "moi, mä asun Kotkassa"),
    ("fi", "en tiiä mitä mun pitäis tehdä"),
    ("fi", "kiitos avusta"),
    ("fi", "kiitos"),
    ("sv", "jag behöver hjälp med hyran"),
    ("sv", "var finns närmaste hälsocentral"),
    ("sv", "jag har inget hem"),
    ("sv", "tack för hjälpen"),
    ("sv", "tack"),
    ("en", "i need help with my rent"),
    ("en", "where is the nearest health centre"),
    ("en", "i have nowhere to sleep tonight"),
    ("en", "thanks for the help"),
]


@pytest.mark.parametrize(("lang", "text"), MESSAGES)
def test_short_chat_messages(lang: str, text: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["Kotka", "ok", "112", "", "   ", "?!", "Helsinki"])
def test_no_cue_gives_none(text: str) -> None:
    assert detect_language(text) is None
