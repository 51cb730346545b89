"""The Rasa crisis responses are generated from ovi_lang's reply data and are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.build_crisis_responses import OUT
from ovi_lang.crisis.kinds import KINDS

pytestmark = pytest.mark.rasa
ROOT = Path(__file__).resolve().parents[2]


def test_generated_responses_are_current() -> None:
    done = subprocess.run([sys.executable, "-m", "bot.build_crisis_responses", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_kind_and_language_has_a_response_with_the_payload_on_its_text() -> None:
    variants = yaml.safe_load(OUT.read_text(encoding="utf-8"))["responses"]["utter_crisis"]
    seen = set()
    for v in variants:
        conditions = {c["name"]: c["value"] for c in v.get("condition", [])}
        if conditions:
            seen.add((conditions["crisis_kind"], conditions["language"]))
        assert "112" in v["text"] and v["custom"]["type"] == "crisis"
        assert v["custom"]["lines"][0]["phone"] == "112"
    assert seen == {(k, lang) for k in KINDS for lang in ("fi", "sv", "en")}
