"""Detect messages that must be answered with emergency help first.

A rule layer on top of the statistical NLU, because a missed crisis costs far more than a false alarm and a
classifier's confidence is not a guarantee. Patterns are sets of base forms that must all occur in the same
clause (word order and inflection free, thanks to Voikko + spoken-form mapping in ``ovi_lang.text``), with
an optional requirement that the clause is negated ("en jaksa enää elää"). Any word beginning with
"itsemurh" or "itsetuho" is a signal on its own.

The list is deliberately broad: a false alarm only adds the crisis numbers to the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ovi_lang.text import fold, lemmas, tokens

CrisisKind = Literal["suicidal", "violence_now", "medical_emergency"]

_CLAUSE_SPLIT = re.compile(r"[.!?;\n]+|\b(?:mutta|mut kun)\b")
_NEGATION = frozenset({"ei"})
_SUICIDE_STEMS = ("itsemurh", "itsetuho")


@dataclass(frozen=True)
class Pattern:
    kind: CrisisKind
    groups: tuple[frozenset[str], ...]
    """Every group must be matched by some word's base form (or folded spelling) in the clause."""
    negated: bool = False


def _p(kind: CrisisKind, *groups: str, negated: bool = False) -> Pattern:
    return Pattern(kind, tuple(frozenset(g.split("|")) for g in groups), negated)


PATTERNS: tuple[Pattern, ...] = (
    # Wishing to die, suicidal thoughts and plans.
    _p("suicidal", "jaksaa", "elää", negated=True),
    _p("suicidal", "haluta|jaksaa|kestää", "elää|olla elossa", negated=True),
    _p("suicidal", "haluta|jaksaa", "olemassa", negated=True),
    _p("suicidal", "haluta|aikoa|ajatella|miettiä|suunnitella", "kuolla"),
    _p("suicidal", "tappaa|surmata|hirttää|ampua", "itse"),
    _p("suicidal", "lopettaa|päättää", "elämä|kaikki|päivä"),
    _p("suicidal", "vahingoittaa|satuttaa|viiltää|viillellä", "itse"),
    _p("suicidal", "viillellä|viiltely"),
    _p("suicidal", "syy|järki|merkitys", "elää", negated=True),
    _p("suicidal", "parempi", "ilman", "minä"),
    _p("suicidal", "hypätä", "silta|juna|katto|parveke"),
    # Violence or a threat happening now.
    _p("violence_now", "hakata|lyödä|kuristaa|potkia|pahoinpidellä|raiskata", "nyt|juuri|parhaillaan"),
    _p("violence_now", "uhata|yrittää|aikoa", "tappaa"),
    _p("violence_now", "tappaa", "minä|minut|lapsi|meidät"),
    _p("violence_now", "yrittää|pyrkiä", "sisään|ovi"),
    _p("violence_now", "puukko|veitsi|ase", "uhata|heiluttaa|kädessä"),
    # Medical emergencies around substances.
    _p("medical_emergency", "yliannostus"),
    _p("medical_emergency", "herätä|hengittää", negated=True),
    _p("medical_emergency", "ottaa|syödä|vetää", "liikaa|kaikki", "pilleri|lääke|tabletti|unilääke"),
)


@dataclass(frozen=True)
class CrisisSignal:
    kind: CrisisKind
    clause: str
    """The clause that triggered the signal (kept in memory only: never log it)."""


def _clause_lemmas(clause: str) -> set[str]:
    words: set[str] = set()
    for tok in tokens(clause):
        words.update(lemmas(tok.text))
        words.add(fold(tok.text))
        words.update(part for lemma in lemmas(tok.text) for part in _compound_words(lemma))
    return words


def _compound_words(lemma: str) -> tuple[str, ...]:
    # "itsemurha-ajatus" → ("itsemurha", "ajatus"); Voikko gives hyphenated compounds as one base form.
    return tuple(lemma.split("-")) if "-" in lemma else ()


def _matches(pattern: Pattern, words: set[str]) -> bool:
    if pattern.negated and not words & _NEGATION:
        return False
    return all(group & words or any(fold(g) in words for g in group) for group in pattern.groups)


def detect_crisis(text: str) -> CrisisSignal | None:
    """The first crisis signal in the text, or None."""
    for clause in _CLAUSE_SPLIT.split(text):
        if not clause or not clause.strip():
            continue
        words = _clause_lemmas(clause)
        if any(w.startswith(_SUICIDE_STEMS) for w in words):
            return CrisisSignal("suicidal", clause.strip())
        for pattern in PATTERNS:
            if _matches(pattern, words):
                return CrisisSignal(pattern.kind, clause.strip())
    return None
