"""Sanity checks for Ovi's NLU training data (run from the repository root).

    .venv-rasa/bin/python nlu_data/check_examples.py

Reports per-intent example counts and fails (exit 1) on:
  * exact duplicates, within one intent or across intents;
  * near-duplicates: the same text after lower-casing and dropping punctuation and repeated
    whitespace ("Mua pelottaa kotona!" == "mua pelottaa kotona");
  * the same text after also folding ä→a / ö→o / å→a in two DIFFERENT intents.
Within one intent an ä/ö-less spelling ("jyvaskylassa" next to "Jyväskylässä") is a deliberate
variant — people type without ä/ö and the tokens differ — so such pairs are only listed.
  * an intent below its minimum count (see MINIMUMS);
  * entity markup such as [Kotka](municipality) — municipalities are found by a Voikko component.
Uses PyYAML only, so it runs in either virtualenv.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent

NEEDS_TABLE = ROOT.parent / "ovi_lang" / "data" / "needs.yml"
NEED_MINIMUM = 40  # issue 8: at least 40 varied examples per need
MINIMUMS = {
    **{entry["key"]: NEED_MINIMUM for entry in yaml.safe_load(NEEDS_TABLE.read_text(encoding="utf-8"))},
    "inform_municipality": 60, "out_of_scope": 30,
    "greet": 15, "goodbye": 15, "thanks": 15, "affirm": 15, "deny": 15, "bot_challenge": 15,
    "vague_help": 25, "more_options": 25, "service_details": 25, "ask_open_now": 25, "ask_location": 25,
    "ask_phone": 25, "anonymous_only": 25, "ask_human": 25, "restart": 25, "inform_age": 25,
}

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a"})


def normalise(text: str, fold: bool = False) -> str:
    text = text.lower()
    if fold:
        text = text.translate(_FOLD)
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.split())


def load() -> list[tuple[str, str, str]]:
    """(intent, example, file) for every example under nlu_data/."""
    rows = []
    for path in sorted(ROOT.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    rows.append((block["intent"], line[2:].strip(), str(path.relative_to(ROOT))))
    return rows


def main() -> int:
    rows = load()
    problems: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    exact: dict[str, list[tuple[str, str]]] = defaultdict(list)
    near: dict[str, list[tuple[str, str]]] = defaultdict(list)
    folded: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for intent, text, file in rows:
        counts[intent] += 1
        exact[text].append((intent, file))
        near[normalise(text)].append((intent, text))
        folded[normalise(text, fold=True)].append((intent, text))
        if re.search(r"\]\(|\]\{", text):
            problems.append(f"entity markup in {file}: {text!r}")
    for text, where in exact.items():
        if len(where) > 1:
            problems.append(f"exact duplicate {text!r}: {where}")
    for key, where in near.items():
        if len(where) > 1 and len({t for _, t in where}) > 1:
            problems.append(f"near-duplicate {key!r}: {where}")
    variants = []
    for where in folded.values():
        if len({t for _, t in where}) > 1 and len({normalise(t) for _, t in where}) > 1:
            if len({i for i, _ in where}) > 1:
                problems.append(f"same text without ä/ö in different intents: {where}")
            else:
                variants.append(f"{where[0][0]}: " + " / ".join(t for _, t in where))
    for intent, minimum in MINIMUMS.items():
        if counts.get(intent, 0) < minimum:
            problems.append(f"{intent}: {counts.get(intent, 0)} examples, minimum {minimum}")

    for intent in sorted(counts):
        print(f"{intent:22} {counts[intent]:4}")
    print(f"{'TOTAL':22} {len(rows):4}  ({len(exact)} distinct, {len(near)} distinct after normalising)")
    for v in variants:
        print("ä/ö variant (ok):", v)
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
