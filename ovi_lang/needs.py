"""Life situations Ovi understands and what kind of services answer them: the one table of needs.

A *need* is what a resident describes ("mulla ei oo kämppää"); the NLU layer turns the message into one of
the keys of ``data/needs.yml`` (the Rasa intent has the same name; bot/build_need_responses.py generates the
intents, slot values and quick-reply buttons from the same file). Each need maps to PTV service classes
(``ptvserclass2``), perhaps a PTV target group (``ptvkohderyhmat``) and Finnish search words, so the
recommendations work on any imported PTV or HSDS data, not only on data tagged by hand for the bot.

Several needs in one message ("häätö tulossa ja velkoja on paljon") are found by :func:`needs_in`: the
classifier gives the main need, the table's *cues* (specific base forms) show the others. A service path
lists them in the table's order, which is the urgency order: what helps today (a roof, safety, food), then
support, then longer-term help (money, work, papers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ovi_lang import codes
from ovi_lang.text import fold, lemmas, standard_form, tokens
from ovi_lang.voikko import analyse, compound_parts, participle_verbs

DATA = Path(__file__).resolve().parent / "data" / "needs.yml"
STAGES = ("today", "support", "longer_term")
LANGUAGES = ("fi", "sv", "en")
# A cue this long also matches as the start of a word Voikko does not know ("nettikasinolla" → kasino is
# not a prefix, but "pikavippejä" → "pikavip…" is): compounds and slang inflect beyond the dictionary.
_PREFIX_MIN = 6
_PLURAL_MIN = 4  # "yks", "mus" are no plurals
_PART_MIN = 4  # shorter compound parts ("työ", "apu") are too common to show a need


class NeedTableError(ValueError):
    """``needs.yml`` breaks its format; the message names the need and the field."""


@dataclass(frozen=True)
class Need:
    key: str
    stage: str
    label: dict[str, str]
    """The need's name in replies and on buttons, per language (fi, sv, en)."""
    service_classes: tuple[str, ...]
    """PTV service classes, most specific first. A service with the first class ranks above the others."""
    target_group: str | None
    """The PTV target group the need itself implies (elderly → KR1.1), or None."""
    keywords: tuple[str, ...]
    """Base forms services answering this need say; they join the resident's words in the search."""
    cues: tuple[str, ...]
    """Base forms that show this need in a message even when another need is the main one."""
    close_ones: tuple[str, ...]
    """Words of services for the close ones (omaiset) of a person with this need."""
    not_cues: tuple[re.Pattern[str], ...] = ()
    """Where a cue word means something else ("sydän hakkaa": the heart races): no cue inside these spans
    (regular expressions over the lower-cased text with ä/ö/å folded)."""
    menu: bool = False
    """Offered as a quick-reply button when the opening is vague."""

    @property
    def label_fi(self) -> str:
        return self.label["fi"]

    def label_in(self, language: str | None) -> str:
        return self.label.get(language or "fi") or self.label["fi"]


