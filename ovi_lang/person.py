"""Who the help is for, and how old they are: ``find_age`` and ``find_for_whom``.

Design. Rules over words, not a trained model: the messages are short, spoken Finnish (or Swedish or
English), and each rule here must be explainable to a social worker. Every word list is data
(``data/person_words.yml``); Finnish words are matched by Voikko's base forms, so possessive suffixes and
cases need no lists ("äitini", "äidillä", "asiakkaani"), and a spoken or ä/ö-less word is mapped first
(ovi_lang/text.py). Swedish and English words are matched as written.

Age. A number is an age when its own words say so ("19v", "16-vuotias", "23-åring", "67yo", "82 vuotta
vanha"), or when a frame before it does and nothing after it makes it an amount: "oon 19", "äiti on 82",
"täytin 30", "jag är 23", "I'm 67", a bound "yli 70"/"över 70"/"over 70". It is not an age when a unit
follows ("19 euroa", "2 kuukautta", "5 kertaa", a Finnish noun in the partitive), when a word before makes
it a time or a label ("kello on 19", "klo 19", "huone 19"), or when it is part of a date, a time, a decimal
or a phone number ("19.3.", "19:00", "040 123 4567"). Without a number, words give the group: "nuori",
"teini", "ung", "young person" → youth; "eläkeläinen", "vanhus", "ikäihminen", "pensionär", "pensioner" →
elderly ("nuorempi" and "nuorena", "when young", do not count). Groups: youth 15–29, adult 30–64,
elderly 65+; a child's age has no group.

For whom. ``client`` when a client word appears ("asiakkaani", "asiakas tarvitsisi", "min klient", "my
client") and the writer does not call themselves one ("olen Kelan asiakas"). ``close_one`` when a relation
word ("äitini", "mun kaveri", "naapuri", "min pappa", "my brother") is the one the problem belongs to:
- it is the subject or the one who has the problem: in Finnish the nominative ("äitini juo"), the adessive
  ("kaverilla on velkaa"), the elative with a worry word or an owner ("oon huolissani isästä", not
  "seitsemän veljestä"), the genitive before a noun ("isän juominen", not "haluisin ystävän"), or the
  partitive after "auttaa"/"tukea" ("miten autan äitiäni"); never before a postposition of company
  ("asun äitini kanssa"); a plural only with an owner ("mun vanhemmat", not "ystävät on kadonnu").
  In Swedish and English it starts the sentence or follows a conjunction or "about"/"for"/"om"/"för"
  ("my brother drinks", "worried about my son", not "I live with my mother");
- it does not act on the writer: no "mua/minua/mulle", "mig", "me" in the same sentence ("mun mies lyö
  mua" is help for the writer, who is the one hurt);
- it does not merely react: "äiti on huolissaan", "my wife says" (the problem is the writer's);
- it does not harm: "puoliso on väkivaltainen", "my husband is violent" (the writer is the one hurt;
  "isä lyö äitiä" is about the mother, the one hurt);
- words that name anyone ("mies", "poika", "lapsi", "man", "child") need an owner: "mun mies", "poikani",
  "min man", "my son".
Otherwise ``self``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

from ovi_lang import voikko
from ovi_lang.text import diacritic_variants, standard_form

AgeGroup = Literal["youth", "adult", "elderly"]
Who = Literal["self", "close_one", "client"]
LANGS = ("fi", "sv", "en")

# Words with apostrophes, hyphens, slashes and colons stay whole: "I'm", "16-vuotias", "y/o", "19:00".
_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’/:\-][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_NUMBER = re.compile(r"(\d{1,3})(?:-?([^\d].*))?")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_YOUTH, _ADULT, _ELDERLY = 15, 30, 65
_MAX_AGE = 115

_SUBJECT_CASES = frozenset({"nimento", "ulkoolento"})
_NOUNS = frozenset({"nimisana", "nimisana_laatusana"})
# Spoken relation words Voikko does not know, with a case ending: ending → (case, possessive of 1st person).
_SPOKEN_ENDINGS: dict[str, tuple[str, bool]] = {
    "": ("nimento", False), "ni": ("nimento", True), "n": ("omanto", False), "lla": ("ulkoolento", False),
    "llä": ("ulkoolento", False), "llani": ("ulkoolento", True), "lläni": ("ulkoolento", True),
    "sta": ("sisaeronto", False), "stä": ("sisaeronto", False), "stani": ("sisaeronto", True),
    "stäni": ("sisaeronto", True), "a": ("osanto", False), "ä": ("osanto", False), "ani": ("osanto", True),
    "äni": ("osanto", True), "lle": ("ulkotulento", False), "lta": ("ulkoeronto", False),
    "t": ("nimento", False), "ki": ("nimento", False), "kin": ("nimento", False),
}


@dataclass(frozen=True)
class AgeMention:
    years: int | None
    group: AgeGroup | None
    span: tuple[int, int]
    """Character offsets of the words that state the age ("16-vuotias", "oon 19" → "19", "yli 70")."""


@dataclass(frozen=True)
class ForWhom:
    who: Who
    relation: str | None = None
    """The relation or client word as a base form ("äiti", "faija", "asiakas", "brother"), if any."""
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


class PersonWordsError(ValueError):
    """``data/person_words.yml`` breaks its format; the message names the entry."""


def _check_words(path: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w == w.lower() for w in value):
        raise PersonWordsError(f"person_words.yml: {path} is not a list of lower-case words")
    return frozenset(value)


def _by_lang(path: str, value: Any, langs: tuple[str, ...] = LANGS) -> dict[str, frozenset[str]]:
    if not isinstance(value, dict) or not set(langs) <= set(value):
        raise PersonWordsError(f"person_words.yml: {path} needs the languages {', '.join(langs)}")
    return {lang: _check_words(f"{path}.{lang}", words) for lang, words in value.items()}


@dataclass(frozen=True)
class Words:
    """The word lists of ``data/person_words.yml``, checked."""

    unit_after: dict[str, frozenset[str]]
    years_word: dict[str, frozenset[str]]
    old_after: dict[str, frozenset[str]]
    frame_before: dict[str, frozenset[str]]
    above: dict[str, frozenset[str]]
    below: dict[str, frozenset[str]]
    not_before: dict[str, frozenset[str]]
    not_after: dict[str, frozenset[str]]
    groups: dict[AgeGroup, dict[str, frozenset[str]]]
    relations: dict[str, frozenset[str]]
    owners: dict[str, frozenset[str]]
    writer_as_object: dict[str, frozenset[str]]
    reacts: dict[str, frozenset[str]]
    subject_before: dict[str, frozenset[str]]
    harms: dict[str, frozenset[str]]
    helps: frozenset[str]
    worry: frozenset[str]
    not_after_genitive: frozenset[str]
    clients: dict[str, frozenset[str]]
    writer_is: dict[str, frozenset[str]]

    def all(self, table: dict[str, frozenset[str]]) -> frozenset[str]:
        return frozenset().union(*table.values())


def parse_words(raw: Any) -> Words:
    """Check and convert the YAML document; raises :class:`PersonWordsError` naming the bad entry."""
    if not isinstance(raw, dict) or not {"age", "for_whom"} <= set(raw):
        raise PersonWordsError("person_words.yml: needs the sections age and for_whom")
    age, whom = raw["age"], raw["for_whom"]
    groups = age.get("groups")
    if not isinstance(groups, dict) or set(groups) != {"youth", "elderly"}:
        raise PersonWordsError("person_words.yml: age.groups needs exactly youth and elderly")
    relation_keys = ("fi", "fi_spoken", "fi_owner_needed", "sv", "sv_owner_needed", "en", "en_owner_needed")
    return Words(
        unit_after=_by_lang("age.unit_after", age.get("unit_after")),
        years_word=_by_lang("age.years_word", age.get("years_word")),
        old_after=_by_lang("age.old_after", age.get("old_after")),
        frame_before=_by_lang("age.frame_before", age.get("frame_before")),
        above=_by_lang("age.above", age.get("above")),
        below=_by_lang("age.below", age.get("below")),
        not_before=_by_lang("age.not_before", age.get("not_before")),
        not_after=_by_lang("age.not_after", age.get("not_after")),
        groups={"youth": _by_lang("age.groups.youth", groups["youth"]),
                "elderly": _by_lang("age.groups.elderly", groups["elderly"])},
        relations=_by_lang("for_whom.relations", whom.get("relations"), relation_keys),
        owners=_by_lang("for_whom.owners", whom.get("owners")),
        writer_as_object=_by_lang("for_whom.writer_as_object", whom.get("writer_as_object")),
        reacts=_by_lang("for_whom.reacts", whom.get("reacts")),
        subject_before=_by_lang("for_whom.subject_before", whom.get("subject_before"), ("sv", "en")),
        harms=_by_lang("for_whom.harms", whom.get("harms")),
        helps=_check_words("for_whom.helps", whom.get("helps")),
        worry=_check_words("for_whom.worry", whom.get("worry")),
        not_after_genitive=_check_words("for_whom.not_after_genitive", whom.get("not_after_genitive")),
        clients=_by_lang("for_whom.clients", whom.get("clients")),
        writer_is=_by_lang("for_whom.writer_is", whom.get("writer_is")),
    )


@cache
def words() -> Words:
    text = resources.files("ovi_lang").joinpath("data/person_words.yml").read_text("utf-8")
    return parse_words(yaml.safe_load(text))


# --- shared word helpers -------------------------------------------------------------------------------


def _words(text: str) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def _analyses(word: str) -> tuple[dict[str, Any], ...]:
    """Voikko's analyses of a word: spoken forms mapped, ä/ö restored when Voikko does not know it."""
    std = standard_form(word)
    if voikko.analyse(std):
        return voikko.analyse(std)
    for variant in diacritic_variants(std)[1:]:
        if voikko.analyse(variant):
            return voikko.analyse(variant)
    return ()


