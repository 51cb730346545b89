"""The Rasa crisis responses are generated from ovi_lang's reply data and are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain

from bot.build_crisis_responses import OUT
from ovi_lang.crisis.kinds import KINDS
from ovi_lang.crisis.replies import crisis_reply

pytestmark = pytest.mark.rasa
ROOT = Path(__file__).resolve().parents[2]


def test_generated_responses_are_current() -> None:
    done = subprocess.run([sys.executable, "-m", "bot.build_crisis_responses", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_kind_and_language_has_a_response_with_the_payload_on_its_text() -> None:
    variants = yaml.safe_load(OUT.read_text(encoding="utf-8"))["responses"]["utter_crisis"]
    seen = []
    for v in variants:
        conditions = {c["name"]: c["value"] for c in v.get("condition", [])}
        if conditions:
            seen.append((conditions["crisis_kind"], conditions["language"], conditions["crisis_certainty"]))
        assert "112" in v["text"] and v["custom"]["type"] == "crisis"
        assert v["custom"]["lines"][0]["phone"] == "112"
    # Each once: Rasa picks at random among the variants whose conditions hold.
    assert sorted(seen) == sorted((k, lang, c) for k in KINDS for lang in ("fi", "sv", "en")
                                  for c in ("sure", "unsure"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_rasa_answers_an_unsure_signal_with_its_if_it_is_happening_now_wording(kind: str, lang: str) -> None:
    domain = Domain.load([str(ROOT / "bot" / "domain")])
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    reply = crisis_reply(kind, lang)
    for certainty, text in (("unsure", reply.unsure_text), ("sure", reply.text)):
        slots = {"crisis_kind": kind, "language": lang, "crisis_certainty": certainty}
        for _ in range(5):  # a random choice among several matching variants would show
            answer = nlg.generate_from_slots("utter_crisis", slots, "rest")
            assert answer is not None and answer["text"] == text
            assert answer["custom"] == reply.payload()
    assert reply.unsure_text != reply.text