def _strings(entry: dict[str, object], field: str, key: str, *, required: bool = True) -> tuple[str, ...]:
    value = entry.get(field, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise NeedTableError(f"needs.yml: tarpeen {key!r} kenttä {field!r} ei ole lista sanoja")
    if required and not value:
        raise NeedTableError(f"needs.yml: tarpeen {key!r} kenttä {field!r} on tyhjä")
    return tuple(v.strip() for v in value)


def _patterns(entry: dict[str, object], key: str) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for text in _strings(entry, "not_cues", key, required=False):
        where = f"needs.yml: tarpeen {key!r} kentän 'not_cues' lauseke {text!r}"
        try:
            patterns.append(re.compile(text))
        except re.error as error:
            raise NeedTableError(f"{where}: {error}") from None
        if text != fold(text):
            raise NeedTableError(f"{where} ei saa sisältää ä/ö/å-kirjaimia (teksti luetaan ilman niitä)")
    return tuple(patterns)


def _need(entry: object, index: int) -> Need:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise NeedTableError(f"needs.yml: kohta {index + 1} ei ole tarve, jolla on avain 'key'")
    key = entry["key"]
    stage = entry.get("stage")
    if stage not in STAGES:
        raise NeedTableError(f"needs.yml: tarpeen {key!r} kenttä 'stage' on {stage!r}; sallitut: {STAGES}")
    label = entry.get("label")
    if not isinstance(label, dict) or any(not isinstance(label.get(lang), str) for lang in LANGUAGES):
        raise NeedTableError(f"needs.yml: tarpeen {key!r} kentästä 'label' puuttuu kieli ({LANGUAGES})")
    classes = _strings(entry, "service_classes", key)
    for code in classes:
        if codes.taxonomy_code("ptvserclass2", code) is None:
            raise NeedTableError(f"needs.yml: tarpeen {key!r} palveluluokkaa {code!r} ei ole koodistossa")
    group = entry.get("target_group")
    if group is not None and codes.taxonomy_code("ptvkohderyhmat", str(group)) is None:
        raise NeedTableError(f"needs.yml: tarpeen {key!r} kohderyhmää {group!r} ei ole koodistossa")
    return Need(
        key=key,
        stage=stage,
        label={lang: label[lang] for lang in LANGUAGES},
        service_classes=classes,
        target_group=str(group) if group is not None else None,
        keywords=_strings(entry, "keywords", key),
        cues=tuple(c.lower() for c in _strings(entry, "cues", key, required=False)),
        close_ones=_strings(entry, "close_ones", key, required=False),
        not_cues=_patterns(entry, key),
        menu=bool(entry.get("menu", False)),
    )


def load(path: Path = DATA) -> dict[str, Need]:
    """The table, in urgency order; raises :class:`NeedTableError` naming the bad need and field."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise NeedTableError("needs.yml: odotettiin listaa tarpeista")
    table: dict[str, Need] = {}
    for index, entry in enumerate(raw):
        need = _need(entry, index)
        if need.key in table:
            raise NeedTableError(f"needs.yml: tarve {need.key!r} on kahdesti")
        table[need.key] = need
    if "crisis" not in table:
        raise NeedTableError("needs.yml: tarve 'crisis' puuttuu (kriisin jälkeiset palvelut)")
    return table


NEEDS: dict[str, Need] = load()

CRISIS_NEEDS: dict[str, str] = {
    "suicidal": "crisis",
    "self_harm": "crisis",
    "overdose": "crisis",
    "medical": "crisis",
    "violence_now": "violence",
    "child_in_danger": "crisis",
}
"""Which need's round-the-clock services to show first for each kind of crisis (``ovi_lang.crisis``)."""

SITUATION_KEYS: tuple[str, ...] = tuple(k for k in NEEDS if k != "crisis")
"""Needs a resident can ask services for (crisis is handled before any search), in urgency order."""


def need_for(key: str) -> Need:
    """Return the need for a key; raise KeyError with the known keys if unknown."""
    try:
        return NEEDS[key]
    except KeyError:
        raise KeyError(f"unknown situation {key!r}; known: {', '.join(NEEDS)}") from None


@cache
def _cue_index() -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]:
    """Single-word cues (folded) → needs, and multi-word cues as (folded phrase, need)."""
    words: dict[str, set[str]] = {}
    phrases: list[tuple[str, str]] = []
    for need in NEEDS.values():
        for cue in need.cues:
            if " " in cue:
                phrases.append((fold(cue), need.key))
            else:
                words.setdefault(fold(cue), set()).add(need.key)
    return {w: frozenset(k) for w, k in words.items()}, tuple(phrases)