def _lemmas(word: str) -> frozenset[str]:
    found = {(a.get("BASEFORM") or "").lower() for a in _analyses(word)}
    return frozenset(found - {""}) or frozenset({word.lower()})


def _phrase_at(ws: list[_Word], i: int, phrases: frozenset[str]) -> int:
    """The number of words of the longest phrase that starts at ws[i] (0 if none)."""
    best = 0
    for phrase in phrases:
        parts = phrase.split()
        if [w.lower for w in ws[i:i + len(parts)]] == parts:
            best = max(best, len(parts))
    return best


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


# --- age -----------------------------------------------------------------------------------------------


def age_group(years: int) -> AgeGroup | None:
    if years >= _ELDERLY:
        return "elderly"
    if years >= _ADULT:
        return "adult"
    if years >= _YOUTH:
        return "youth"
    return None


def _is_age_suffix(suffix: str) -> bool:
    """The letters glued to a number make it an age: "19v", "16-vuotias", "23-åring", "67yo"."""
    suffix = suffix.lower().rstrip(".")
    w = words()
    if suffix.startswith(("vuotiaana", "veenä")):
        return False  # "16-vuotiaana aloin juoda": an age in the past
    return (suffix.startswith(("vuotia", "åring")) or suffix in w.all(w.unit_after)
            or suffix in {"year-old", "years-old", "yr-old", "v", "vee"})


