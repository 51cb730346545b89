"""``make bench``: start the stack once and measure what residents feel, as medians (the machine is noisy).

Reports the cold start of the three processes, the REST-webhook turn time of the core conversation (the
question turn and the recommendation turn separately), Rasa's NLU parse time, the HSDS search API time and
beside it the professionals' lookup (``/haku`` and ``/haku.json``, the same search),
and, in this process after the stack has stopped, the crisis detector's latency per message over the corpus's
test split (medians and p95). Writes ``results/bench.json`` besides printing a table.
``--crisis-only`` measures only the crisis detector (no stack) and writes ``results/bench-crisis.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from directory_db.search_eval.quality import load_queries
from ovi_stack import paths, traffic
from ovi_stack.run import Ports, Stack

CONVERSATIONS = 25
PARSES = 50
CRISIS_WARMUP = 5
CRISIS_PARTS = {
    "crisis_embedding": "e5 embedding alone",
    "crisis_rules": "rules alone",
    "crisis_detector_given_embedding": "detector, embedding given (Rasa path)",
    "crisis_detector_own_embedding": "detector, computes its embedding",
}


def _post(url: str, body: dict[str, Any]) -> tuple[float, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.loads(response.read())
    return time.perf_counter() - started, data


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def _summary(samples: list[float], percentile: int = 90, digits: int = 1) -> dict[str, float]:
    """Median and one upper percentile in ms (p90 for the few stack turns, p95 for the many messages)."""
    ordered = sorted(samples)
    upper = ordered[int(percentile / 100 * (len(ordered) - 1))]
    return {"median_ms": round(statistics.median(ordered) * 1000, digits),
            f"p{percentile}_ms": round(upper * 1000, digits), "n": len(ordered)}


def _percentiles(samples: list[float]) -> dict[str, float]:
    return _summary(samples, percentile=95, digits=2)


def measure_crisis() -> dict[str, dict[str, float]]:
    """The crisis detector's latency per message, over the test split's messages in order, one at a time.

    Each part first gets ``CRISIS_WARMUP`` calls, and starts with empty word caches (Voikko analyses and
    lemmas are memoised per word), so every part sees the words as a fresh process would.
    """
    from ovi_lang import text, voikko
    from ovi_lang.crisis import rules
    from ovi_lang.crisis.classifier import default_classifier
    from ovi_lang.crisis.corpus import load_split
    from ovi_lang.crisis.detector import CrisisDetector
    from ovi_lang.embeddings import embed_message, model_encoder

    messages = [e.text for e in load_split("test")]
    # The model itself, not the process's query memory: each part embeds the same messages again.
    detector = CrisisDetector(encoder=model_encoder())
    model_encoder()  # load the models before timing anything; a broken classifier fails here instead of
    default_classifier()  # silently timing the detector's rules-only fallback
    vectors: dict[str, Any] = {}

    def timed(call: Callable[[str], object], inputs: Sequence[str]) -> list[float]:
        text.lemmas.cache_clear()
        voikko.analyse.cache_clear()
        for m in inputs[:CRISIS_WARMUP]:
            call(m)
        samples = []
        for m in inputs:
            started = time.perf_counter()
            call(m)
            samples.append(time.perf_counter() - started)
        return samples

    def embed(m: str) -> None:
        vectors[m] = embed_message(m, model_encoder())

    return {
        "crisis_embedding": _percentiles(timed(embed, messages)),
        "crisis_rules": _percentiles(timed(rules.analyse, messages)),
        "crisis_detector_given_embedding": _percentiles(timed(lambda m: detector.assess(m, vectors[m]),
                                                              messages)),
        "crisis_detector_own_embedding": _percentiles(timed(detector.assess, messages)),
    }


def _print_crisis(results: dict[str, Any]) -> None:
    print(f"crisis detector, per message over the test split ({CRISIS_WARMUP} warm-up calls each):")
    for name, label in CRISIS_PARTS.items():
        r = results[name]
        print(f"  {label:38} median {r['median_ms']:7.2f} ms   p95 {r['p95_ms']:7.2f} ms   n={r['n']}")


def measure(stack: Stack) -> dict[str, dict[str, float]]:
    """Every message and query differs from the others (``ovi_stack.traffic``): the processes remember
    recent query vectors, and a repeated text would time that memory."""
    webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
    ask, recommend = [], []
    openings, places = traffic.need_openings(), traffic.places()
    for i in range(CONVERSATIONS):
        sender = f"bench-{uuid.uuid4().hex}"
        elapsed, _ = _post(webhook, {"sender": sender, "message": openings[i % len(openings)]})
        ask.append(elapsed)
        elapsed, replies = _post(webhook, {"sender": sender, "message": places[i % len(places)]})
        if any(isinstance(r.get("custom"), dict) and r["custom"].get("type") == "service_list"
               for r in replies):
            recommend.append(elapsed)
    if len(recommend) < CONVERSATIONS // 2:
        raise RuntimeError(f"only {len(recommend)} of {CONVERSATIONS} place answers got a service_list")
    parse = [_post(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", {"text": text})[0]
             for text in places[:PARSES]]
    # The professionals' queries of the search evaluation (on the demo data's Kotka), each asked once.
    queries = [quote_plus(q.query) + "&municipality=285" for q in load_queries()]
    api = [_get(f"{stack.web_url}/api/hsds/services?search={query}") for query in queries[:PARSES]]
    # The professionals' lookup (HTML page with cards, and the JSON twin its typing fetches) beside the API.
    lookup = [_get(f"{stack.web_url}/haku?q={query}") for query in queries[PARSES : 2 * PARSES]]
    lookup_json = [_get(f"{stack.web_url}/haku.json?q={query}") for query in queries[2 * PARSES : 3 * PARSES]]
    return {"turn_question": _summary(ask), "turn_recommendation": _summary(recommend),
            "nlu_parse": _summary(parse), "hsds_search_api": _summary(api), "lookup_page": _summary(lookup),
            "lookup_json": _summary(lookup_json)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crisis-only", action="store_true",
                        help="measure only the crisis detector (no stack); writes results/bench-crisis.json")
    args = parser.parse_args(argv)
    if args.crisis_only:
        crisis = measure_crisis()
        out = paths.ROOT / "results" / "bench-crisis.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(crisis, indent=2), encoding="utf-8")
        _print_crisis(crisis)
        print(f"written to {Path(out).relative_to(paths.ROOT)}")
        return 0
    stack = Stack(ports=Ports.free(),
                  log_dir=paths.ROOT / "results" / "bench-logs")
    started = time.monotonic()
    stack.start(timeout=600)
    cold_start = time.monotonic() - started
    try:
        results: dict[str, Any] = measure(stack)
    finally:
        stack.stop()
    results.update(measure_crisis())  # after the stack has stopped: its processes do not compete for the CPU
    results["cold_start_s"] = round(cold_start, 1)
    ratio = results["turn_recommendation"]["median_ms"] / results["turn_question"]["median_ms"]
    results["ratio_recommendation_to_question_turn"] = round(ratio, 2)
    out = paths.ROOT / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"cold start of the stack: {results['cold_start_s']} s")
    for name in ("turn_question", "turn_recommendation", "nlu_parse", "hsds_search_api", "lookup_page",
                 "lookup_json"):
        r = results[name]
        print(f"{name:22} median {r['median_ms']:7.1f} ms   p90 {r['p90_ms']:7.1f} ms   n={r['n']}")
    print(f"recommendation / question turn (medians): {results['ratio_recommendation_to_question_turn']}")
    _print_crisis(results)
    print(f"written to {Path(out).relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
