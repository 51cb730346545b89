"""Finnish text handling shared by every layer: tokens, folding, spoken forms, lemmas.

Residents write spoken Finnish, in lower case, often without ä/ö ("mul ei oo kamppaa"). Voikko knows the
standard language only, so before asking it we (1) map frequent spoken forms to standard ones and (2) if it
still does not know the word, try the word with a/o/u restored to ä/ö/y, the commonest keyboard loss.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from ovi_lang import voikko

_TOKEN = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:[-:][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "y"})
_RESTORE = {"a": "ä", "o": "ö", "u": "y"}
_MAX_RESTORE_POSITIONS = 5  # 2**5 variants at most: keeps the worst case cheap

# Spoken Finnish → standard forms Voikko understands. Only forms that carry meaning for Ovi's logic
# (who, negation, wanting, being able); everything else is left to the statistical NLU.
SPOKEN_FORMS: dict[str, str] = {
    "mä": "minä", "mää": "minä", "ma": "minä", "mie": "minä", "mun": "minun", "mulla": "minulla",
    "mulle": "minulle", "multa": "minulta", "mua": "minua", "musta": "minusta", "mut": "minut",
    "sä": "sinä", "sun": "sinun", "sulla": "sinulla",
    "itteni": "itseni", "itteeni": "itseeni", "itteäni": "itseäni", "itteani": "itseäni",
    "ittensä": "itsensä", "itelleni": "itselleni",
    "ittes": "itsesi", "ite": "itse", "itte": "itse",
    "oon": "olen", "oot": "olet", "oo": "ole", "ollu": "ollut", "ois": "olisi", "oisin": "olisin",
    "haluun": "haluan", "haluu": "haluaa", "jaksais": "jaksaisi", "tiiä": "tiedä", "meen": "menen",
    "tuun": "tulen", "pystyy": "pysty", "enaa": "enää", "just": "juuri",
}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokens(text: str) -> list[Token]:
    """Words with their character offsets (hyphenated names like "Mänttä-Vilppula" stay one token)."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def fold(text: str) -> str:
    """Lower-case and drop diacritics: "Hämeenlinnassa" → "hameenlinnassa"."""
    return text.lower().translate(_FOLD)


def standard_form(word: str) -> str:
    """The standard-language form of a spoken word, or the word itself (lower-cased)."""
    low = word.lower()
    return SPOKEN_FORMS.get(low, low)


def diacritic_variants(word: str) -> list[str]:
    """The word with some of its a/o/u turned into ä/ö/y (the original first), for typed-without-ä text."""
    positions = [i for i, ch in enumerate(word) if ch in _RESTORE][:_MAX_RESTORE_POSITIONS]
    variants = []
    for mask in itertools.product((False, True), repeat=len(positions)):
        chars = list(word)
        for flip, pos in zip(mask, positions, strict=True):
            if flip:
                chars[pos] = _RESTORE[chars[pos]]
        variants.append("".join(chars))
    return variants


@lru_cache(maxsize=65536)
def lemmas(word: str) -> tuple[str, ...]:
    """Lower-case base forms of a word: spoken forms mapped, Voikko asked, ä/ö restored if needed.

    Falls back to the lower-cased word itself, so the result is never empty.
    """
    std = standard_form(word)
    if voikko.analyse(std):
        return voikko.baseforms(std)
    for variant in diacritic_variants(std)[1:]:
        if voikko.analyse(variant):
            return voikko.baseforms(variant)
    return (std,)
