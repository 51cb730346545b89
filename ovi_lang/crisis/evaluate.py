"""Evaluate the crisis detector on the held-out test split: ``python -m ovi_lang.crisis.evaluate``.

``make eval`` runs it on the test split (the split that never shaped the rules, the classifier or the
thresholds). It prints, as plain-text tables:
- recall (the detector gives the acute answer, any kind) overall, per kind and per language;
- the kind accuracy among caught messages and the confusion matrix between kinds;
- the false-alarm rate (an acute answer to a ``none`` message) overall, per tag and per language;
- which part decided (``rule``, ``rule+classifier``, ``classifier``);
- the thresholds in use and the near-copy check: the highest character 5-gram Jaccard of any evaluated
  message to the training data (the train split and the NLU examples of every intent, crisis included).
``--show-errors`` also lists the missed acute messages, the false alarms and the wrong kinds (corpus
messages, not residents' data). All figures are written as JSON too (``--json``; by default
``results/crisis_eval.json``). The cross-validated figures of the train split are in ``data/thresholds.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ovi_lang.crisis import train
from ovi_lang.crisis.classifier import default_classifier
from ovi_lang.crisis.corpus import LANGS, NEAR_COPY, ORDINARY_TAGS, Example, load_split, near_copies
from ovi_lang.crisis.detector import Assessment, CrisisDetector
from ovi_lang.crisis.kinds import KINDS
from ovi_lang.embeddings import default_encoder

RESULTS_DIR = train.ROOT / "results"
SOURCES = ("rule", "rule+classifier", "classifier")
MISSED = "missed"


def nlu_all_examples(nlu_dir: Path = train.NLU_DIR) -> list[str]:
    """The Rasa NLU examples of every intent, ``crisis`` included (all of them are training data)."""
    return [text for _, text in train.nlu_examples(nlu_dir)]


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _recall_row(items: Sequence[tuple[Example, Assessment]]) -> dict[str, Any]:
    caught = sum(a.signal is not None for _, a in items)
    return {"n": len(items), "caught": caught, "recall": _rate(caught, len(items))}


def _alarm_row(items: Sequence[tuple[Example, Assessment]]) -> dict[str, Any]:
    alarms = sum(a.signal is not None for _, a in items)
    return {"n": len(items), "alarms": alarms, "false_alarm_rate": _rate(alarms, len(items))}


def _describe(example: Example, assessment: Assessment) -> dict[str, Any]:
    hit, signal = assessment.rule, assessment.signal
    return {
        "kind": example.kind, "lang": example.lang, "tag": example.tag, "text": example.text,
        "detected": signal.kind if signal else None, "source": signal.source if signal else None,
        "p_acute": None if assessment.p_acute is None else round(assessment.p_acute, 4),
        "rule": None if hit is None else {"kind": hit.kind, "weak": hit.weak, "reasons": list(hit.reasons),
                                          "pattern": hit.pattern},
    }


def assess_split(examples: Sequence[Example],
                 detector: CrisisDetector | None = None) -> list[tuple[Example, Assessment]]:
    """Every message assessed by the detector, its embedding computed in one cached batch."""
    detector = detector or CrisisDetector()
    vectors = train.embed_cached([e.text for e in examples], default_encoder())
    return [(e, detector.assess(e.text, v)) for e, v in zip(examples, vectors, strict=True)]


def near_copy_check(texts: Iterable[str]) -> dict[str, Any]:
    """The highest 5-gram Jaccard of any text to the training data, and how many reach ``NEAR_COPY``."""
    training = [e.text for e in load_split("train")] + nlu_all_examples()
    nearest = sorted(near_copies(texts, training, limit=0.0), key=lambda t: -t[2])
    return {
        "training_messages": len(training), "limit": NEAR_COPY,
        "max_jaccard": round(nearest[0][2], 4) if nearest else 0.0,
        "at_or_above_limit": sum(sim >= NEAR_COPY for _, _, sim in nearest),
        "closest": [{"text": t, "training": tr, "jaccard": round(sim, 4)} for t, tr, sim in nearest[:5]],
    }


def evaluate(split: str = "test", detector: CrisisDetector | None = None) -> dict[str, Any]:
    detector = detector or CrisisDetector()
    classifier = default_classifier()  # fails here, not silently as the detector's rules-only fallback
    examples = load_split(split)
    assessed = assess_split(examples, detector)
    acute = [(e, a) for e, a in assessed if e.acute]
    ordinary = [(e, a) for e, a in assessed if not e.acute]
    caught = [(e, a) for e, a in acute if a.signal is not None]

    confusion: dict[str, dict[str, int]] = {k: dict.fromkeys((*KINDS, MISSED), 0) for k in KINDS}
    for e, a in acute:
        confusion[e.kind][a.signal.kind if a.signal else MISSED] += 1
    right_kind = sum(a.signal is not None and a.signal.kind == e.kind for e, a in caught)

    sources = {s: {"caught": 0, "right_kind": 0, "false_alarms": 0} for s in SOURCES}
    for e, a in assessed:
        if a.signal is None:
            continue
        row = sources[a.signal.source]
        if e.acute:
            row["caught"] += 1
            row["right_kind"] += a.signal.kind == e.kind
        else:
            row["false_alarms"] += 1

    thresholds = detector.thresholds
    texts, labels = train.training_set()
    expected_hash = train.data_hash(texts, labels, classifier.model_id)
    tags = [t for t in ORDINARY_TAGS if any(e.tag == t for e, _ in ordinary)]
    return {
        "split": split,
        "messages": len(assessed), "acute": len(acute), "ordinary": len(ordinary),
        "thresholds": {"classifier": thresholds.classifier, "with_rule": thresholds.with_rule},
        "classifier": {"model_id": classifier.model_id, "data_hash": classifier.data_hash,
                       "current": classifier.data_hash == expected_hash},
        "recall": {"overall": _recall_row(acute),
                   "by_kind": {k: _recall_row([x for x in acute if x[0].kind == k]) for k in KINDS},
                   "by_lang": {lang: _recall_row([x for x in acute if x[0].lang == lang]) for lang in LANGS}},
        "kind_accuracy": {"caught": len(caught), "right_kind": right_kind,
                          "accuracy": _rate(right_kind, len(caught))},
        "confusion": confusion,
        "false_alarms": {
            "overall": _alarm_row(ordinary),
            "by_tag": {t: _alarm_row([x for x in ordinary if x[0].tag == t]) for t in tags},
            "by_lang": {lang: _alarm_row([x for x in ordinary if x[0].lang == lang]) for lang in LANGS},
            "by_detected_kind": dict(Counter(a.signal.kind for _, a in ordinary if a.signal)),
        },
        "sources": sources,
        "near_copies": near_copy_check(e.text for e in examples),
        "errors": {
            "missed": [_describe(e, a) for e, a in acute if a.signal is None],
            "false_alarms": [_describe(e, a) for e, a in ordinary if a.signal is not None],
            "wrong_kind": [_describe(e, a) for e, a in caught if a.signal and a.signal.kind != e.kind],
        },
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    cells = [[str(c) for c in header], *([str(c) for c in r] for r in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    return [fmt(cells[0]), "  ".join("-" * w for w in widths), *(fmt(r) for r in cells[1:])]


def _error_line(d: dict[str, Any]) -> str:
    rule = d["rule"]
    rule_text = "no rule" if rule is None else (
        f"rule {rule['kind']}{' weak: ' + ', '.join(rule['reasons']) if rule['weak'] else ' strong'}")
    p = "–" if d["p_acute"] is None else f"{d['p_acute']:.2f}"
    detected = f" → {d['detected']} ({d['source']})" if d["detected"] else ""
    return f"  [{d['kind']}/{d['tag']}/{d['lang']}{detected}] p={p}; {rule_text}\n      {d['text']}"


def report(r: dict[str, Any], show_errors: bool = False) -> str:
    t, nc = r["thresholds"], r["near_copies"]
    out = [f"Crisis detector on the {r['split']} split: {r['messages']} messages "
           f"({r['acute']} acute, {r['ordinary']} none)",
           f"thresholds: classifier {t['classifier']}, with_rule {t['with_rule']}; classifier "
           f"{r['classifier']['data_hash']} ({'current' if r['classifier']['current'] else 'STALE'})",
           f"near-copies: max 5-gram Jaccard to {nc['training_messages']} training messages "
           f"{nc['max_jaccard']:.3f}; at or above {nc['limit']}: {nc['at_or_above_limit']}", ""]

    rec = r["recall"]
    rows = [(k, v["n"], v["caught"], _pct(v["recall"])) for k, v in rec["by_kind"].items()]
    rows += [(f"lang {lang}", v["n"], v["caught"], _pct(v["recall"])) for lang, v in rec["by_lang"].items()]
    rows.append(("ALL", rec["overall"]["n"], rec["overall"]["caught"], _pct(rec["overall"]["recall"])))
    out += ["RECALL (acute answer, any kind)", *_table(("kind", "n", "caught", "recall"), rows), ""]

    ka = r["kind_accuracy"]
    out.append(f"KIND ACCURACY among caught: {ka['right_kind']}/{ka['caught']} = {_pct(ka['accuracy'])}")
    short = {"overdose": "overd", "medical": "medic", "child_in_danger": "child", "violence_now": "viol",
             "self_harm": "selfh", "suicidal": "suic", MISSED: MISSED}
    cols = (*KINDS, MISSED)
    out += [*_table(("true \\ detected", *(short[c] for c in cols)),
                    ((k, *(r["confusion"][k][c] for c in cols)) for k in KINDS)), ""]

    fa = r["false_alarms"]
    rows = [(tag, v["n"], v["alarms"], _pct(v["false_alarm_rate"])) for tag, v in fa["by_tag"].items()]
    rows += [(f"lang {lang}", v["n"], v["alarms"], _pct(v["false_alarm_rate"]))
             for lang, v in fa["by_lang"].items()]
    rows.append(("ALL", fa["overall"]["n"], fa["overall"]["alarms"], _pct(fa["overall"]["false_alarm_rate"])))
    out += ["FALSE ALARMS (acute answer to a none message)", *_table(("tag", "n", "alarms", "rate"), rows)]
    if fa["by_detected_kind"]:
        out.append("false alarms by detected kind: " + ", ".join(
            f"{k} {n}" for k, n in sorted(fa["by_detected_kind"].items(), key=lambda kv: -kv[1])))
    out.append("")

    out += ["WHO DECIDED", *_table(("source", "caught", "right kind", "false alarms"),
                                   ((s, v["caught"], v["right_kind"], v["false_alarms"])
                                    for s, v in r["sources"].items())), ""]

    if show_errors:
        errors = r["errors"]
        for name, title in (("missed", "MISSED ACUTE"), ("false_alarms", "FALSE ALARMS"),
                            ("wrong_kind", "CAUGHT WITH THE WRONG KIND")):
            out.append(f"{title} ({len(errors[name])})")
            out += [_error_line(d) for d in errors[name]] or ["  –"]
            out.append("")
        out.append("CLOSEST TO TRAINING DATA")
        out += [f"  {c['jaccard']:.3f}  {c['text']}\n         ~ {c['training']}" for c in nc["closest"]]
        out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, metavar="PATH",
                        help="write the figures here (default results/crisis_eval.json)")
    parser.add_argument("--show-errors", action="store_true",
                        help="list the missed acute messages, the false alarms and the wrong kinds")
    args = parser.parse_args(argv)
    results = evaluate("test")
    print(report(results, args.show_errors), end="")
    path: Path = args.json or RESULTS_DIR / "crisis_eval.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
