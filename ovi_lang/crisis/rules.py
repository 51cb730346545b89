"""Explicit crisis signals on Voikko base forms, and the context that changes their meaning.

The patterns and context cues are data (``data/rules.yml``, its header explains the notation); this module
loads and checks them and matches them clause by clause. A clause's words are seen through
``ovi_lang.text.lemmas`` (spoken forms mapped, missing ä/ö restored), so "en jaksa enaa elaa" and "mä en
jaksa enää elää" are the same signal. Swedish and English signals are phrases over the written words.

The rules only say *what* a clause signals and *how sure* the wording is; ``ovi_lang.crisis.detector``
combines that with the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

import yaml

from ovi_lang import voikko
from ovi_lang.crisis.kinds import KINDS, CrisisKind
from ovi_lang.text import Token, diacritic_variants, fold, lemmas, standard_form, tokens

# Not "mut": in spoken Finnish it is as often "minut" ("se tappaa mut") as "but".
_CLAUSE_SPLIT = re.compile(r"[.!?;\n]+|\b(?:mutta|but)\b")
# Not "et": in chat it is far more often "että" ("se huutaa et se tappaa mut") than "you don't".
_FI_NEGATION = frozenset({"ei", "en", "emme", "ette", "eivät", "enkä", "eikä", "ettei", "etten", "ettet",
                          "jottei"})
_PHRASE_NEGATION = frozenset({"not", "never", "no", "nothing", "don't", "dont", "haven't", "havent", "hasn't",
                              "didn't", "isn't", "won't", "wasn't", "inte", "aldrig", "ingen", "inget",
                              "ingenting"})
_OTHER_NEGATION = frozenset({"not", "never", "no", "dont", "cant", "wont", "didnt", "isnt", "inte", "ej",
                             "aldrig", "ingen"})
_MIN_STEM_INSIDE = 6
_NEGATION_WINDOW = 4
"""A negation at most this many words before a signal's word denies it ("en oo kyllä itsetuhoinen")."""
_NOW = frozenset({"nyt", "just", "juuri", "heti", "parhaillaan", "tänään", "now", "nu", "tonight", "ikväll"})
_EMOTICON = re.compile(r"(?<!\w)(?:[:;]-?[dDpP)]|xD)(?!\w)|[😂😅🤣😆😄😁🙃😜😉😝🙈]")
CONTEXT_CUES = ("past", "fiction", "figure_of_speech", "question", "negation")


class RuleError(ValueError):
    """The rule file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Alternative:
    kind: str
    """"base" (a base form), "prefix", "phrase" or "num"."""
    value: str
    regex: re.Pattern[str] | None = None


Group = tuple[Alternative, ...]


@dataclass(frozen=True)
class Pattern:
    kind: CrisisKind
    groups: tuple[Group, ...]
    negated: bool = False
    present: bool = False
    weak: bool = False
    source: str = ""
    """The pattern as written in the rule file, for ``make eval --show-errors``."""
    unless: tuple[Group, ...] = ()
    needs_verb: bool = False


@dataclass(frozen=True)
class RuleHit:
    kind: CrisisKind
    weak: bool
    """True when the wording is only a hint or its context weakens it."""
    reasons: tuple[str, ...]
    """Why it is weak: "weak pattern", "past tense", or context cues ("past", "figure_of_speech"…)."""
    pattern: str


@dataclass(frozen=True)
class _Word:
    forms: frozenset[str]
    """Base forms and written forms (lower-case, also ä/ö folded), and the parts of hyphenated words."""
    parts: frozenset[str]
    """Parts of closed compounds ("rintakipu" → "rinta", "kipu"): only prefixes look at them, so that
    "yksinhuoltaja" does not read as "yksin" nor "tyttöystävä" as "tyttö"."""
    past_only: bool
    present: bool
    """Some reading is a present-tense finite verb ("on", "herää", "uhkaa")."""
    infinitive: bool
    """Some reading is the first infinitive: "lopettaa" is also "(hän) lopettaa"."""
    verb: bool
    """Some reading is a finite verb."""
    known: bool
    """Voikko knows the word (it is Finnish)."""
    negation: bool
    number: bool
    start: int


@dataclass(frozen=True)
class Clause:
    text: str
    words: tuple[_Word, ...]
    phrase_text: str
    """Lower-case, ä/ö folded, words separated by single spaces (apostrophes kept): phrases match here."""

    @property
    def negated(self) -> bool:
        return any(w.negation for w in self.words) or "n't" in self.text.lower()

    @property
    def verbless(self) -> bool:
        """A bare topic ("itsemurha tilastot"): no finite verb in a Finnish or a short clause."""
        if any(w.verb for w in self.words):
            return False
        return any(w.known for w in self.words) or len(self.words) <= 3

    @property
    def past(self) -> bool:
        """The clause tells of the past only: a past-tense verb, no present-tense one, no "now". An infinitive
        right after a past verb is not a present one: "yritti elvyttää" (tried to revive), "sai lopettaa"."""
        words = self.words
        present = any(w.present and not (w.infinitive and i > 0 and words[i - 1].past_only)
                      for i, w in enumerate(words))
        return (any(w.past_only for w in words) and not present
                and not any(w.forms & _NOW for w in words))


def _alternative(raw: str, where: str) -> Alternative:
    raw = raw.strip()
    if not raw:
        raise RuleError(f"{where}: tyhjä vaihtoehto")
    if raw == "#num":
        return Alternative("num", raw)
    if " " in raw or "(" in raw or "\\" in raw:
        words = fold(raw).replace("*", r"[\w']*")
        try:
            regex = re.compile(rf"(?<![\w']){words}(?![\w'])")
        except re.error as exc:
            raise RuleError(f"{where}: virheellinen fraasi {raw!r}: {exc}") from exc
        return Alternative("phrase", raw, regex)
    if raw.endswith("*"):
        return Alternative("prefix", fold(raw[:-1]))
    return Alternative("base", raw.lower())


def _groups(entry: Any, where: str) -> tuple[Group, ...]:
    if not isinstance(entry, list) or not entry or not all(isinstance(g, str) for g in entry):
        raise RuleError(f"{where}: kenttä all: lista merkkijonoja vaaditaan")
    return tuple(tuple(_alternative(a, where) for a in _split_alternatives(g)) for g in entry)


def _split_alternatives(group: str) -> list[str]:
    """Split on "|" outside parentheses: a phrase may hold its own "(is|was)"."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in group:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


