"""Unseen phrasings (not in nlu_data) through the running model: does the classifier generalise?

The floor is an accuracy over the whole set, not per sentence: a statistical classifier will miss some.
Crisis sentences are checked one by one: there the rule layer must catch every one.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ovi_stack.run import Stack

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT: dict[str, list[str]] = {
    "homelessness": ["mut heitettiin pihalle eikä oo mitään paikkaa mihin mennä",
                     "asun nyt kaverin sohvalla kun ei oo omaa asuntoo",
                     "mistä vois saada asunnon nopeesti",
                     "oon ollu asunnottomana pari kuukautta",
                     "vuokranantaja irtisano mun sopimuksen"],
    "substance_use": ["dokaan joka päivä enkä pääse siitä irti",
                      "mun kaveri käyttää amfetamiinia ja oon huolissani",
                      "tarttisin apua juomisen lopettamiseen",
                      "pelaan rahapelejä liikaa",
                      "viina vie mun elämän"],
    "mental_health": ["oon ollu tosi masentunut koko syksyn",
                      "ahdistaa niin paljon etten saa nukuttua",
                      "tarvisin jonkun jolle puhua mun pahasta olosta",
                      "paniikkikohtauksia tulee koko ajan",
                      "mieli on ollu maassa jo pitkään"],
    "debt": ["ulosotto vie kaikki mun rahat",
             "en pysty maksaa mun laskuja",
             "mulla on kymmenen pikavippiä maksamatta",
             "perintäfirma soittaa koko ajan",
             "miten pääsis eroon veloista"],
    "loneliness": ["mulla ei oo yhtään ystävää",
                   "istun kotona yksin päivästä toiseen",
                   "kaipaisin jotain seuraa",
                   "kukaan ei koskaan soita mulle",
                   "haluisin tutustua uusiin ihmisiin"],
    "violence": ["mun poikaystävä lyö mua kun se suuttuu",
                 "pelkään omaa miestäni",
                 "isä on väkivaltainen kotona",
                 "ex uhkailee mua viesteillä",
                 "kumppani kontrolloi kaikkea mitä teen"],
}
CRISIS = ["en halua enää olla olemassa", "mietin et tappaisin itteni", "haluun vaan kuolla pois",
          "se lyö mua nyt ja lapset on täällä", "mulla on suunnitelma miten päätän päiväni"]
ACCURACY_FLOOR = 0.8


def _parse(stack: Stack, text: str) -> str:
    request = urllib.request.Request(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}",
                                     data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        name: str = json.loads(response.read())["intent"]["name"]
    return name


def _training_texts() -> set[str]:
    texts = set()
    for path in (ROOT / "nlu_data").rglob("*.yml"):
        for block in YAML(typ="safe").load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                texts.add(line.lstrip("- ").strip().lower())
    return texts


def test_held_out_sentences_are_really_unseen() -> None:
    seen = _training_texts()
    overlap = [t for texts in [*HELD_OUT.values(), CRISIS] for t in texts if t.lower() in seen]
    assert overlap == []


def test_situations_are_recognised_in_unseen_words(stack: Stack) -> None:
    results = [(intent, text, _parse(stack, text)) for intent, texts in HELD_OUT.items() for text in texts]
    misses = [r for r in results if r[0] != r[2]]
    accuracy = 1 - len(misses) / len(results)
    assert accuracy >= ACCURACY_FLOOR, misses


@pytest.mark.parametrize("text", CRISIS)
def test_every_unseen_crisis_is_caught(stack: Stack, text: str) -> None:
    assert _parse(stack, text) == "crisis"
