"""The crisis corpus (``corpus/*.yml``, see its README): loading, checking, and the near-copy test.

Only the train split may shape the rules and the classifier; its thresholds come from cross-validation over
the train split's files, each written by another author (``train.py``); the test split gives the figures of
``make eval``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ovi_lang.crisis.kinds import LABELS

CORPUS_DIR = Path(__file__).with_name("corpus")
SPLITS = ("train", "test")
LANGS = ("fi", "sv", "en")
ACUTE_TAGS = ("direct", "indirect", "farewell", "someone_else", "traffic", "means", "typo", "spoken", "long",
              "other")
ORDINARY_TAGS = ("figure_of_speech", "past", "news", "question", "hobby", "negated", "carer", "everyday",
                 "unclear")
NEAR_COPY = 0.5
"""Character 5-gram Jaccard at or above this counts as a near-copy of a training message."""


class CorpusError(ValueError):
    """A malformed corpus file; the message names the file, the message number and the field."""


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    """A crisis kind, or "none"."""
    lang: str
    tag: str
    split: str
    source: str
    """file:line-number-ish position, for messages about a bad entry."""
    file: str
    """The corpus file's name: one author's messages (cross-validation holds out a file at a time)."""

    @property
    def acute(self) -> bool:
        return self.kind != "none"


def _check(entry: object, where: str, split: str, file: str) -> Example:
    if not isinstance(entry, dict) or set(entry) != {"kind", "lang", "tag", "text"}:
        raise CorpusError(f"{where}: kentät kind, lang, tag ja text vaaditaan (ei muita)")
    kind, lang, tag, text = entry["kind"], entry["lang"], entry["tag"], entry["text"]
    if kind not in LABELS:
        raise CorpusError(f"{where}: kenttä kind: tuntematon laji {kind!r}")
    if lang not in LANGS:
        raise CorpusError(f"{where}: kenttä lang: tuntematon kieli {lang!r}")
    tags = ORDINARY_TAGS if kind == "none" else ACUTE_TAGS
    if tag not in tags:
        raise CorpusError(f"{where}: kenttä tag: {tag!r} ei käy lajille {kind}")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: kenttä text: tyhjä viesti")
    return Example(text.strip(), kind, lang, tag, split, where, file)


def load_file(path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    split = data.get("split") if isinstance(data, dict) else None
    if split not in SPLITS:
        raise CorpusError(f"{path.name}: kenttä split: {split!r} ei ole {SPLITS}")
    if not path.name.startswith(split):
        raise CorpusError(f"{path.name}: tiedoston nimi ei ala jaon nimellä {split}")
    messages = data.get("messages")
    if not isinstance(messages, list):
        raise CorpusError(f"{path.name}: kenttä messages: lista vaaditaan")
    return [_check(m, f"{path.name} viesti #{i + 1}", split, path.name) for i, m in enumerate(messages)]


@cache
def load_split(split: str, corpus_dir: Path = CORPUS_DIR) -> tuple[Example, ...]:
    if split not in SPLITS:
        raise CorpusError(f"tuntematon jako {split!r}")
    files = sorted(corpus_dir.glob(f"{split}*.yml"))
    if not files:
        raise CorpusError(f"jaolle {split} ei ole tiedostoja hakemistossa {corpus_dir}")
    examples = [e for f in files for e in load_file(f)]
    seen: dict[str, str] = {}
    for e in examples:
        key = normalise(e.text)
        if key in seen:
            raise CorpusError(f"{e.source}: sama viesti kuin {seen[key]}")
        seen[key] = e.source
    return tuple(examples)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def shingles(text: str, n: int = 5) -> frozenset[str]:
    t = f" {normalise(text)} "
    return frozenset(t[i:i + n] for i in range(max(1, len(t) - n + 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_copies(texts: Iterable[str], training: Iterable[str],
                limit: float = NEAR_COPY) -> list[tuple[str, str, float]]:
    """(text, its most similar training message, similarity) for every text at or above ``limit``."""
    train = [(t, shingles(t)) for t in training]
    # An inverted index on shingles keeps this fast: only messages sharing a shingle can be similar.
    index: dict[str, list[int]] = {}
    for i, (_, sh) in enumerate(train):
        for s in sh:
            index.setdefault(s, []).append(i)
    found = []
    for text in texts:
        sh = shingles(text)
        candidates = {i for s in sh for i in index.get(s, ())}
        best = max(((jaccard(sh, train[i][1]), train[i][0]) for i in candidates), default=(0.0, ""))
        if best[0] >= limit:
            found.append((text, best[1], best[0]))
    return found
