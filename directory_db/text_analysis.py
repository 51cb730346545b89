"""Finnish text → search terms, the same analysis for the index and the query (see search.py's design).

Index side (:func:`document_terms`): every word becomes its Voikko base forms (*whole* terms) and, for a
compound, the base forms of its parts (*part* terms: "Päihdetyön" → päihdetyö whole; päihde, työ parts).
Parts are kept apart because they must weigh less: "seurakuntayhtymä" is not about "seura".

Query side (:func:`query_terms`): each word is analysed the same way, and where Voikko does not know it,
repaired in order of trust: spoken forms and lost ä/ö (``ovi_lang.text.lemmas``), a known word stem with a
case ending ("sossuun" → sossu), Voikko's spelling suggestions (typos), a word of the index's own vocabulary
that differs only by ä/ö. Then the synonym table (``ovi_lang/data/synonyms.yml``) adds what the words mean
in service language ("kämppä" → asunto). Each term carries a weight saying how sure we are it is what the
person meant, and its origin, so ``search --explain`` can show why a service was found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ovi_lang import synonyms, voikko
from ovi_lang.language import detect_language
from ovi_lang.text import diacritic_variants, fold, lemmas
from ovi_lang.word_lists import is_dictionary_word

MAX_TERM_LENGTH = 64

# Weights of query terms by origin: the word as written counts fully, everything we guessed counts less.
WHOLE = 1.0
PART = 0.4  # a compound's part ("nuorisoasunto" → asunto) in the query, or in the service text
STEM = 0.9  # unknown word with a case ending cut off ("sossuun" → sossu)
SYNONYM = 0.8
TYPO = 0.6  # a Voikko spelling suggestion
FOLDED = 0.9  # an index word equal to the query word but for ä/ö
_MAX_SUGGESTIONS = 2
_MAX_VARIANTS_SUGGESTED = 8  # each Voikko suggestion round costs a few milliseconds

# Words, numbers, and hyphenated words ("A-klinikka", "Kotka-Hamina") as one token.
_TOKEN = re.compile(r"\w+(?:-\w+)*")

# Case endings to try on a word Voikko does not know (slang, brand names): longest first.
_ENDINGS = (
    "ista", "issa", "ille", "illa", "ilta", "iin", "ssa", "ssä", "sta", "stä", "lle", "lla", "llä", "lta",
    "ltä", "ksi", "hin", "han", "hun", "seen", "un", "in", "an", "en", "on", "yn", "än", "ön", "ää", "aa",
    "ta", "tä", "n", "a", "ä", "t",
)  # fmt: skip

# Base forms that carry no topic: function words, pronouns, question words, and the words people wrap
# their question in ("mistä saan apua", "tarvitsen palvelua"). "apu" and "palvelu" would otherwise match
# half the directory ("Päivystysapu", "Keskusteluapu"); the whole compounds are still indexed.
STOPWORDS = frozenset({
    "ja", "tai", "sekä", "eli", "että", "kun", "jos", "niin", "myös", "mutta", "vaan", "sillä", "koska",
    "kuin", "ei", "ole", "olla", "on", "minä", "sinä", "hän", "me", "te", "he", "se", "ne", "tämä",
    "tuo", "nämä", "nuo", "joka", "mikä", "kuka", "ken", "jokin", "joku", "jotain", "mitään", "missä",
    "mistä", "mihin", "miten", "kuinka", "milloin", "miksi", "montako", "voida", "saada", "haluta",
    "tarvita", "pitää", "täytyä", "tulla", "oma", "muu", "kaikki", "jo", "vielä", "nyt", "aina", "usein",
    "kanssa", "varten", "ilman", "yli", "alle", "asti", "per", "apu", "palvelu", "palvella", "itse",
})  # fmt: skip


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _keep(term: str) -> bool:
    return len(term) > 1 and term not in STOPWORDS


def _clean(term: str) -> str:
    return term.lower().strip("-")[:MAX_TERM_LENGTH]


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(whole base forms, compound part base forms) of one known or unknown word.

    Cached: a directory repeats its words thousands of times ("palvelut", "kunta", …), and indexing 100k
    services would otherwise analyse the same word again for every one of them."""
    wholes = [_clean(b) for b in voikko.baseforms(word)]
    parts = [_clean(p) for p in voikko.compound_parts(word)]
    if "-" in word:
        # The parts of a hyphenated word too, so "Kotka-Hamina" is found by "Kotka".
        for piece in word.split("-"):
            parts += [_clean(b) for b in voikko.baseforms(piece)]
            parts += [_clean(p) for p in voikko.compound_parts(piece)]
        # And the word a hyphen split ("kuljetus-palvelusta", "päihde-ongelma"), read as written whole, so
        # that a text and a query each written one way or the other meet.
        joined = word.replace("-", "")
        if joined and voikko.analyse(joined):
            wholes += [_clean(b) for b in voikko.baseforms(joined)]
            parts += [_clean(p) for p in voikko.compound_parts(joined)]
    whole_set = set(wholes)
    return tuple(wholes), tuple(p for p in dict.fromkeys(parts) if p not in whole_set)


