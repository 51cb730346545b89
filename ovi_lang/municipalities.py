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

Context. Some names are also a common word or a person's name ("Kolari" a car crash, "Simo" a man, "Salo"
a backwood, "ii" a numeral); the list is generated from Voikko and a first-name list by
ovi_lang/ambiguous_places.py into ``data/ambiguous_municipalities.yml``. Such a name is a municipality only
1. when the caller expects a place (``expecting_place=True``: the bot asked where the person lives), or
2. in a place case of that name: the internal locatives (Kolarissa, Salosta, Simoon) or, for the names
   listed in ``data/place_context.yml`` under ``external_locative``, the external ones (Ruskolla). "Simolle"
   (to Simo) is thus not Simo the municipality, but "Simosta" is: the cases cannot tell more than that;
3. after a cue word (``cue_before``: "asun Salo", "kotikunta on Kolari", "bor i Pello", "from Simo") when the
   name is in the nominative, or before one (``cue_after``: "Salon kaupunki", "Kolarin kunnassa").
All other names match as before in any form. "täällä Simo" is left out on purpose: it means "Simo here".
A writer who capitalises ("Olin kolarissa kuukausi sitten") and writes such a name in lower case in the
middle of a sentence means the common word, so there a place case alone is not enough: a cue must say it.

Parts of town, villages and former municipalities ("Karhulassa", "Kuusankoskella", "i Karis"): the
municipality they are in now (``ovi_lang.localities``), only where a place is expected — the answer to
"where do you live?" or right after a ``cue_before`` word ("asun Karhulassa") — since many such names are
common words too. A compound built on a municipality's name ("Kotkansaarella") is read as that
municipality's part of town when nothing else names a place in the answer to "where do you live?".

Demonyms. "olen kouvolalainen", "lahtelaisena", "helsinkiläiset" name the place too: the stem before
-lainen/-läinen is the name, or the name with its last vowel changed ("Lahti" → "lahte-"). No municipality
name shares its stem with another's, and no common -lainen word ("erilainen", "suomalainen") has a
municipality's stem, which tests/lang/test_municipalities.py keeps so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ovi_lang import ambiguous_places, codes, localities, voikko
from ovi_lang.text import Token, fold, lemmas, tokens

_PREFIX_LEN = 3
_FRONT = str.maketrans({"a": "ä", "o": "ö", "u": "y"})
_NOMINATIVE = "nimento"
_GENITIVE = "omanto"
_INTERNAL = frozenset({"sisaolento", "sisaeronto", "sisatulento"})  # -ssa, -sta, -an/-hin
_EXTERNAL = frozenset({"ulkoolento", "ulkoeronto", "ulkotulento"})  # -lla, -lta, -lle


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


def search_names(name_fi: str, name_sv: str) -> set[str]:
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
        for name in search_names(m.name_fi, m.name_sv):
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


@dataclass(frozen=True)
class _WordMatch:
    code: str
    name: str
    """The municipality name the word is a form of, as in the code list ("Kolari" for "kolarissa")."""
    cases: frozenset[str]
    """Voikko's case names of the word as that name ("nimento" for the name itself)."""
    exact: bool
    """The word is the name itself (no inflection)."""


@cache
def _names_by_fold() -> dict[str, str]:
    """Folded single-word name → the name as written in the code list."""
    out: dict[str, str] = {}
    for m in all_municipalities().values():
        for name in search_names(m.name_fi, m.name_sv):
            out.setdefault(fold(name), name)
    return out