def _part_of_other_number(text: str, ws: list[_Word], i: int) -> bool:
    """A date, time, decimal, phone number, code or price: "19.3.", "19,5", "+358 40", "040 123 4567"."""
    tok = ws[i]
    before, after = text[max(0, tok.start - 2):tok.start], text[tok.end:tok.end + 2]
    if re.match(r"[.,:/]\d", after) or re.search(r"\d[.,:/]$", before):
        return True
    if before.endswith(("+", "#", "€", "$")) or after.strip()[:1] in {"€", "$", "%"}:
        return True
    if tok.text[0] == "0" and len(tok.text) > 1 and tok.text[1].isdigit():
        return True
    # Digit groups: "040 123 4567", "1 500".
    near = [ws[j] for j in (i - 1, i + 1) if 0 <= j < len(ws)]
    return any(n.text.isdigit() and max(n.start - tok.end, tok.start - n.end) <= 2 for n in near)


def _counts_something(word: _Word) -> bool:
    """The word after a number makes it an amount: a unit, or a Finnish noun in the partitive."""
    w = words()
    low = word.lower
    if low in w.all(w.not_after) or _lemmas(low) & w.not_after["fi"]:
        return True
    return any(a.get("SIJAMUOTO") == "osanto" and a.get("CLASS") in {"nimisana", "nimisana_laatusana"}
               for a in _analyses(low))