@lru_cache(maxsize=2048)
def document_terms(text: str | None) -> tuple[Mapping[tuple[str, bool], int], int]:
    """(term, is_part) → occurrences in a text, and the text's length in words.

    Cached, so the answer is shared and comes read-only. An import indexes the same texts over and
    over, a class name on thousands of services, an organization's name on each of its services, a
    national service's description in every municipality's copy."""
    counts: Counter[tuple[str, bool]] = Counter()
    words = tokens(text or "")
    for word in words:
        wholes, parts = _word_forms(word)
        for term in dict.fromkeys(wholes):
            if _keep(term):
                counts[(term, False)] += 1
        for term in parts:
            if _keep(term):
                counts[(term, True)] += 1
    return MappingProxyType(counts), len(words)


def terms(text: str | None) -> tuple[str, ...]:
    """Distinct terms (whole and part) of a text, in order of first appearance."""
    return tuple(dict.fromkeys(term for term, _ in document_terms(text)[0]))


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    origin: str
    """How the term came from the query: word, part, ä/ö, stem, typo, synonym."""
    word: str
    """The query word it came from."""

    def describe(self) -> str:
        return self.term if self.origin == "word" else f"{self.word}→{self.term} ({self.origin})"


def _stem(low: str) -> str | None:
    """A synonym key or known slang word hidden under a case ending ("sossuun" → "sossu")."""
    for ending in _ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = low[: -len(ending)]
            for candidate in (stem, stem + stem[-1] if len(stem) > 1 else stem):
                if synonyms.expansions(candidate):
                    return candidate
    return None


