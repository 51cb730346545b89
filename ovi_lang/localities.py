"""Parts of towns, villages and former municipalities, and the municipality they are in now.

Residents answer "Missä kunnassa asut?" with the place they live in, which is often not a municipality:
"Karhulassa" (Kotka), "Kuusankoskella" (Kouvola, a municipality until 2009), "Virojoella" (Virolahti),
"i Karis" (Raasepori). ``data/localities.csv`` lists such names (checked by ``ovi_lang.check_localities``);
this module finds them in a word in any inflected form (the table is read through the check, so a bad row
stops the bot with the row's line and field instead of silently matching nothing):

1. the word itself, folded ("kuusankoski");
2. Voikko's base forms of the capitalised word ("Kuusankoskella" → Kuusankoski), also of the word with a
   spoken place case completed ("karhulas" → "karhulassa"); a word that also has another reading
   ("Kalliossa": in a rock, "maksamaan": to pay) only in a place case;
3. for a word Voikko does not know at all, a Finnish name Voikko does not know either ("Jylppy") by its
   stem (all but its last letter, or two after a double consonant: "jylpyssä") and a case ending.

Many such names are also common words ("Kallio", "Summa"), so a locality counts only where a place is
expected and no municipality is named: as the answer to "where do you live?" or right after a word that
says "I live in" ("asun Karhulassa", "bor i Karis") — see ``ovi_lang.municipalities``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from ovi_lang import voikko
from ovi_lang.check_localities import Locality, load
from ovi_lang.text import fold

_PLACE_CLASS = "paikannimi"
_LOCATIVES = frozenset({"sisaolento", "sisaeronto", "sisatulento", "ulkoolento", "ulkoeronto", "ulkotulento"})
_GENITIVE = frozenset({"omanto"})
_STEM_MIN = 4
_HEAD_MIN = 3
"""The shortest last part of a compound name read as a word of its own ("suo", "mäki", "lahti")."""
_ENDING = re.compile(r"^(?:[aeiouy]{1,2}(?:ssa|sta|lla|lta|lle|n|ksi)|[aeiouy]?h[aeiouy]n)$")
"""What may follow the stem of a name Voikko does not know, folded (ä → a): a stem vowel and a written
case ending ("jylp|yssä"). Spoken endings ("jylpys") are left out: too many other words end like that."""
_SPOKEN = (("st", ("a", "ä")), ("lt", ("a", "ä")), ("s", ("sa", "sä")), ("l", ("la", "lä")))


@cache
def _by_name() -> dict[str, Locality]:
    """Folded name → locality."""
    return {fold(loc.name): loc for loc in load()}


@cache
def _by_stem() -> dict[str, list[tuple[str, Locality]]]:
    """The first ``_STEM_MIN`` letters of a folded single-word Finnish name → [(folded name, locality)]."""
    out: dict[str, list[tuple[str, Locality]]] = {}
    for key, loc in _by_name().items():
        if " " not in key and loc.language == "fi" and len(key) > _STEM_MIN:
            out.setdefault(key[:_STEM_MIN], []).append((key, loc))
    return out


def _stems(key: str) -> list[str]:
    """The name without its last vowel, and without two letters after a double consonant, which
    consonant gradation halves ("Jylppy" → "jylp-": "Jylpyssä")."""
    stems = [key[:-1]]
    if len(key) > 3 and key[-3] == key[-2] and key[-2] not in "aeiouy":
        stems.append(key[:-2])
    return [stem for stem in stems if len(stem) >= _STEM_MIN]


_NEN_ENDING = re.compile(r"^[ie](?:ssa|sta|lla|lta|lle|hin|in|n|s|st|l|lt)$")
"""What follows the s-stem of a name in -nen, folded: "Ilpois|issa", "Halis|ista", and the spoken "ilpois|is"
(the stem is the whole name but its ending, so the spoken endings are safe here)."""


def _by_stem_and_ending(folded: str) -> Locality | None:
    for key, loc in _by_stem().get(folded[:_STEM_MIN], []):
        if any(folded.startswith(stem) and _ENDING.match(folded[len(stem):]) for stem in _stems(key)):
            return loc
        # A name in -nen inflects on an s-stem: Ilpoinen → Ilpoisissa, Halinen → Halisista.
        s_stem = key[:-3] + "s"
        if key.endswith("nen") and folded.startswith(s_stem) and _NEN_ENDING.match(folded[len(s_stem):]):
            return loc
    for key, loc in _short_nicknames().items():
        # Too short for the stem rule ("Hesa", "Tre"), but written only one way: "hesassa", "treellä".
        if folded.startswith(key[:-1]) and _ENDING.match(folded[len(key) - 1 :]):
            return loc
    return None


@cache
def _short_nicknames() -> dict[str, Locality]:
    """Folded nicknames ending in a vowel that are too short for ``_by_stem`` → locality."""
    return {key: loc for key, loc in _by_name().items()
            if loc.kind == "nickname" and len(key) <= _STEM_MIN and key[-1] in "aeiouy"}


def _by_head_noun(word: str) -> Locality | None:
    """A name Voikko does not know whose last part is a word it does, inflected with that word's consonant
    gradation: "Runosmäessä" is Runos + "mäessä" (mäki, in), "Pyterlahdella" Pyter + "lahdella" (lahti). The
    stem rule above cannot see these: the head's stem changes ("mäki" → "mäe-")."""
    folded = fold(word)
    for key, loc in _by_stem().get(folded[:_STEM_MIN], []):
        for cut in range(_STEM_MIN, len(key) - _HEAD_MIN + 1):
            if not folded.startswith(key[:cut]):
                break
            head, rest = key[cut:], word[cut:]
            if any(fold(a.get("BASEFORM") or "") == head and a.get("SIJAMUOTO") in _LOCATIVES
                   for a in voikko.analyse(rest.lower())):
                return loc
    return None