@cache
def _unlisted_places() -> dict[tuple[str, str], tuple[str, str]]:
    """Names Voikko does not know as places, by the (base form, number) of their other reading: "Virrat"
    is (virta, plural), so "Virroilla" inflects it; "Kemiönsaari" is a noun to Voikko."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for code, m in all_municipalities().items():
        for name in search_names(m.name_fi, m.name_sv):
            analyses = voikko.analyse(name)
            if " " in name or any(a.get("CLASS") == "paikannimi" for a in analyses):
                continue
            for a in analyses:
                if a.get("SIJAMUOTO") == _NOMINATIVE and a.get("BASEFORM"):
                    out.setdefault((a["BASEFORM"].lower(), a.get("NUMBER", "")), (code, name))
    return out


def _voikko_place(word: str) -> _WordMatch | None:
    """The municipality a word inflects, according to Voikko's place-name analyses."""
    exact, _ = _index()
    found: tuple[str, str] | None = None
    cases: set[str] = set()
    analyses = voikko.analyse(word[:1].upper() + word[1:])
    for analysis in analyses:
        if analysis.get("CLASS") == "paikannimi" and analysis.get("BASEFORM"):
            key = fold(analysis["BASEFORM"])
            if analysis.get("NUMBER") == "plural" and not _inflects_in_plural(key):
                continue  # "eurojen" (of euros) is also Voikko's plural of Eura; a town is one
            code = exact.get(key)
            if code and (found is None or found[0] == code):
                found = (code, _names_by_fold().get(key, analysis["BASEFORM"]))
                cases.add(analysis.get("SIJAMUOTO") or _NOMINATIVE)
    if found is None:
        for analysis in analyses:
            unlisted = _unlisted_places().get(((analysis.get("BASEFORM") or "").lower(),
                                               analysis.get("NUMBER", "")))
            if unlisted and (found is None or found == unlisted):
                found = unlisted
                cases.add(analysis.get("SIJAMUOTO") or _NOMINATIVE)
    return _WordMatch(found[0], found[1], frozenset(cases), exact=False) if found else None


def _inflects_in_plural(folded_name: str) -> bool:
    """Is a plural form of this name still the town? Names in -nen are inflected in the plural
    ("Parainen" → "Paraisilla", "Joroisten"); any other name read from a plural form ("eurojen" as Eura,
    "lahtien" as Lahti) is another word."""
    return folded_name.endswith("nen")


def _restored_place(word: str) -> _WordMatch | None:
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
            candidate = name[:stem_len] + ending
            forms = [candidate]
            if len(key) >= _SPOKEN_D_MIN:
                # Spoken Finnish drops the weak grade's d after h: "Virolahella" (Virolahdella).
                forms.append(candidate[:len(key) - 3] + _SPOKEN_D.sub("hd", candidate[len(key) - 3:]))
            for form in dict.fromkeys(forms):
                match = _voikko_place(form)
                if match is not None and match.code == code:
                    return match
    return None


_SPOKEN_D = re.compile(r"h(?=[aeiouyäö])")
_SPOKEN_D_MIN = 7
"""Only for longer names: the spoken forms of Lahti ("lahessa", "lahella") are also "lähes" and "lähellä"
written without ä, words far more common than the town."""


# Spoken place cases drop the last vowel: "asun Salos", "oon Kotkast", "Tampereel", "Lahteen" stays.
_SPOKEN_ENDINGS = (("st", ("a", "ä")), ("lt", ("a", "ä")), ("s", ("sa", "sä")), ("l", ("la", "lä")))


@cache
def _spellings_by_fold() -> dict[str, frozenset[str]]:
    """Folded single-word name → the names (lower case, with their ä/ö/å) that fold to it."""
    out: dict[str, set[str]] = {}
    for m in all_municipalities().values():
        for name in search_names(m.name_fi, m.name_sv):
            out.setdefault(fold(name), set()).add(name.lower())
    return {key: frozenset(names) for key, names in out.items()}


def _spelled_as_named(word: str, key: str) -> bool:
    """A word typed without ä/ö/å may be any name it folds to; one typed with them must be spelled as a
    name is: "lähti" (left) and "lähtis" are not Lahti (Swedish Lahtis), "Närpes" is Närpes."""
    low = word.lower()
    return low == fold(low) or low in _spellings_by_fold().get(key, frozenset())


def _written_match(word: str) -> _WordMatch | None:
    exact, _ = _index()
    key = fold(word)
    code = exact.get(key)
    if code and _spelled_as_named(word, key):
        return _WordMatch(code, _names_by_fold().get(key, word), frozenset({_NOMINATIVE}), exact=True)
    return _voikko_place(word) or _restored_place(word) or _demonym(word)


_DEMONYM = re.compile(r"^(.{2,})lai(?:nen|s.*)$")


@cache
def _stems() -> dict[str, str]:
    """Folded Finnish single-word name without its last letter → code (the stem a demonym may vary)."""
    return {fold(m.name_fi)[:-1]: code for code, m in all_municipalities().items()
            if " " not in m.name_fi and "-" not in m.name_fi}


