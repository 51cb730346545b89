"""Recognise Finnish municipalities in free text and normalise them to their official code.

Works for all 309 municipalities of ``kunta_1_20230101`` in any inflected form, in lower case and without
ä/ö ("Kotkassa", "kouvolasta", "Haminaan", "hameenlinnassa"). No hand-written list of forms: the names come
from the code list and the inflection from Voikko, which knows Finnish place names (CLASS ``paikannimi``).

For each word we try, in order:
1. the name itself (Finnish or Swedish official name, folded: "hameenlinna", "helsingfors");
2. Voikko's analysis of the capitalised word ("kotkassa" → "Kotkassa" → base form "Kotka");
3. diacritics restored *from the name*: if the folded word starts like a folded municipality name, rebuild
   it with the name's own ä/ö and both vowel harmonies for the ending, and ask Voikko whether the result
   inflects that name ("jyvaskylassa" → "Jyväskylässä" → "Jyväskylä").
Every candidate is confirmed by Voikko or an exact name match, so a shared prefix alone never matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ovi_lang import codes, voikko
from ovi_lang.text import fold, tokens

_PREFIX_LEN = 3
_FRONT = str.maketrans({"a": "ä", "o": "ö", "u": "y"})


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    county_code: str | None
    county_name: str | None

    @property
    def uri(self) -> str:
        return f"{codes.SCHEMES['kunta']}/code/{self.code}"


@dataclass(frozen=True)
class MunicipalityMatch:
    municipality: Municipality
    surface: str
    """The words as the person wrote them."""
    start: int
    end: int


def _search_names(name_fi: str, name_sv: str) -> set[str]:
    """Names a person may use: "Koski Tl" → "Koski"; "Maarianhamina - Mariehamn" → both halves."""
    names = {name_fi, name_sv}
    for sep in (" - ", " – "):
        for name in list(names):
            names.update(part.strip() for part in name.split(sep))
    for name in list(names):
        if name.endswith(" Tl"):
            names.add(name[: -len(" Tl")])
    return {n for n in names if n}


@cache
def all_municipalities() -> dict[str, Municipality]:
    """Every municipality by code."""
    out = {}
    for code, item in codes.codes("kunta").items():
        county = codes.county_of(code)
        out[code] = Municipality(code, item.name_fi, item.name_sv,
                                 county.code if county else None, county.name_fi if county else None)
    return out


@cache
def _index() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Folded name → code, and folded 3-letter prefix → [(Finnish base name, code)] for restoration."""
    exact: dict[str, str] = {}
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for code, m in all_municipalities().items():
        for name in _search_names(m.name_fi, m.name_sv):
            exact.setdefault(fold(name), code)
            if " " not in name:
                by_prefix.setdefault(fold(name)[:_PREFIX_LEN], []).append((name, code))
    return exact, by_prefix


@cache
def _multiword_names() -> list[tuple[re.Pattern[str], str]]:
    """Official names of several words ("Pedersören kunta", "Koski Tl"), matched on folded text."""
    exact, _ = _index()
    return [(re.compile(rf"\b{re.escape(name)}\b"), code) for name, code in exact.items() if " " in name]


def by_code(code: str) -> Municipality | None:
    return all_municipalities().get(code)


def _voikko_place(word: str) -> str | None:
    """Code of the municipality a word inflects, according to Voikko's place-name analyses."""
    exact, _ = _index()
    for analysis in voikko.analyse(word[:1].upper() + word[1:]):
        if analysis.get("CLASS") == "paikannimi" and analysis.get("BASEFORM"):
            code = exact.get(fold(analysis["BASEFORM"]))
            if code:
                return code
    return None


def _restored_place(word: str) -> str | None:
    """Match a word typed without ä/ö by rebuilding it with a candidate name's own diacritics."""
    folded = fold(word)
    _, by_prefix = _index()
    candidates = by_prefix.get(folded[:_PREFIX_LEN], []) + by_prefix.get(folded[: _PREFIX_LEN - 1], [])
    for name, code in candidates:
        key = fold(name)
        # Consonant gradation and stem vowels change only the last letters: "Lahti" → "Lahdessa".
        stem_len = max(min(_PREFIX_LEN, len(key)), len(key) - 3)
        if folded[:stem_len] != key[:stem_len] or any(c in "äöå" for c in word.lower()):
            continue
        rest = folded[stem_len:]
        for ending in dict.fromkeys((rest, rest.translate(_FRONT))):
            if _voikko_place(name[:stem_len] + ending) == code:
                return code
    return None


def _match_word(word: str) -> str | None:
    exact, _ = _index()
    return exact.get(fold(word)) or _voikko_place(word) or _restored_place(word)


def find_municipalities(text: str) -> list[MunicipalityMatch]:
    """All municipalities mentioned in the text, in order of appearance (duplicates removed)."""
    found: list[MunicipalityMatch] = []
    seen: set[str] = set()
    folded = fold(text)  # same length as text: folding maps one character to one
    for pattern, code in _multiword_names():
        for m in pattern.finditer(folded):
            if code not in seen:
                seen.add(code)
                found.append(MunicipalityMatch(all_municipalities()[code], text[m.start():m.end()],
                                               m.start(), m.end()))
    for tok in tokens(text):
        if len(tok.text) < 2 or tok.text.isdigit():
            continue
        word_code = _match_word(tok.text)
        if word_code and word_code not in seen:
            seen.add(word_code)
            found.append(MunicipalityMatch(all_municipalities()[word_code], tok.text, tok.start, tok.end))
    return sorted(found, key=lambda match: match.start)


def find_municipality(text: str) -> MunicipalityMatch | None:
    """The first municipality mentioned in the text, if any."""
    matches = find_municipalities(text)
    return matches[0] if matches else None
