"""``make bench``: start the stack once and measure what residents feel, as medians (the machine is noisy).

Reports the cold start of the three processes, the REST-webhook turn time of the core conversation (the
question turn and the recommendation turn separately), Rasa's NLU parse time and the HSDS search API time.
Writes ``results/bench.json`` besides printing a table.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from ovi_stack import paths
from ovi_stack.run import Ports, Stack

CONVERSATIONS = 25
PARSES = 50


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


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 1), "n": len(ordered)}


def measure(stack: Stack) -> dict[str, dict[str, float]]:
    webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
    ask, recommend = [], []
    for _ in range(CONVERSATIONS):
        sender = f"bench-{uuid.uuid4().hex}"
        elapsed, _ = _post(webhook, {"sender": sender, "message": "mulla ei oo kämppää"})
        ask.append(elapsed)
        elapsed, replies = _post(webhook, {"sender": sender, "message": "Kotkassa"})
        if not any(isinstance(r.get("custom"), dict) for r in replies):
            raise RuntimeError("the recommendation turn returned no service_list")
        recommend.append(elapsed)
    parse = [_post(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", {"text": "asun kouvolassa"})[0]
             for _ in range(PARSES)]
    api = [_get(f"{stack.web_url}/api/hsds/services?search=p%C3%A4ihteet&municipality=285")
           for _ in range(PARSES)]
    return {"turn_question": _summary(ask), "turn_recommendation": _summary(recommend),
            "nlu_parse": _summary(parse), "hsds_search_api": _summary(api)}


def main() -> int:
    stack = Stack(ports=Ports.free(),
                  log_dir=paths.ROOT / "results" / "bench-logs")
    started = time.monotonic()
    stack.start(timeout=600)
    cold_start = time.monotonic() - started
    try:
        results: dict[str, Any] = measure(stack)
    finally:
        stack.stop()
    results["cold_start_s"] = round(cold_start, 1)
    ratio = results["turn_recommendation"]["median_ms"] / results["turn_question"]["median_ms"]
    results["ratio_recommendation_to_question_turn"] = round(ratio, 2)
    out = paths.ROOT / "results" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"cold start of the stack: {results['cold_start_s']} s")
    for name in ("turn_question", "turn_recommendation", "nlu_parse", "hsds_search_api"):
        r = results[name]
        print(f"{name:22} median {r['median_ms']:7.1f} ms   p90 {r['p90_ms']:7.1f} ms   n={r['n']}")
    print(f"recommendation / question turn (medians): {results['ratio_recommendation_to_question_turn']}")
    print(f"written to {Path(out).relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
