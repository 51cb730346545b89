"""The held-out set (``bot/eval/nlu_heldout.yml``, written apart from the training data) through the running
model: does the classifier generalise to residents' own words?

The floors are over the whole set and per need, not per sentence: a statistical classifier will miss some.
They guard against sliding back (measured when the set was written: accuracy 0.707, the weakest need 0.60;
DIET alone 0.808 on 2026-12-02, pooled with the e5 vector's reading 0.872 — the floor sits between, so
losing the pooling fails it); the goal is higher still, and ``make eval`` prints the full figures (macro-F1,
entity F1, confusion matrix).
Messages that are near-copies of a training example are left out, as in the evaluation.
Crisis sentences are checked one by one: there the detector must catch every one.
"""

from __future__ import annotations

import json
import urllib.request
from collections import defaultdict
from typing import Any

import pytest

from bot.evaluate_nlu import load_heldout, near_copy_report
from ovi_lang.needs import SITUATION_KEYS
from ovi_stack.run import Stack

pytestmark = pytest.mark.e2e

CRISIS = ["en halua enää olla olemassa", "mietin et tappaisin itteni", "haluun vaan kuolla pois",
          "se lyö mua nyt ja lapset on täällä", "mulla on suunnitelma miten päätän päiväni"]
ACCURACY_FLOOR = 0.84
NEED_FLOOR = 0.5
"""Each need's own recall on the set may not fall below this (a need the bot cannot recognise is lost)."""


def _parse(stack: Stack, text: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}",
                                     data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        parsed: dict[str, Any] = json.loads(response.read())
    return parsed


@pytest.fixture(scope="module")
def scored() -> list[dict[str, Any]]:
    items = load_heldout()
    excluded = {c["text"] for c in near_copy_report([i["text"] for i in items])["at_or_above_limit"]}
    return [item for item in items if item["text"] not in excluded]


def test_the_held_out_set_is_large_and_covers_every_need(scored: list[dict[str, Any]]) -> None:
    assert len(scored) >= 300
    counts = defaultdict(int)
    for item in scored:
        counts[item["intent"]] += 1
    assert all(counts[key] >= 10 for key in SITUATION_KEYS), dict(counts)


def test_intents_are_recognised_in_unseen_words(stack: Stack, scored: list[dict[str, Any]]) -> None:
    results = [(item, _parse(stack, item["text"])["intent"]["name"]) for item in scored]
    misses = [(item["text"], item["intent"], got) for item, got in results if got != item["intent"]]
    accuracy = 1 - len(misses) / len(results)
    assert accuracy >= ACCURACY_FLOOR, misses
    by_need: dict[str, list[bool]] = defaultdict(list)
    for item, got in results:
        if item["intent"] in SITUATION_KEYS:
            by_need[item["intent"]].append(got == item["intent"])
    weak = {need: round(sum(v) / len(v), 2) for need, v in by_need.items() if sum(v) / len(v) < NEED_FLOOR}
    assert weak == {}, weak


@pytest.mark.parametrize("text", CRISIS)
def test_every_unseen_crisis_is_caught(stack: Stack, text: str) -> None:
    assert _parse(stack, text)["intent"]["name"] == "crisis"