def _by_analysis(analyses: Sequence[dict[str, Any]], cases: frozenset[str] = _LOCATIVES) -> Locality | None:
    """The locality Voikko's analyses of a word inflect. A word that also has another reading ("Kalliossa":
    in a rock; "maksamaan": to pay) counts only in one of ``cases`` (a place case: in, at, from, to)."""
    table = _by_name()
    other_reading = any(a.get("CLASS") != _PLACE_CLASS for a in analyses)
    for a in analyses:
        loc = table.get(fold(a.get("BASEFORM") or ""))
        if loc is not None and (not other_reading or a.get("SIJAMUOTO") in cases):
            return loc
    return None


@cache
def locality_before_place_word(word: str) -> Locality | None:
    """The locality a genitive names before a word of place ("Inkeroisten suunnalla", "Karhulan puolella"),
    also with spoken Finnish's dropped i ("inkerosten": Inkeroisten). Only the genitive: the word after it
    says the name is a place, so a name Voikko reads as a common noun counts too."""
    low = word.lower()
    forms = [word]
    if low.endswith("sten") and not low.endswith("isten"):
        forms.append(word[:-4] + "isten")
    for form in forms:
        found = _by_analysis(voikko.analyse(form[:1].upper() + form[1:]), _GENITIVE)
        if found is not None:
            return found
    return None


@cache
def locality_of(word: str) -> Locality | None:
    """The locality the word names in any inflected form, or None."""
    folded = fold(word)
    if folded in _by_name():
        return _by_name()[folded]
    low = word.lower()
    spoken = [word + completion for ending, completions in _SPOKEN if low.endswith(ending)
              for completion in completions]
    known = False
    for form in [word, *spoken[:2]]:
        analyses = voikko.analyse(form[:1].upper() + form[1:])
        known = known or bool(analyses)
        found = _by_analysis(analyses)
        if found is not None:
            return found
    # A name Voikko does not know ("Jylppy"): its stem and a case ending; never a word Voikko knows.
    return None if known else _by_stem_and_ending(folded) or _by_head_noun(word)


@cache
def multiword() -> list[tuple[re.Pattern[str], Locality]]:
    """Names of several words ("Jyväskylän mlk"), matched on folded lower-case text."""
    return [(re.compile(rf"\b{re.escape(key)}\b"), loc) for key, loc in _by_name().items() if " " in key]