def _close(a: str, b: str, limit: int = 2) -> bool:
    """Edit distance (insert, delete, substitute) of two words is at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1] <= limit


def _repairs(
    word: str, known: Callable[[str], bool] | None, finnish: bool
) -> list[tuple[str, float, str]]:
    """(word to analyse, weight, origin) for a query word: itself, or guesses when Voikko does not know it.

    Spelling suggestions only for a query that may be Finnish: an English word "corrected" into a Finnish
    one finds nonsense."""
    low = word.lower()
    if voikko.analyse(low) or synonyms.expansions(low):
        return [(low, WHOLE, "word")]
    restored = lemmas(low)
    if restored != (low,):  # a spoken form or lost ä/ö that Voikko then knew
        return [(form, WHOLE, "ä/ö") for form in restored]
    stem = _stem(low)
    if stem:
        return [(stem, STEM, "stem")]
    pieces = [piece for piece in low.split("-") if piece]
    if len(pieces) > 1 and all(voikko.analyse(piece) or synonyms.expansions(piece) for piece in pieces):
        # "mt-kuntoutuja", "päihde-ongelma": every piece is a word or a table key, so the word is read by
        # its pieces (_word_forms), not "corrected" into "t-kuntoutuja"; and as one word where that is the
        # written form ("päihdeongelma").
        joined = "".join(pieces)
        return [(low, WHOLE, "word"), *([(joined, WHOLE, "word")] if voikko.analyse(joined) else [])]
    if known is not None:
        folded = [v for v in diacritic_variants(low) if known(v)]
        if folded:
            return [(folded[0], FOLDED, "ä/ö")]
    suggestions: list[str] = []
    if finnish:
        # A typo and a lost ä/ö together ("paihdeneuvla"): ask again with ä/ö restored.
        for variant in diacritic_variants(low)[:_MAX_VARIANTS_SUGGESTED]:
            suggestions = [s for s in voikko.suggest(variant) if _close(fold(s.lower()), fold(low))]
            if suggestions:
                break
    suggestions = suggestions[:_MAX_SUGGESTIONS]
    if suggestions:
        return [(s.lower(), TYPO, "typo") for s in suggestions]
    return [(low, WHOLE, "word")]


def query_terms(text: str | None, known: Callable[[str], bool] | None = None) -> list[QueryTerm]:
    """The weighted terms of a query; ``known`` tells whether the index has a term (for ä/ö repair)."""
    best: dict[str, QueryTerm] = {}

    def add(term: str, weight: float, origin: str, word: str) -> None:
        term = _clean(term)
        if _keep(term) and (term not in best or best[term].weight < weight):
            best[term] = QueryTerm(term, weight, origin, word)

    finnish = detect_language(text or "") in (None, "fi")
    for word in tokens(text or ""):
        for form, weight, origin in _repairs(word, known, finnish):
            wholes, parts = _word_forms(form)
            for whole in wholes:
                add(whole, weight, origin, word)
                for target in synonyms.expansions(whole):
                    add(target, weight * SYNONYM, "synonym", word)
            for key in {form, word.lower()}:  # the word as typed may be a key too ("depression")
                for target in synonyms.expansions(key):
                    add(target, weight * SYNONYM, "synonym", word)
            for part in parts:
                add(part, weight * PART, "part", word)
                for target in synonyms.expansions(part):
                    add(target, weight * PART * SYNONYM, "synonym", word)
            for compound in _expanded_compounds(form):
                add(compound, weight * SYNONYM, "synonym", word)
    return list(best.values())


def _expanded_compounds(word: str) -> list[str]:
    """Base forms of the compound a hyphenated abbreviation stands for: "mt-kuntoutuja" →
    mielenterveyskuntoutuja (the texts write the whole word, and its parts alone say little)."""
    head, _, rest = word.partition("-")
    if not rest or "-" in rest:
        return []
    compounds = (target + rest for target in synonyms.expansions(head))
    return [base for compound in compounds if voikko.analyse(compound) for base in voikko.baseforms(compound)]


def recognisable(text: str | None) -> bool:
    """Does the text have a real word: one Voikko knows (ä/ö restored), a synonym-table key, function words
    of Swedish or English, or a word of the English or Swedish word list ("suicidal thoughts", "missbruk")?
    ("xyzzy", "asdfgh" have none.)"""
    if detect_language(text or "") in ("sv", "en"):
        return True
    for word in tokens(text or ""):
        low = word.lower()
        if synonyms.expansions(low) or _stem(low) or any(voikko.analyse(form) for form in lemmas(low)):
            return True
        if len(low) >= _LISTED_MIN and is_dictionary_word(low):
            return True
    return False


_LISTED_MIN = 4
"""The word lists hold every short string that is some abbreviation or name ("aa", "xv"); a listed
word counts from four letters on."""


_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "ü": "y", "é": "e"})


def finnish_sort_key(text: str) -> str:
    """Sort key in Finnish alphabetical order (… x y z å ä ö), case-insensitive."""
    return text.casefold().translate(_FINNISH_ORDER)