Context = dict[str, tuple[tuple[Group, ...], ...]]


@dataclass(frozen=True)
class RuleSet:
    patterns: tuple[Pattern, ...]
    """Most specific kind first."""
    context: Context
    """Cues that weaken a signal in their own clause."""
    message_context: Context
    """Cues that weaken a signal anywhere in the message."""
    substances: tuple[tuple[Group, ...], ...]
    """Names of medicines, drugs, alcohol and chemicals."""


_SECTIONS = frozenset({"patterns", "context", "message_context", "substances"})


@cache
def load_rules() -> RuleSet:
    """The rule file, loaded and checked."""
    raw = yaml.safe_load(resources.files("ovi_lang.crisis").joinpath("data/rules.yml").read_text("utf-8"))
    unknown_sections = set(raw) - _SECTIONS
    if unknown_sections:
        raise RuleError(f"rules.yml: tuntematon osio {sorted(unknown_sections)}")
    patterns: list[Pattern] = []
    for i, entry in enumerate(raw.get("patterns") or []):
        where = f"rules.yml patterns[{i}]"
        unknown = set(entry) - {"kind", "all", "negated", "present", "weak", "unless", "needs_verb"}
        if unknown:
            raise RuleError(f"{where}: tuntematon kenttä {sorted(unknown)}")
        if entry.get("kind") not in KINDS:
            raise RuleError(f"{where}: kenttä kind: tuntematon laji {entry.get('kind')!r}")
        patterns.append(Pattern(
            kind=cast(CrisisKind, entry["kind"]), groups=_groups(entry.get("all"), where),
            negated=bool(entry.get("negated")), present=bool(entry.get("present")),
            weak=bool(entry.get("weak")), source=" + ".join(entry["all"]),
            unless=_groups(entry["unless"], f"{where} unless") if "unless" in entry else (),
            needs_verb=bool(entry.get("needs_verb")),
        ))
    contexts: list[Context] = []
    for section in ("context", "message_context"):
        context: Context = {}
        for cue, entries in (raw.get(section) or {}).items():
            if cue not in CONTEXT_CUES:
                raise RuleError(f"rules.yml {section}: tuntematon vihje {cue!r}")
            context[cue] = tuple(_groups(e, f"rules.yml {section}.{cue}[{j}]") for j, e in enumerate(entries))
        contexts.append(context)
    patterns.sort(key=lambda p: KINDS.index(p.kind))
    substances = tuple(_groups(e, f"rules.yml substances[{i}]")
                       for i, e in enumerate(raw.get("substances") or []))
    return RuleSet(tuple(patterns), contexts[0], contexts[1], substances)


