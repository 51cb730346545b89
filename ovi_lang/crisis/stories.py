"""Long training messages built from short ones, so that length alone says nothing about danger.

Residents often write one long message: a job lost, a fight, a child's tantrums, drinking, all in one story.
Almost every ordinary training message is one or two sentences, and the acute ones are short too, so a
long story lies where the classifier has seen little and its P(acute) drifts to the middle: long ordinary
stories raised most of the false alarms of the development conversations. These stories fill that gap:

- an ordinary story: 2–4 ordinary messages of one author's file (or of the NLU examples) → ``none``;
- an acute story: one acute message among 1–2 ordinary ones of the same file (of the NLU examples when the
  file has none) → the acute message's kind: danger told in passing inside a long message is still acute.

Each story keeps its author's ``file``, so cross-validation holds it out together with that author's own
messages (``train.out_of_fold``); stories of the NLU examples have the file ``NLU_FILE`` and, like those
examples, are always trained on. The stories are drawn with a fixed seed: the classifier's data hash and the
thresholds are reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from ovi_lang.crisis.corpus import Example
from ovi_lang.language import detect_language

SEED = 7
NLU_FILE = "nlu"
"""The ``file`` of stories built from the NLU examples (no author's file: never held out)."""
ORDINARY_PER_MESSAGE = 0.5
"""Ordinary stories per ordinary message of a file."""
ACUTE_PER_MESSAGE = 1 / 3
"""Acute stories per acute message of a file."""


def _story(parts: Sequence[Example], kind: str, file: str, lang: str, number: int) -> Example:
    text = " ".join(p.text for p in parts)
    return Example(text, kind, lang, "story", "train", f"{file}:story{number}", file)


def stories(train: Sequence[Example], nlu_texts: Sequence[str], seed: int = SEED) -> list[Example]:
    """Ordinary and acute stories of every file of ``train`` and of the NLU examples (``nlu_texts``), each
    in one language (residents do not switch language within a message)."""
    rng = random.Random(seed)
    chat = [Example(t, "none", detect_language(t) or "fi", "story", "train", NLU_FILE, NLU_FILE)
            for t in nlu_texts]
    by_file: dict[str, list[Example]] = {}
    for example in [*train, *chat]:
        by_file.setdefault(example.file, []).append(example)
    built: list[Example] = []
    for file in sorted(by_file):
        ordinary = _by_language(e for e in by_file[file] if not e.acute)
        acute = [e for e in by_file[file] if e.acute]
        for lang, pool in sorted(ordinary.items()):
            for _ in range(int(len(pool) * ORDINARY_PER_MESSAGE) if len(pool) >= 2 else 0):
                parts = rng.sample(pool, min(rng.randint(2, 4), len(pool)))
                built.append(_story(parts, "none", file, lang, len(built)))
        for _ in range(int(len(acute) * ACUTE_PER_MESSAGE)):
            danger = rng.choice(acute)
            # A file of acute messages only borrows ordinary ones from the NLU examples: always trained on,
            # so the story can stay with its author's file.
            pool = ordinary.get(danger.lang) or _by_language(chat).get(danger.lang) or []
            if not pool:
                continue
            parts = [danger, *rng.sample(pool, min(rng.randint(1, 2), len(pool)))]
            rng.shuffle(parts)
            built.append(_story(parts, danger.kind, file, danger.lang, len(built)))
    return built


def _by_language(examples: Iterable[Example]) -> dict[str, list[Example]]:
    pools: dict[str, list[Example]] = {}
    for example in examples:
        pools.setdefault(example.lang, []).append(example)
    return pools
