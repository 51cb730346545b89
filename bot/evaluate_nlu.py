"""Evaluate the trained NLU on the held-out set ``bot/eval/nlu_heldout.yml`` (``make eval``).

The set was written by an author who never saw the training data; still, a short message can equal a
training example by chance ("moi", "kiitos"), so every message that is a near-copy of a training example
(character 5-gram Jaccard ≥ 0.5) is left out of the scores and counted. Every remaining message goes
through the trained model (the whole pipeline: featurizers, DIET, the entity components and the crisis
override), and the script prints and writes to ``results/``:

- intent accuracy and macro-F1 over the intents of the set, per-intent precision/recall/F1, and the
  confusion matrix as an image (``nlu_confusion.png``); crisis answers to these ordinary messages count as
  errors (false alarms) and are listed;
- entity precision/recall/F1 for municipality, age, age group and for whom (a helper for someone else or a
  professional; "self" is the default and is not an entity), and language accuracy (Finnish by default);
- for messages with several needs, the share whose needs were all found (classifier + cue words).

Run with the Rasa environment: ``.venv-rasa/bin/python -m bot.evaluate_nlu [--model PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from ovi_lang.crisis.corpus import NEAR_COPY, near_copies
from ovi_lang.needs import needs_in
from ovi_lang.nlu_examples import nlu_examples
from ovi_stack import paths

HELD_OUT = paths.ROOT / "bot" / "eval" / "nlu_heldout.yml"
RESULTS = paths.ROOT / "results"
ENTITY_TYPES = ("municipality", "age", "age_group", "for_whom")
DEFAULTS = {"for_whom": "self"}


def load_heldout(path: Path = HELD_OUT) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("text") or not item.get("intent"):
            raise ValueError(f"{path.name}: kohta {number}: 'text' tai 'intent' puuttuu")
    return list(items)


def near_copy_report(texts: list[str]) -> dict[str, Any]:
    training = [text for _, text in nlu_examples()]
    found = sorted(near_copies(texts, training, limit=0.0), key=lambda t: -t[2])
    return {
        "training_examples": len(training),
        "max_jaccard": round(found[0][2], 4) if found else 0.0,
        "at_or_above_limit": [{"text": t, "training": tr, "jaccard": round(s, 4)}
                              for t, tr, s in found if s >= NEAR_COPY],
        "max_jaccard_scored": round(max((s for _, _, s in found if s < NEAR_COPY), default=0.0), 4),
    }


def _entities(parsed: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entity in parsed.get("entities") or []:
        kind = entity.get("entity")
        if kind in (*ENTITY_TYPES, "language") and kind not in out:
            value = entity.get("value")
            out[kind] = str(int(float(value))) if kind == "age" else str(value)
    return out


def _gold_entities(item: dict[str, Any]) -> dict[str, str]:
    gold = {k: (str(int(v)) if k == "age" else str(v)) for k, v in (item.get("entities") or {}).items()}
    return {k: v for k, v in gold.items() if DEFAULTS.get(k) != v}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def score(items: list[dict[str, Any]], parsed: list[dict[str, Any]]) -> dict[str, Any]:
    gold = [item["intent"] for item in items]
    predicted = [p["intent"]["name"] if p.get("intent") else "none" for p in parsed]
    labels = sorted(set(gold))
    per_intent = {}
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        per_intent[label] = _prf(tp, fp, fn)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    language_right = 0
    for item, result in zip(items, parsed, strict=True):
        want, got = _gold_entities(item), _entities(result)
        language_right += got.get("language", "fi") == want.get("language", "fi")
        for kind in ENTITY_TYPES:
            w, g = want.get(kind), got.get(kind)
            if g is not None and DEFAULTS.get(kind) == g:
                g = None
            if w is not None and g == w:
                counts[kind]["tp"] += 1
            else:
                counts[kind]["fn"] += w is not None
                counts[kind]["fp"] += g is not None
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    multi = [(item, p) for item, p in zip(items, predicted, strict=True) if len(item.get("needs") or []) > 1]
    multi_found = sum(set(item["needs"]) <= set(needs_in(item["text"], p)) for item, p in multi)
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for item, p in zip(items, predicted, strict=True):
        for tag in item.get("tags") or []:
            by_tag[tag].append(p == item["intent"])
    return {
        "messages": len(items),
        "intent_accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold), 4),
        "intent_macro_f1": round(sum(r["f1"] for r in per_intent.values()) / len(per_intent), 4),
        "per_intent": per_intent,
        "crisis_false_alarms": [item["text"] for item, p in zip(items, predicted, strict=True)
                                if p == "crisis"],
        "entities": {kind: _prf(c["tp"], c["fp"], c["fn"]) for kind, c in counts.items()},
        "entity_micro_f1": _prf(total["tp"], total["fp"], total["fn"])["f1"],
        "language_accuracy": round(language_right / len(items), 4),
        "multi_need": {"messages": len(multi), "all_needs_found": multi_found},
        "intent_accuracy_by_tag": {t: round(sum(v) / len(v), 4) for t, v in sorted(by_tag.items())},
        "errors": [{"text": item["text"], "gold": item["intent"], "predicted": p}
                   for item, p in zip(items, predicted, strict=True) if p != item["intent"]],
        "confusion": {"labels": sorted(set(gold) | set(predicted)), "pairs": Counter(
            f"{g}\t{p}" for g, p in zip(gold, predicted, strict=True))},
    }


def plot_confusion(report: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = report["confusion"]["labels"]
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for pair, count in report["confusion"]["pairs"].items():
        g, p = pair.split("\t")
        matrix[index[g], index[p]] = count
    fig, ax = plt.subplots(figsize=(14, 12))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=6,
                    color="white" if count > matrix.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("held-out label")
    ax.set_title(f"Ovi NLU, held-out set: accuracy {report['intent_accuracy']:.3f}, "
                 f"macro-F1 {report['intent_macro_f1']:.3f}")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


async def _parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's default log level writes every parsed text: the held-out set is not to be read in a log.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main(argv: list[str] | None = None) -> int:
    from ovi_stack.model_cache import current_model_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    items = load_heldout()
    copies = near_copy_report([item["text"] for item in items])
    print(f"near-copy check: max 5-gram Jaccard to {copies['training_examples']} training examples "
          f"{copies['max_jaccard']:.3f}")
    excluded = {c["text"] for c in copies["at_or_above_limit"]}
    items = [item for item in items if item["text"] not in excluded]
    print(f"left out as near-copies: {len(excluded)}; scored: {len(items)}")
    model = args.model or current_model_path()
    parsed = asyncio.run(_parse_all(model, [item["text"] for item in items]))
    report = {"near_copies": copies, **score(items, parsed)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu_eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=dict)
                                           + "\n", encoding="utf-8")
    plot_confusion(report, RESULTS / "nlu_confusion.png")
    print(f"{report['messages']} held-out messages: intent accuracy {report['intent_accuracy']:.3f}, "
          f"macro-F1 {report['intent_macro_f1']:.3f}; entity micro-F1 {report['entity_micro_f1']:.3f}; "
          f"language accuracy {report['language_accuracy']:.3f}")
    for kind, r in report["entities"].items():
        print(f"  {kind:<13} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    m = report["multi_need"]
    print(f"  multi-need messages with every need found: {m['all_needs_found']}/{m['messages']}")
    print(f"  crisis answers to ordinary messages: {len(report['crisis_false_alarms'])}")
    weakest = sorted(report["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:8]
    print("  weakest intents: " + ", ".join(f"{k} {v['f1']:.2f}" for k, v in weakest))
    print(f"  by tag: {report['intent_accuracy_by_tag']}")
    print(f"wrote {RESULTS / 'nlu_eval.json'} and {RESULTS / 'nlu_confusion.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
