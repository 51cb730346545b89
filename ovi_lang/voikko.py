"""Thin, cached wrapper around libvoikko (Finnish morphology).

Voikko comes from Debian (``libvoikko1`` + ``voikko-fi``) with the ``libvoikko`` Python binding; both
environments use it. One analyser per process: libvoikko handles are not cheap to create.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

import libvoikko

_lock = threading.Lock()
_voikko: libvoikko.Voikko | None = None

# WORDBASES segments: "+hämeen(Häme)" (surface + base), "+lähi" (bare base), "+ttomu(+ton)" (a derivational
# suffix, not a word of its own), "+-" (hyphen).
_WORDBASE = re.compile(r"\+([^+(]+)(?:\(([^)]*)\))?")


def _handle() -> libvoikko.Voikko:
    global _voikko
    with _lock:
        if _voikko is None:
            _voikko = libvoikko.Voikko("fi")
        return _voikko


@lru_cache(maxsize=65536)
def analyse(word: str) -> tuple[dict[str, Any], ...]:
    """Voikko's analyses of one word (empty when Voikko does not know it)."""
    handle = _handle()
    with _lock:  # a libvoikko handle is not thread-safe
        return tuple(handle.analyze(word))


def baseforms(word: str) -> tuple[str, ...]:
    """Distinct base forms of a word, lower-cased, in Voikko's order; the word itself if unknown."""
    seen: dict[str, None] = {}
    for a in analyse(word):
        if a.get("BASEFORM"):
            seen.setdefault(a["BASEFORM"].lower(), None)
    return tuple(seen) or (word.lower(),)


def participle_verbs(word: str) -> tuple[str, ...]:
    """The verbs a past participle comes from ("lyönyt" → "lyödä", "hakattu" → "hakata"): Voikko gives a
    participle its own base form, but the perfect tense ("on lyönyt") tells the same act as "löi"."""
    verbs: dict[str, None] = {}
    for a in analyse(word):
        if a.get("PARTICIPLE") in ("past_active", "past_passive"):
            first = _WORDBASE.search(a.get("WORDBASES", ""))
            if first and first.group(2) and first.group(2).isalpha():
                verbs.setdefault(first.group(2).lower(), None)
    return tuple(verbs)


def _is_word(part: str) -> bool:
    return len(part) > 1 and part.replace("=", "").isalpha()


def wordbase_parts(wordbases: str) -> list[str]:
    """The word parts of one analysis's WORDBASES ("+kivi(kivi)+järvi(järvi)" → ["kivi", "järvi"]); a
    derivational suffix ("+dellä(+dellä)") or a hyphen is not a part."""
    return [base or surface for surface, base in _WORDBASE.findall(wordbases)
            if not base.startswith("+") and _is_word(base or surface)]


def compound_parts(word: str) -> tuple[str, ...]:
    """Base forms of a compound's parts ("päihdetyö" → ("päihde", "työ")); empty for simple words."""
    parts: dict[str, None] = {}
    for a in analyse(word):
        bases = [
            base or surface
            for surface, base in _WORDBASE.findall(a.get("WORDBASES", ""))
            if not base.startswith("+") and _is_word(base or surface)
        ]
        if len(bases) > 1:
            for b in bases:
                parts.setdefault(b.lower().replace("=", ""), None)
    return tuple(parts)


@lru_cache(maxsize=16384)
def suggest(word: str) -> tuple[str, ...]:
    """Voikko's spelling suggestions for a word it does not know, best first (empty if it knows the word)."""
    handle = _handle()
    with _lock:
        if handle.spell(word):
            return ()
        return tuple(handle.suggest(word))