def _demonym(word: str) -> _WordMatch | None:
    """"kouvolalainen", "lahtelaisena" → the municipality (the name is "exact": a demonym is never a
    common word or a first name, so it needs no context)."""
    found = _DEMONYM.match(fold(word))
    if found is None:
        return None
    stem = found.group(1)
    code = _stems().get(stem[:-1])
    if code is None or len(fold(all_municipalities()[code].name_fi)) != len(stem):
        return None
    return _WordMatch(code, all_municipalities()[code].name_fi, frozenset({_NOMINATIVE}), exact=True)


@cache
def _match_word(word: str) -> _WordMatch | None:
    match = _written_match(word)
    if match is not None or len(word) < 4:
        return match
    low = word.lower()
    for ending, completions in _SPOKEN_ENDINGS:
        if low.endswith(ending):
            for completion in completions:
                match = _voikko_place(word + completion) or _restored_place(word + completion)
                if match is not None and not match.cases & {_NOMINATIVE, _GENITIVE}:
                    return _WordMatch(match.code, match.name, match.cases, exact=False)
            break
    return _spoken_illative(word)


_VOWELS = frozenset("aeiouyäöå")


def _spoken_illative(word: str) -> _WordMatch | None:
    """Spoken Finnish drops the illative's n: "muutin turkuu" (Turkuun), "ouluu", "poriin" → "porii". Only
    where the name itself is the word without its doubled last vowel, so a stem that changes ("Lahteen",
    spoken "lahtee", which is also "lähtee" written without ä) is never reached this way."""
    low = fold(word).lower()
    if len(low) < 5 or low[-1] != low[-2] or low[-1] not in _VOWELS:
        return None
    exact, _ = _index()
    code = exact.get(low[:-1])
    if code is None or voikko.analyse(word) or voikko.analyse(word.lower()):
        return None
    name = _names_by_fold().get(low[:-1], word[:-1])
    return _WordMatch(code, name, frozenset({"sisatulento"}), exact=False)


@cache
def _ambiguous() -> dict[str, frozenset[str]]:
    """Ambiguous name (as in the code list) → its lower-case spellings that have another reading."""
    return {a["name"]: frozenset(a["spellings"]) for a in ambiguous_places.load()}


@cache
def _cues() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Words before a name, copulas, words after a name (base forms), names with -lla place cases."""
    ctx = ambiguous_places.context()

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for lang_words in ctx[key].values() for w in lang_words)

    return (words("cue_before"), frozenset(ctx["copulas"]), words("cue_after"),
            frozenset(ctx["external_locative"]))


def is_ambiguous(name: str) -> bool:
    """Whether a municipality name (as in the code list) is also a common word or a person's name."""
    return name in _ambiguous()


def _needs_context(match: _WordMatch, word: str) -> bool:
    spellings = _ambiguous().get(match.name)
    if spellings is None:
        return False
    if not match.exact:
        return True
    # A word typed without ä/ö may be either ("vierema"); one typed with them must be a spelling that has
    # the other reading: "Ingå" and "Kökar" are only places, "inga" and "kokar" are Swedish words.
    low = word.lower()
    return low in spellings or (low == fold(low) and low in {fold(s) for s in spellings})


def _in_place_case(match: _WordMatch) -> bool:
    external = _cues()[3]
    return bool(match.cases & (_EXTERNAL if match.name in external else _INTERNAL))


def _has_cue(match: _WordMatch, words: list[Token], i: int) -> bool:
    before, copulas, after, _ = _cues()
    if match.cases & {_NOMINATIVE, _GENITIVE} and i + 1 < len(words) and _is_place_word(words[i + 1]):
        return True
    if i > 0 and (_NOMINATIVE in match.cases or _in_place_case(match)):
        prev = words[i - 1].lower
        if prev in before:  # "asun Salo", also "Mä asun kolarissa" written in lower case
            return True
    if _NOMINATIVE in match.cases and i > 0:
        prev = words[i - 1].lower
        if prev in copulas and i > 1 and words[i - 2].lower in before:
            return True
    return False