def _tense(word: str) -> tuple[bool, bool, bool, bool, bool]:
    """(every reading is a past tense or past participle — "löi", "lyönyt"; some reading is a present-tense
    finite verb — "on", "herää"; some reading is a first infinitive; some reading is a finite verb; Voikko
    knows the word)."""
    std = standard_form(word)
    analyses = voikko.analyse(std) or next(
        (a for a in (voikko.analyse(v) for v in diacritic_variants(std)[1:]) if a), ())
    past = bool(analyses) and all(
        a.get("TENSE") == "past_imperfective" or a.get("PARTICIPLE") == "past_active" for a in analyses
    )
    present = any(a.get("TENSE") == "present_simple" for a in analyses)
    infinitive = any(a.get("MOOD") == "A-infinitive" for a in analyses)
    verb = any(a.get("MOOD") in ("indicative", "conditional", "imperative") for a in analyses)
    return past, present, infinitive, verb, bool(analyses)


def _word(token: Token) -> _Word:
    base = lemmas(token.text)
    forms = {fold(token.text), token.lower, *base}
    forms.update(part for lemma in base if "-" in lemma for part in lemma.split("-"))
    forms.update(fold(f) for f in list(forms))
    parts = {fold(p) for lemma in base for p in voikko.compound_parts(lemma)}
    low = token.lower
    negation = low in _FI_NEGATION or low in _OTHER_NEGATION or ("ei" in base and low != "et")
    past, present, infinitive, verb, known = _tense(token.text)
    return _Word(frozenset(forms), frozenset(parts), past, present, infinitive, verb, known, negation,
                 low.isdigit(), token.start)


JOKE = " xd "
"""What laughter (":D", "😂", "haha") becomes before matching: a word the figure-of-speech cue knows."""


def text_marked(text: str) -> str:
    """The text with emoticons of laughter replaced by the joke marker ``JOKE`` (":D" is like "haha")."""
    return _EMOTICON.sub(JOKE, re.sub(r"(?i)\b(?:haha\w*|hehe\w*|lol|xd)\b", JOKE, text))


def clauses(text: str) -> list[Clause]:
    out = []
    text = text_marked(text)
    for part in _CLAUSE_SPLIT.split(text):
        if not part or not part.strip():
            continue
        toks = tokens(part)
        if not toks:
            continue
        phrase_text = " ".join(fold(w) for w in re.findall(r"[\w']+", part.lower()))
        out.append(Clause(part.strip(), tuple(_word(t) for t in toks), phrase_text))
    return out


def _alt_positions(alt: Alternative, clause: Clause) -> list[int]:
    """Word positions where the alternative matches (-1: a phrase, which has no single position)."""
    if alt.kind == "phrase":
        assert alt.regex is not None
        return [-1] if alt.regex.search(clause.phrase_text) else []
    if alt.kind == "num":
        return [i for i, w in enumerate(clause.words) if w.number]
    if alt.kind == "prefix":
        # A long stem also matches inside a compound: "pesuaine*" in "astianpesuaineesta".
        inside = len(alt.value) >= _MIN_STEM_INSIDE
        return [i for i, w in enumerate(clause.words)
                if any(f.startswith(alt.value) or (inside and alt.value in f) for f in w.forms | w.parts)]
    folded = fold(alt.value)
    return [i for i, w in enumerate(clause.words) if alt.value in w.forms or folded in w.forms]


def _group_positions(group: Group, clause: Clause) -> list[int]:
    return sorted({p for alt in group for p in _alt_positions(alt, clause)})


def _all_match(groups: Iterable[Group], clause: Clause) -> list[int] | None:
    """The first group's positions if every group matches, else None."""
    first: list[int] | None = None
    for group in groups:
        positions = _group_positions(group, clause)
        if not positions:
            return None
        if first is None:
            first = positions
    return first if first is not None else []


def _negation_before(clause: Clause, position: int) -> bool:
    if position < 0:
        return False
    start = max(0, position - _NEGATION_WINDOW)
    for i in range(start, position):
        if clause.words[i].negation:
            between = clause.text[clause.words[i].start:clause.words[position].start]
            if "," not in between:
                return True
    return False