def _number_age(text: str, ws: list[_Word], i: int) -> AgeMention | None:
    w = words()
    m = _NUMBER.fullmatch(ws[i].text)
    if m is None or _part_of_other_number(text, ws, i):
        return None
    years, suffix = int(m.group(1)), m.group(2)
    if not 0 < years <= _MAX_AGE:
        return None
    prev = ws[i - 1].lower if i > 0 else ""
    prev2 = ws[i - 2].lower if i > 1 else ""
    nxt = ws[i + 1] if i + 1 < len(ws) else None
    start, end = ws[i].start, ws[i].end
    bound = 0
    if prev in w.all(w.above):
        bound, start = 1, ws[i - 1].start
    elif prev in w.all(w.below):
        bound, start = -1, ws[i - 1].start
    if prev in w.all(w.not_before) or (prev in w.all(w.frame_before) and prev2 in w.all(w.not_before)):
        return None
    # "mulla on 2", "äidillä on 3" (a possession), "lapsia on 5", "velkaa on 70" (an amount)
    possession = prev == "on" and any(
        a.get("SIJAMUOTO") == "ulkoolento" or (a.get("SIJAMUOTO") == "osanto" and _is_noun(a))
        for a in _analyses(prev2))

    is_age = False
    if suffix is not None:
        if not _is_age_suffix(suffix):
            return None
        is_age = True
    elif nxt is not None and (_is_age_suffix(nxt.lower) or _phrase_at(ws, i + 1, w.all(w.unit_after))):
        is_age, end = True, ws[i + _phrase_at(ws, i + 1, w.all(w.unit_after)) or i + 1].end
    elif nxt is not None and nxt.lower in w.all(w.years_word):
        # "olen 19 vuotta", "82 vuotta vanha" are ages; "ollut 2 vuotta", "i 23 år" are durations.
        old = i + 2 < len(ws) and ws[i + 2].lower in w.all(w.old_after)
        if not (old or prev in w.all(w.frame_before)):
            return None
        is_age, end = True, ws[i + 2].end if old else nxt.end
    elif nxt is not None and _counts_something(nxt):
        return None
    elif (prev in w.all(w.frame_before) and not possession) or bound:
        is_age = True  # "oon 19", "äiti on 82"
    if not is_age:
        return None
    group_years = years + bound if bound else years
    return AgeMention(years, age_group(group_years), (start, end))


def _word_group(ws: list[_Word], i: int) -> tuple[AgeGroup, int] | None:
    """An age group stated by words at ws[i], and how many words it takes."""
    w = words()
    for group, by_lang in w.groups.items():
        n = _phrase_at(ws, i, by_lang["sv"] | by_lang["en"])
        if n:
            return group, n
        for a in _analyses(ws[i].lower):
            if (a.get("BASEFORM") or "").lower() not in by_lang["fi"]:
                continue
            if a.get("COMPARISON") in {"comparative", "superlative"} or a.get("SIJAMUOTO") == "olento":
                continue  # "nuorempi" (younger), "nuorena" (when young)
            return group, 1
    return None


def find_age(text: str) -> AgeMention | None:
    """The first age the message states, as years or a group; None when it says nothing about age."""
    ws = _words(text)
    for i in range(len(ws)):
        if ws[i].text[0].isdigit():
            mention = _number_age(text, ws, i)
            if mention is not None:
                return mention
    for i in range(len(ws)):
        found = _word_group(ws, i)
        if found is not None:
            group, n = found
            return AgeMention(None, group, (ws[i].start, ws[i + n - 1].end))
    return None


# --- for whom ------------------------------------------------------------------------------------------


def _client_at(text: str, ws: list[_Word], i: int) -> str | None:
    w = words()
    n = _phrase_at(ws, i, w.clients["sv"] | w.clients["en"])
    found = " ".join(x.lower for x in ws[i:i + n]) if n else None
    if found is None:
        fi = _lemmas(ws[i].lower) & w.clients["fi"]
        found = min(fi) if fi else None
    if found is None:
        return None
    if i > 0 and ws[i - 1].lower in w.all(w.owners):
        return found  # "meidän asiakkaalle", "my client"
    for j in range(max(0, i - 3), i):
        if ws[j].lower in w.all(w.writer_is) and not re.search(r"[,.;:!?]", text[ws[j].end:ws[i].start]):
            return None  # "olen Kelan asiakas", "jag är patient", "I'm a client"; not "olen ohjaaja, ..."
    return found


@dataclass(frozen=True)
class _Relation:
    base: str
    case: str | None
    """Finnish case (Voikko's name), or None for Swedish and English."""
    plural: bool
    owned: bool
    start: int
    """Index of the first word (the owner, when there is one)."""