def _common_word_in_careful_writing(text: str, words: list[Token], i: int) -> bool:
    """The message starts with a capital, and this word is in lower case and does not start a sentence."""
    if not text.lstrip()[:1].isupper() or not words[i].text[:1].islower() or i == 0:
        return False
    return not text[:words[i].start].rstrip().endswith((".", "!", "?"))


def find_municipalities(text: str, *, expecting_place: bool = False) -> list[MunicipalityMatch]:
    """All municipalities mentioned in the text, in order of appearance (duplicates removed).

    ``expecting_place``: the message answers "where do you live?", so a name that is also a common word or
    a first name ("Kolari", "Simo") counts as written; otherwise it needs a place case or a cue.
    """
    found: list[MunicipalityMatch] = []
    seen: set[str] = set()
    folded = fold(text)  # same length as text: folding maps one character to one
    for pattern, code in _multiword_names():
        for m in pattern.finditer(folded):
            if code not in seen:
                seen.add(code)
                found.append(MunicipalityMatch(all_municipalities()[code], text[m.start():m.end()],
                                               m.start(), m.end()))
    words = tokens(text)
    for i, tok in enumerate(words):
        if len(tok.text) < 2 or tok.text.isdigit():
            continue
        match = _match_word(tok.text)
        if match is None or match.code in seen:
            continue
        needs_context = not expecting_place and _needs_context(match, tok.text)
        if needs_context and not _has_cue(match, words, i) and (
                not _in_place_case(match) or _common_word_in_careful_writing(text, words, i)):
            continue
        seen.add(match.code)
        found.append(MunicipalityMatch(all_municipalities()[match.code], tok.text, tok.start, tok.end))
    if not found:
        # A named municipality says it better than a part of town (or a word that only looks like one).
        found += _localities(text, words, seen, expecting_place=expecting_place)
    # No municipality by name in an answer: perhaps the person named their part of town ("Kotkansaarella"),
    # else a name with a typo ("tamperella", "hämenlinassa"); the first word either reads as a place.
    guesses = ((_district_of, _DISTRICT_MIN), (_misspelt_name, _MISSPELT_MIN)) if expecting_place else ()
    for guess_of, shortest in guesses:
        if found:
            break
        for tok in words:
            guessed = guess_of(tok.text) if len(tok.text) >= shortest else None
            if guessed is not None:
                found.append(MunicipalityMatch(all_municipalities()[guessed], tok.text, tok.start, tok.end))
                break
    return sorted(found, key=lambda match: match.start)


_MISSPELT_MIN = 5
"""Shorter names are too close to too many words to guess from a typo ("Salo", "Pori", "Ii")."""
_CASE_ENDINGS = ("ssa", "sta", "lla", "lta", "lle", "ksi", "seen", "han", "hin", "na", "sa", "st", "lt", "n",
                 "s", "l", "a")
"""Folded case endings, written and spoken ("kouvolas"), stripped to reach the name's stem."""


@cache
def _fuzzy_names() -> tuple[tuple[str, str], ...]:
    """(folded single-word name, code) for names long enough to guess from a typo."""
    return tuple((fold(name).lower(), m.code) for m in all_municipalities().values()
                 for name in search_names(m.name_fi, m.name_sv)
                 if " " not in name and len(name) >= _MISSPELT_MIN)


@cache
def _misspelt_name(word: str) -> str | None:
    """The municipality a word Voikko does not know names with a typo or two, when it answers "where do you
    live?": the word, with or without a case ending, at most one edit from a name of up to 8 letters and two
    from a longer one, with the first letter right; else what Voikko's suggestions name. None when two
    municipalities are equally close."""
    if voikko.analyse(word) or voikko.analyse(word.lower()):
        return None
    low = fold(word).lower()
    stems = {low, *(low[: -len(e)] for e in _CASE_ENDINGS if low.endswith(e) and len(low) - len(e) >= 4)}
    best: dict[str, int] = {}
    for name, code in _fuzzy_names():
        allowed = 1 if len(name) <= 8 else 2
        for stem in stems:
            if stem[0] != name[0] or abs(len(stem) - len(name)) > allowed:
                continue
            distance = _edit_distance(stem, name, allowed)
            if distance <= allowed and distance < best.get(code, allowed + 1):
                best[code] = distance
    if not best:
        return _suggested_name(word)
    least = min(best.values())
    closest = [code for code, distance in best.items() if distance == least]
    return closest[0] if len(closest) == 1 else None


