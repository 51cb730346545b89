"""Conversation mechanics in a short message: a greeting, thanks, a goodbye, yes or no.

The classifier is least sure of the shortest messages ("moikkelis", "kiitti hirveesti", "joo oli"), and a
resident who only says hello or thanks should not be asked which need they mean. :func:`smalltalk_intent`
reads a message made only of the phrases of ``data/smalltalk.yml`` (and its filler words): the Rasa
component uses it when the classifier was unsure, never against a sure guess or a crisis.

Reading: the message is folded (lower case, ä/ö without dots), letters repeated three times or more count
once ("moiii", "kiitoooos"); the longest phrase is taken first ("hei hei" is a goodbye, "hei" a greeting).
Every word must be a phrase or a filler word; a word that is both ("ja": Swedish yes, Finnish and) is a
phrase only when nothing else is. Phrases of several intents: the table's ``priority`` decides.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from ovi_lang.text import fold

DATA = Path(__file__).with_name("data") / "smalltalk.yml"
MAX_WORDS = 8
"""Longer messages say something more than hello or thanks: the classifier decides."""
_LONGEST_PHRASE = 4
_REPEATS = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@cache
def _table() -> tuple[dict[str, str], frozenset[str], tuple[str, ...]]:
    """Folded phrase → intent, folded filler words, intent priority."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    phrases: dict[str, str] = {}
    for intent, entries in data["intents"].items():
        for entry in entries:
            phrases.setdefault(fold(str(entry)), intent)
    filler = frozenset(fold(str(word)) for word in data["filler"])
    return phrases, filler, tuple(data["priority"])


def _words(text: str) -> list[str]:
    return [_REPEATS.sub(r"\1", word) for word in _WORD.findall(fold(text))]


def smalltalk_intent(text: str) -> str | None:
    """``greet``, ``goodbye``, ``thanks``, ``affirm`` or ``deny`` if the message is only that, else None."""
    phrases, filler, priority = _table()
    words = _words(text)
    if not words or len(words) > MAX_WORDS:
        return None
    found: list[tuple[str, bool]] = []  # (intent, whether the phrase is also a filler word)
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + size])
            if phrase in phrases:
                found.append((phrases[phrase], phrase in filler))
                i += size
                break
        else:
            if words[i] not in filler:
                return None
            i += 1
    intents = {intent for intent, also_filler in found if not also_filler} or {intent for intent, _ in found}
    return next((intent for intent in priority if intent in intents), None)