def _cued(text: str) -> set[str]:
    words, phrases = _cue_index()
    found: set[str] = set()
    folded_text = fold(text.lower())
    found.update(key for phrase, key in phrases if phrase in folded_text)
    toks = tokens(text)
    # A compound written apart ("oleskelu lupa", "toimeentulo tuki"): the two words read as one, when Voikko
    # knows the whole.
    for first, second in zip(toks, toks[1:], strict=False):
        a, b = first.lower, second.lower
        if a.isalpha() and b.isalpha() and min(len(a), len(b)) >= _PART_MIN and analyse(a + b):
            found.update(key for lemma in lemmas(a + b) for key in words.get(fold(lemma), ()))
    for token in toks:
        forms = {fold(token.lower), *(fold(lemma) for lemma in lemmas(token.text))}
        # The perfect tense: "on lyönyt" is "lyödä", and so is the spoken "on lyöny".
        std = standard_form(token.text)
        spoken_participle = std + "t" if std.endswith(("nu", "ny")) else std
        forms.update(fold(verb) for form in {std, spoken_participle} for verb in participle_verbs(form))
        # A compound's first part: "häätöpäätös" holds "häätö", too short to be found as its start below.
        # Not the later parts: "vedonlyönti" (betting) holds "lyönti" (a blow).
        forms.update(fold(part) for part in compound_parts(token.text)[:1] if len(part) >= _PART_MIN)
        # An English plural Voikko cannot lemmatise: "loans" is a loan, "slots" a slot. Not a word written
        # with ä/ö/å: folded, Swedish "höstas" (last autumn) would be "hosta" (a cough).
        if token.lower == fold(token.lower):
            forms.update(form[:-1] for form in list(forms) if form.endswith("s") and len(form) > _PLURAL_MIN)
        for form in forms:
            found.update(words.get(form, ()))
            # Compounds: "vuokrarästit" holds "vuokrarästi", "nettikasinolla" holds "kasino".
            for size in range(_PREFIX_MIN, len(form)):
                found.update(words.get(form[:size], ()))
                found.update(words.get(form[-size:], ()))
    return found


WORKPLACE = Path(__file__).resolve().parent / "data" / "workplace.yml"
_CLAUSE_END = re.compile(r"[.,;!?]|\b(mutta|mut|men|but|and|och)\b|(?<!-) ja\b")  # not "talous- ja velka…"


@cache
def _workplace_patterns() -> tuple[re.Pattern[str], ...]:
    raw = yaml.safe_load(WORKPLACE.read_text(encoding="utf-8"))
    patterns = []
    for lang in LANGUAGES:
        for i, source in enumerate(raw.get(lang) or []):
            try:
                patterns.append(re.compile(source))
            except re.error as err:
                raise NeedTableError(f"workplace.yml: {lang}[{i}] {source!r}: {err}") from None
    return tuple(patterns)


def _without_workplace(text: str) -> str:
    """The message with the clauses about the writer's own work blanked out (``data/workplace.yml``)."""
    folded = fold(text)
    if len(folded) != len(text):  # a character whose lower case is longer: no positions to trust
        return text
    out = text
    for pattern in _workplace_patterns():
        for found in pattern.finditer(folded):
            end = _CLAUSE_END.search(folded, found.end())
            stop = end.start() if end else len(text)
            out = out[:found.start()] + " " * (stop - found.start()) + out[stop:]
    return out


def cued_at_work_only(text: str) -> set[str]:
    """Needs cued only inside a clause about the writer's own work ("työskentelen velkaneuvonnassa")."""
    masked = _without_workplace(text)
    return set() if masked == text else set(cued_needs(text, at_work=True)) - set(cued_needs(masked))


def cued_needs(text: str, *, at_work: bool = False) -> list[str]:
    """Needs whose cues the message contains, in urgency order (no classifier: words only). A need whose
    cue stands only inside one of its ``not_cues`` ("sydän alkoi hakata") is not shown, nor one cued only by
    the writer's own work (``data/workplace.yml``) unless ``at_work``."""
    if not at_work:
        text = _without_workplace(text)
    found = _cued(text)
    folded_text = fold(text.lower())
    for key in list(found):
        masked = folded_text
        for pattern in NEEDS[key].not_cues:
            masked = pattern.sub(lambda m: " " * len(m.group()), masked)
        if masked != folded_text and key not in _cued(masked):
            found.discard(key)
    return ordered(found)


