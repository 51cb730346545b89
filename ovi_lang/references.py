"""Which of the services shown a follow-up question means: "kerro lisää toisesta", "mikä sen kolmannen
numero on", "var ligger den första", "the second one", or a word of the service's name ("entä
velkaneuvonta?").

Ordinal words are matched on Voikko base forms (Finnish inflects them: "toisesta", "kolmannen") and as
plain words for Swedish and English; digits count too ("nro 2"). No reference → None (the caller then uses
the first services).
"""

from __future__ import annotations

from collections.abc import Sequence

from ovi_lang.text import fold, lemmas, tokens

ORDINALS: dict[str, int] = {
    # Finnish (base forms) and spoken forms
    "ensimmäinen": 0, "eka": 0, "ykkönen": 0, "toinen": 1, "toka": 1, "kakkonen": 1, "kolmas": 2,
    "kolmonen": 2, "neljäs": 3, "nelonen": 3, "viides": 4, "vitonen": 4, "viimeinen": -1,
    # Swedish and English
    "första": 0, "andra": 1, "tredje": 2, "fjärde": 3, "femte": 4, "sista": -1,
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1,
}
_FOLDED = {fold(word): index for word, index in ORDINALS.items()}
# Spoken ordinals Voikko does not know inflect on their own stem: "ekan", "ekasta", "tokalle".
_SPOKEN_STEMS = {"eka": 0, "toka": 1}
_SPOKEN_ENDINGS = ("", "n", "a", "sta", "lle", "ssa", "an", "lta", "lla")
_MIN_NAME_WORD = 5  # a name word this long is specific enough to pick a service ("velkaneuvonta")


def referenced_index(text: str, names: Sequence[str]) -> int | None:
    """The index (0-based, into ``names``) the message refers to, or None."""
    count = len(names)
    if not count:
        return None
    for token in tokens(text):
        if token.text.isdigit() and 1 <= int(token.text) <= count:
            return int(token.text) - 1
        for stem, index in _SPOKEN_STEMS.items():
            if token.lower.startswith(stem) and token.lower[len(stem):] in _SPOKEN_ENDINGS:
                return index if index < count else None
        for form in {fold(token.lower), *(fold(lemma) for lemma in lemmas(token.text))}:
            if form in _FOLDED:
                index = _FOLDED[form]
                index = count - 1 if index < 0 else index
                return index if index < count else None
    wanted = {fold(lemma) for token in tokens(text) if len(token.text) >= _MIN_NAME_WORD
              for lemma in lemmas(token.text)}
    for index, name in enumerate(names):
        name_forms = {fold(lemma) for token in tokens(name) for lemma in lemmas(token.text)}
        if wanted & name_forms:
            return index
    return None