def _phrase_negated(group: Group, clause: Clause) -> bool:
    """A Swedish or English phrase denied by the words just before it ("I'm not hurting myself")."""
    for alt in group:
        found = alt.regex.search(clause.phrase_text) if alt.regex is not None else None
        if found is not None:
            before = clause.phrase_text[:found.start()].split()[-_NEGATION_WINDOW:]
            return any(w in _PHRASE_NEGATION for w in before)
    return False


def _cues(context: Context, clause: Clause) -> tuple[str, ...]:
    return tuple(cue for cue, entries in context.items() if any(_all_match(e, clause) is not None
                                                                 for e in entries))


def context_cues(clause: Clause) -> tuple[str, ...]:
    """The context cues of the clause (e.g. "past", "figure_of_speech")."""
    return _cues(load_rules().context, clause)


def match_clause(clause: Clause, cues: tuple[str, ...] | None = None) -> RuleHit | None:
    """The most specific pattern that matches the clause, strong ones before weak ones. ``cues``: the
    clause's context cues, if the caller has them already."""
    best: RuleHit | None = None
    for pattern in load_rules().patterns:
        if pattern.negated and not clause.negated:
            continue
        positions = _all_match(pattern.groups, clause)
        if positions is None or any(_group_positions(g, clause) for g in pattern.unless):
            continue
        first = positions[0] if positions else -1
        if pattern.negated and first >= 0 and not any(_negation_before(clause, p) for p in positions):
            continue  # the negation belongs to another verb ("en jaksa hoitaa äitiä, joka herää yöllä")
        reasons: list[str] = []
        if pattern.weak:
            reasons.append("weak pattern")
        if first >= 0 and ((pattern.present and all(clause.words[p].past_only for p in positions))
                           or (pattern.kind != "overdose" and clause.past)):
            # An overdose told in the past tense ("otin 40 buranaa") is still happening in the body.
            reasons.append("past tense")
        if not pattern.negated and first >= 0 and any(_negation_before(clause, p) for p in positions):
            reasons.append("negation")
        if not pattern.negated and first < 0 and _phrase_negated(pattern.groups[0], clause):
            reasons.append("negation")
        if pattern.needs_verb and clause.verbless:
            reasons.append("no verb")
        if cues is None:
            cues = context_cues(clause)
        reasons.extend(c for c in cues if c not in reasons)
        hit = RuleHit(pattern.kind, bool(reasons), tuple(reasons), pattern.source)
        if not hit.weak:
            return hit
        best = best or hit
    return best


def match(text: str) -> RuleHit | None:
    """The strongest signal of the message: a strong hit in any clause wins over weak ones."""
    return analyse(text).hit


FEATURES = (*CONTEXT_CUES, "past tense", "weak pattern", "no verb", "strong signal", "weak signal",
            "question mark",
            *(f"kind:{k}" for k in KINDS))
"""What the rules saw, as the classifier's extra inputs: it learns how much each cue weighs."""


@dataclass(frozen=True)
class Analysis:
    hit: RuleHit | None
    """The strongest signal of the message: a strong hit in any clause wins over weak ones."""
    features: list[float]
    """``FEATURES``, 0/1 each: the classifier's extra inputs."""
    substance: bool
    """The message names a medicine, drug, alcohol or chemical (``substances`` in the rule file)."""


def analyse(text: str) -> Analysis:
    """What the rules see in a message; each word is analysed once."""
    ruleset = load_rules()
    best: RuleHit | None = None
    seen: set[str] = set()
    parts = clauses(text)
    for clause in parts:
        cues = _cues(ruleset.context, clause)
        seen.update(cues)
        if clause.past:
            seen.add("past tense")
        hit = match_clause(clause, cues)
        if hit is None:
            continue
        seen.update(hit.reasons)
        if best is None or (best.weak and not hit.weak):
            best = hit
    # The message as one clause, for the cues that hold anywhere in it (no word analysed again).
    whole = Clause(text, tuple(w for c in parts for w in c.words), " ".join(c.phrase_text for c in parts))
    message_cues = _cues(ruleset.message_context, whole) if parts else ()
    seen.update(message_cues)
    if best is not None and message_cues:
        # "kysyn vaan etukäteen" or a laughing emoji anywhere holds for the whole message.
        best = RuleHit(best.kind, True, (*best.reasons, *message_cues), best.pattern)
    if best is not None:
        seen.update(("weak signal" if best.weak else "strong signal", f"kind:{best.kind}"))
    if "?" in text:
        seen.add("question mark")
    substance = any(_all_match(entry, c) is not None for c in parts for entry in ruleset.substances)
    return Analysis(best, [float(f in seen) for f in FEATURES], substance)