UNCUED_GUESS_MIN = 0.6
"""How sure the classifier must be of a need that no cue word of the message shows; below it
:func:`settled_need` reads the message's words instead. A guess of a need whose own cue the message holds
is taken from the classifier's usual threshold. Chosen on the development turns (d001–d330, the model of
2026-12-02): need guesses without a cue of their own were right 13 times and wrong 21 times below 0.6
(right 4, wrong 15 when the words cue another need; right 9, wrong 6 when they cue none: "isännöitsijältä
taas lappu oveen" → elderly 0.48), 12 and 4 times between 0.6 and 0.7; guesses with a cue of their own
were right 21 times of 21 below 0.7. Checked again with the pooled intent reading (``vector_intents``; the
opening messages of the three development sets): uncued guesses below 0.6 right 3 times, another of the
person's needs once, wrong 4 times; between 0.6 and 0.7 right 11, another need once, wrong 4: kept."""


AT_WORK_GUESS_MIN = 0.9
"""How sure the classifier must be of a need whose only cue is the writer's own work (``cued_at_work_only``)
for it to stand; below it the need comes from the rest of the message's words, as for an uncued guess."""


def settled_need(intent: str, confidence: float, text: str) -> str | None:
    """The need to act on for a message the classifier gave ``intent``: that need when it is sure enough
    or the words show it; else the first need the words cue ("I lost my job and can't pay my rent" guessed
    as income support); else None, not understood, so the guess is offered as a button instead of answered
    (see ``UNCUED_GUESS_MIN``). Intents that are no need are returned as they are."""
    if intent not in SITUATION_KEYS:
        return intent
    if confidence < AT_WORK_GUESS_MIN and intent in cued_at_work_only(text):
        # "Teen lähihoitajan töitä vanhusten palvelutalossa. Omat raha-asiani ovat sekaisin": the
        # classifier read the workplace; the need is in the rest, or not yet told.
        return next((key for key in cued_needs(text) if key in SITUATION_KEYS), None)
    if confidence >= UNCUED_GUESS_MIN:
        return intent
    cued = [key for key in cued_needs(text) if key in SITUATION_KEYS]  # the words read once
    return intent if intent in cued else next(iter(cued), None)


def first_cued_need(text: str) -> str | None:
    """The most urgent need the message's words cue (no crisis), or None. On the development turns the
    classifier could not place (nlu_fallback) and whose words cue a need, that need was one of the
    conversation's 34 times of 46."""
    return next((key for key in cued_needs(text) if key in SITUATION_KEYS), None)


def ordered(keys: Iterable[str]) -> list[str]:
    """Known need keys in the table's urgency order, each once."""
    wanted = set(keys)
    return [key for key in NEEDS if key in wanted]


def needs_in(text: str, main: str | None) -> list[str]:
    """All needs of a message: the classifier's ``main`` need plus the needs its cues show, main first.

    The main need leads because the resident's own words chose it; the others follow in urgency order.
    """
    others = [key for key in cued_needs(text) if key not in (main, "crisis")]
    return ([main] if main in NEEDS and main != "crisis" else []) + others


def menu() -> list[Need]:
    """The needs offered as buttons when the opening is vague, in table order."""
    return [need for need in NEEDS.values() if need.menu]


def service_path(keys: Iterable[str]) -> list[Need]:
    """Needs as one ordered path: today first, then support, then longer-term help. Within a stage the first
    key (the main need: the resident's own words chose it) leads, the others follow in table order."""
    keys = list(keys)
    main = keys[0] if keys else None
    return sorted((NEEDS[key] for key in ordered(keys)),
                  key=lambda need: (STAGES.index(need.stage), need.key != main))