def _suggested_name(word: str) -> str | None:
    """The municipality Voikko's spelling suggestions for the word name, when they name exactly one. Reaches
    the typos of inflected names, whose stems are too far from the name itself for the edit distance
    ("uudestkaupungista" → Uudestakaupungista → Uusikaupunki); a spoken place case gets its vowel back
    first ("uudestkaupungist")."""
    low = word.lower()
    forms = [word] + [word + completion for ending, completions in _SPOKEN_ENDINGS if low.endswith(ending)
                      for completion in completions][:2]
    named = {match.code for form in forms for suggestion in voikko.suggest(form)
             if " " not in suggestion and (match := _written_match(suggestion)) is not None
             and len(fold(match.name)) > _SUGGESTED_MIN}
    return named.pop() if len(named) == 1 else None


_SUGGESTED_MIN = 8
"""Only long names (over 8 letters, those the edit distance allows two typos in): a shorter one, such as
Lahti, is reached from too many words Voikko would correct ("lahes" → lähes, "oulusa")."""


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions, swaps of neighbours), or
    ``limit + 1`` as soon as it must exceed ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


_FROM_CASES = frozenset({"sisaeronto", "ulkoeronto"})  # -sta, -lta: "muutin Espoosta"


def home_municipality(text: str, matches: list[MunicipalityMatch], *, answer: bool = False,
                      for_close_one: bool = False) -> MunicipalityMatch | None:
    """Where the person lives, of the municipalities a message names: "I've moved to Hamina from Espoo",
    "muutin Espoosta Kotkaan", "asun Kotkassa, äiti asuu Haminassa". A name right after a word of living
    or moving ("asun", "muutin", "bor i", "moved to"; ``home_before``) wins unless it says where from
    ("muutin Espoosta", "moved from"); a name after "from", "från" or in a from-case after a word of
    moving is where the person came from. Otherwise the first name of an ``answer`` to "where do you
    live?" ("Kotka, äiti Haminassa"), and in a message the last one (what Rasa's slot mapping took).
    A message that is no answer, with the help for the writer, does not take a name said to be someone
    else's home ("lapset asuvat Tampereella": ``others_home_before``).
    ``for_close_one``: the help is for someone else, so where they live wins ("isän koti on Virolahdella,
    mä asun Lahdessa": a word of their home, ``close_one_before``, just before the name), and the writer's
    own home is no answer ("itse asun Helsingissä", ``writer_before``: None if it is the only name)."""
    words = tokens(text)
    if for_close_one and matches:
        # "Itse asun Helsingissä": the writer's own home is not where the help is needed.
        writer = _context_words("writer_before")

        def writers(match: MunicipalityMatch) -> bool:
            index = _word_index(words, match)
            window = " " + " ".join(w.lower for w in words[max(0, index - 4):index]) + " "
            return any(f" {phrase} " in window for phrase in writer)

        matches = [m for m in matches if not writers(m)]
    elif not answer and matches:
        # The writer's own need: "lapset asuvat Tampereella" is the children's home, not the writer's.
        others = _context_words("others_home_before")

        def someone_elses(match: MunicipalityMatch) -> bool:
            index = _word_index(words, match)
            return bool({w.lower for w in words[max(0, index - 2):index]} & others)

        matches = [m for m in matches if not someone_elses(m)]
    if len(matches) < 2:
        return matches[0] if matches else None
    home_words, origin_words = _home_cues()
    moving = any(w.lower.startswith(("muutt", "muuto", "muuti", "muutet")) for w in words)

    def before(match: MunicipalityMatch) -> list[str]:
        index = _word_index(words, match)
        return [w.lower for w in words[max(0, index - 2):index]]

    def is_origin(match: MunicipalityMatch) -> bool:
        word = _match_word(match.surface) if " " not in match.surface else None
        from_case = word is not None and bool(word.cases) and word.cases <= _FROM_CASES
        return bool(set(before(match)[-1:]) & origin_words) or (from_case and moving)

    if for_close_one:
        their_words = _context_words("close_one_before")
        theirs = [m for m in matches if set(before(m)) & their_words and not is_origin(m)]
        if theirs:
            return theirs[0]
    homes = [m for m in matches if set(before(m)) & home_words and not is_origin(m)]
    if homes:
        return homes[0]
    rest = [m for m in matches if not is_origin(m)] or matches
    return rest[0] if answer else rest[-1]


