"""Which language a message is written in: Finnish, Swedish or English (Ovi answers in the same one).

Chat messages are short and informal, so a general language identifier trained on edited text is unreliable
here; function words and a few spelling cues decide instead. A message with no cue ("Kotka", "ok", "112")
gets ``None``: the conversation keeps the language it had.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml

from ovi_lang.text import fold, tokens

Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")



@cache
def frequent_words() -> dict[str, frozenset[str]]:
    """Frequent short words of each language (``data/language_words.yml``)."""
    raw = yaml.safe_load(resources.files("ovi_lang").joinpath("data/language_words.yml").read_text("utf-8"))
    return {lang: frozenset(raw[lang]) for lang in LANGUAGES}


_MIN_MARGIN = 1.0


def detect_language(text: str) -> Language | None:
    """The message's language, or None when nothing in it tells."""
    words = [t.lower for t in tokens(text)]
    if not words:
        return None
    score: dict[Language, float] = {lang: 0.0 for lang in LANGUAGES}
    words_of = frequent_words()
    for word in words:
        for lang in LANGUAGES:
            if word in words_of[lang]:
                score[lang] += 1.0
        if "å" in word:
            score["sv"] += 1.5
        if "ä" in word or "ö" in word:
            # Both Finnish and Swedish use ä/ö; Finnish far more often, and with vowel harmony pairs.
            score["fi"] += 0.5
            score["sv"] += 0.25
        folded = fold(word)
        if folded.endswith(("ssa", "sta", "lla", "lta", "kin", "kaan", "ko", "nen", "tta", "mme", "aan")):
            score["fi"] += 0.5
        if word.endswith(("ing", "ly", "ed")) and len(word) > 4:
            score["en"] += 0.5
    ranked = sorted(LANGUAGES, key=lambda lang: score[lang], reverse=True)
    best, second = ranked[0], ranked[1]
    if score[best] < _MIN_MARGIN or score[best] - score[second] < _MIN_MARGIN / 2:
        return None
    return best
