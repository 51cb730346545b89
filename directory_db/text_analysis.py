"""Finnish text → search terms: tokenise, lower-case, Voikko base forms, compound parts, stop words.

The same function serves indexing and querying, so "päihteisiin" (query) and "Päihdetyö" (service name)
meet at the term "päihde".
"""

from __future__ import annotations

import re

from ovi_lang.voikko import baseforms, compound_parts

MAX_TERM_LENGTH = 64  # the index column's width

# Words, numbers, and hyphenated words ("A-klinikka", "Kotka-Hamina") as one token.
_TOKEN = re.compile(r"\w+(?:-\w+)*")

# Base forms that carry no topic: function words, pronouns, question words, and the words people wrap
# their question in ("mistä saan apua", "tarvitsen palvelua"). "apu" and "palvelu" would otherwise match
# half the directory ("Päivystysapu", "Keskusteluapu"); the whole compounds are still indexed.
STOPWORDS = frozenset({
    "ja", "tai", "sekä", "eli", "että", "kun", "jos", "niin", "myös", "mutta", "vaan", "sillä", "koska",
    "kuin", "ei", "ole", "olla", "on", "minä", "sinä", "hän", "me", "te", "he", "se", "ne", "tämä",
    "tuo", "nämä", "nuo", "joka", "mikä", "kuka", "ken", "jokin", "joku", "jotain", "mitään", "missä",
    "mistä", "mihin", "miten", "kuinka", "milloin", "miksi", "montako", "voida", "saada", "haluta",
    "tarvita", "pitää", "täytyä", "tulla", "oma", "muu", "kaikki", "jo", "vielä", "nyt", "aina", "usein",
    "kanssa", "varten", "ilman", "yli", "alle", "asti", "per", "apu", "palvelu",
})  # fmt: skip


def _word_terms(word: str) -> list[str]:
    terms = [*baseforms(word), *compound_parts(word)]
    if "-" in word:
        # Also the parts of a hyphenated word, so "Kotka-Hamina" is found by "Kotka".
        for part in word.split("-"):
            terms.extend([*baseforms(part), *compound_parts(part)])
    return terms


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def terms(text: str | None) -> tuple[str, ...]:
    """Distinct search terms of a text, in order of first appearance."""
    out: dict[str, None] = {}
    for token in tokens(text or ""):
        for term in _word_terms(token):
            term = term.lower().strip("-")
            if len(term) > 1 and term not in STOPWORDS:
                out.setdefault(term[:MAX_TERM_LENGTH], None)
    return tuple(out)


_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "ü": "y", "é": "e"})


def finnish_sort_key(text: str) -> str:
    """Sort key in Finnish alphabetical order (… x y z å ä ö), case-insensitive."""
    return text.casefold().translate(_FINNISH_ORDER)