def _word_index(words: list[Token], match: MunicipalityMatch) -> int:
    """The place of the match's first word among the message's words."""
    return next((i for i, w in enumerate(words) if w.start >= match.start), len(words))


def _context_words(key: str) -> frozenset[str]:
    """A list of ``place_context.yml`` by language, as one set of lower-case words."""
    return frozenset(w.lower() for words in ambiguous_places.context()[key].values() for w in words)


@cache
def _home_cues() -> tuple[frozenset[str], frozenset[str]]:
    return _context_words("home_before"), _context_words("origin_before")


def _localities(text: str, words: list[Token], seen: set[str], *,
                expecting_place: bool) -> list[MunicipalityMatch]:
    """Parts of town, villages and former municipalities (``ovi_lang.localities``) where a place is
    expected: the answer to "where do you live?", or right after "asun", "bor i", "live in"."""
    out: list[MunicipalityMatch] = []

    def add(code: str, start: int, end: int) -> None:
        if code not in seen and code in all_municipalities():
            seen.add(code)
            out.append(MunicipalityMatch(all_municipalities()[code], text[start:end], start, end))

    folded = fold(text)
    for pattern, named in localities.multiword():
        for m in pattern.finditer(folded):
            if expecting_place or _after_live_cue(folded[:m.start()]):
                add(named.municipality_code, m.start(), m.end())
    before = _cues()[0]
    for i, tok in enumerate(words):
        if len(tok.text) < 3 or tok.text.isdigit():
            continue
        if not expecting_place and not (i > 0 and words[i - 1].lower in before):
            continue
        loc = localities.locality_of(tok.text)
        if loc is None and i + 1 < len(words) and _is_place_word(words[i + 1], locality=True):
            loc = localities.locality_before_place_word(tok.text)
        if loc is not None:
            add(loc.municipality_code, tok.start, tok.end)
    return out


def _is_place_word(token: Token, *, locality: bool = False) -> bool:
    """A word that makes the genitive before it a place: "Kolarin kunnassa"; for a part of town or a village
    also "Inkeroisten suunnalla" (``locality_after``)."""
    after = _cues()[2] | (_locality_after() if locality else frozenset())
    return token.lower in after or any(lemma in after for lemma in lemmas(token.text))


@cache
def _locality_after() -> frozenset[str]:
    return _context_words("locality_after")


def _after_live_cue(folded_before: str) -> bool:
    previous = folded_before.split()[-1:] if folded_before.strip() else []
    return bool(previous) and previous[0] in {fold(w) for w in _cues()[0]}


_WORDBASE = re.compile(r"\+[^+(]*\(([^)]*)\)")
_DISTRICT_MIN = 7
"""A part of town is a compound of a municipality's name in the genitive and a place word: "Iinsaari" is
the shortest such word worth asking Voikko about (each analysis costs a call)."""


def _district_of(word: str) -> str | None:
    """The municipality a district or village name is built on ("kotkansaarella" → Kotkansaari → Kotka,
    "haminanlahdessa" → Hamina): Voikko reads it as a possible place name whose first part is the
    municipality's name (a proper noun). Only for an answer to "where do you live": elsewhere "Kotkan-"
    may well be an eagle's."""
    exact, _ = _index()
    low = word.lower()
    # A spoken place case has lost its last vowel: "kotkansaarel" is "Kotkansaarella".
    spoken = [word + completion for ending, completions in _SPOKEN_ENDINGS if low.endswith(ending)
              for completion in completions]
    for form in [word, *spoken[:2]]:
        for a in voikko.analyse(form):
            if a.get("POSSIBLE_GEOGRAPHICAL_NAME") != "true":
                continue
            bases = _WORDBASE.findall(a.get("WORDBASES", ""))
            if len(bases) >= 2 and bases[0][:1].isupper() and fold(bases[0]) in exact:
                return exact[fold(bases[0])]
    return None


def find_municipality(text: str, *, expecting_place: bool = False) -> MunicipalityMatch | None:
    """The first municipality mentioned in the text, if any."""
    matches = find_municipalities(text, expecting_place=expecting_place)
    return matches[0] if matches else None