def _fi_relation(ws: list[_Word], i: int) -> _Relation | None:
    w = words()
    low = ws[i].lower
    owner_before = i > 0 and ws[i - 1].lower in w.all(w.owners)  # "min pappa" is Swedish too
    for a in _analyses(low):
        base = (a.get("BASEFORM") or "").lower()
        if base in w.relations["fi"] or base in w.relations["fi_owner_needed"]:
            owned = owner_before or a.get("POSSESSIVE") in {"1s", "1p"}
            plural = a.get("NUMBER") == "plural"
            if (base in w.relations["fi_owner_needed"] or plural) and not owned:
                continue  # "joku mies", "vanhempi mies" (older), "ystävät on kadonnu" (friends in general)
            return _Relation(base, a.get("SIJAMUOTO"), plural, owned, i - 1 if owner_before else i)
    for spoken in w.relations["fi_spoken"]:
        if low.startswith(spoken) and low[len(spoken):] in _SPOKEN_ENDINGS:
            case, possessive = _SPOKEN_ENDINGS[low[len(spoken):]]
            owned = owner_before or possessive
            return _Relation(spoken, case, False, owned, i - 1 if owner_before else i)
    return None


def _other_relation(ws: list[_Word], i: int) -> _Relation | None:
    w = words()
    low = ws[i].lower
    owner_before = i > 0 and ws[i - 1].lower in w.owners["sv"] | w.owners["en"]
    for lang in ("sv", "en"):
        if low in w.relations[lang] or (low in w.relations[f"{lang}_owner_needed"] and owner_before):
            return _Relation(low, None, False, owner_before, i - 1 if owner_before else i)
    return None


def _is_noun(analysis: dict[str, Any]) -> bool:
    """A noun, or a verb's noun form ("juominen", drinking)."""
    return analysis.get("CLASS") in _NOUNS or analysis.get("MOOD") == "MINEN-infinitive"


def _is_the_one_with_the_problem(ws: list[_Word], rel: _Relation, i: int, sentence: list[int]) -> bool:
    w = words()
    nxt = ws[i + 1].lower if i + 1 < len(ws) and i + 1 in sentence else ""
    if rel.case is not None:
        if nxt in w.not_after_genitive:
            return False  # "asun äitini kanssa": with a possessive the genitive looks like the nominative
        if rel.case == "osanto":
            # "miten autan äitiäni"; "isä lyö äitiä" (the mother is the one hurt)
            helped = any(_lemmas(ws[j].lower) & (w.helps | w.harms["fi"]) for j in range(max(0, i - 3), i))
            return helped and not any(ws[j].lower in w.all(w.writer_as_object) for j in sentence)
        elif rel.case == "omanto":
            # The possessor of a problem ("isän juominen"), not an object ("haluisin ystävän").
            if not nxt or not any(_is_noun(a) for a in _analyses(nxt)):
                return False
        elif rel.case == "sisaeronto":
            worried = any(_lemmas(ws[j].lower) & w.worry for j in sentence)
            if not (rel.owned or worried):
                return False  # "seitsemän veljestä"; but "oon huolissani isästä", "mun veljestä"
        elif rel.case not in _SUBJECT_CASES:
            return False
    else:
        before = ws[rel.start - 1].lower if rel.start - 1 in sentence else ""
        if before and before not in w.subject_before["sv"] | w.subject_before["en"]:
            return False
    others = [ws[j] for j in sentence if j != i]
    if any(x.lower in w.all(w.writer_as_object) for x in others):
        return False  # "mun mies lyö mua": the writer is the one hurt
    after = [ws[j].lower for j in sentence if i < j <= i + 3]
    reacts = w.reacts["sv"] | w.reacts["en"]
    if any(x in reacts or _lemmas(x) & w.reacts["fi"] for x in after):
        return False  # "äiti on huolissaan", "my wife says": the problem is the writer's
    harm = w.harms["sv"] | w.harms["en"] | w.harms["fi"]
    later = [ws[j].lower for j in sentence if j > i]
    return not any(x in harm or _lemmas(x) & w.harms["fi"] for x in later)  # "puoliso on väkivaltainen"


@lru_cache(maxsize=1024)
def find_for_whom(text: str) -> ForWhom:
    """Whether the message asks help for the writer, a close one, or a professional's client. Cached: the
    place and the person components of the NLU both read it for the same message."""
    ws = _words(text)
    for i in range(len(ws)):
        client = _client_at(text, ws, i)
        if client is not None:
            return ForWhom("client", client, (ws[i].start, ws[i].end))
    bounds = _sentence_bounds(text)
    for i in range(len(ws)):
        rel = _fi_relation(ws, i) or _other_relation(ws, i)
        if rel is None:
            continue
        lo, hi = next((b for b in bounds if b[0] <= ws[i].start < b[1] + 1), (0, len(text)))
        sentence = [j for j, x in enumerate(ws) if lo <= x.start < hi]
        if _is_the_one_with_the_problem(ws, rel, i, sentence):
            return ForWhom("close_one", rel.base, (ws[rel.start].start, ws[i].end))
    return ForWhom("self")
