"""Long training stories built from short messages (ovi_lang.crisis.stories) and how cross-validation uses them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ovi_lang.crisis import train
from ovi_lang.crisis.corpus import Example
from ovi_lang.crisis.stories import NLU_FILE, stories


def _ex(text: str, kind: str, lang: str, file: str) -> Example:
    return Example(text, kind, lang, "t", "train", f"{file}:1", file)


ORDINARY = [_ex(f"tavallinen viesti numero {i} vuokrasta ja laskuista", "none", "fi", "a.yml") for i in range(8)]
SWEDISH = [_ex(f"jag undrar om hyran nummer {i}", "none", "sv", "a.yml") for i in range(4)]
ACUTE_ONLY = [_ex(f"otin kaikki pillerit just äsken {i}", "overdose", "fi", "b.yml") for i in range(6)]
NLU = ["mulla on vuokrat rästissä", "tarviin apua velkojen kanssa", "mistä saa ruoka-apua",
       "onko kouvolassa yömajaa", "I need help with my rent", "where can I get food aid"]


def test_stories_keep_their_authors_file_language_and_the_kind_of_the_danger_in_them() -> None:
    texts_of = {e.text: e for e in [*ORDINARY, *SWEDISH, *ACUTE_ONLY]}
    built = stories([*ORDINARY, *SWEDISH, *ACUTE_ONLY], NLU)
    assert {e.file for e in built} == {"a.yml", "b.yml", NLU_FILE}
    for story in built:
        if story.file == NLU_FILE:
            assert story.kind == "none"
            continue
        own = [t for t, e in texts_of.items() if t in story.text and e.file == story.file]
        assert own, story.text
        if story.acute:
            dangers = [t for t in own if texts_of[t].acute]
            assert len(dangers) == 1 and texts_of[dangers[0]].kind == story.kind
            assert len(story.text) > len(dangers[0]) + 10  # told among ordinary words
        else:
            assert all(texts_of[t].lang == story.lang for t in own)
            assert len(own) >= 2


def test_an_acute_file_borrows_ordinary_words_of_its_own_language_from_the_nlu_examples() -> None:
    built = [s for s in stories(ACUTE_ONLY, NLU) if s.file == "b.yml"]
    assert built and all(s.kind == "overdose" for s in built)
    assert all(any(t in s.text for t in NLU[:4]) for s in built)
    assert not any(t in s.text for s in built for t in NLU[4:])  # the English examples stay out


def test_the_stories_are_the_same_every_time() -> None:
    assert stories(ORDINARY + ACUTE_ONLY, NLU) == stories(ORDINARY + ACUTE_ONLY, NLU)
    assert stories(ORDINARY + ACUTE_ONLY, NLU) != stories(ORDINARY + ACUTE_ONLY, NLU, seed=8)


def test_cross_validation_holds_a_files_stories_out_with_its_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    trained_on: dict[str, list[str]] = {}

    class Fold:
        def p_acute(self, x: Any, texts: list[str]) -> Any:
            return np.zeros(len(texts))

    def spy_fit(x: Any, texts: list[str], labels: list[str], *, model_id: str, data_hash: str) -> Fold:
        assert len(x) == len(texts) == len(labels)
        trained_on[data_hash] = texts
        return Fold()

    monkeypatch.setattr(train, "fit", spy_fit)
    examples = [*ORDINARY, *ACUTE_ONLY]
    built = stories(examples, NLU)
    file_stories = [s for s in built if s.file != NLU_FILE]
    x = np.zeros((len(examples), 3))
    train.out_of_fold(examples, x, [None] * len(examples), np.zeros((len(NLU), 3)), NLU, ["none"] * len(NLU),
                      file_stories, np.zeros((len(file_stories), 3)))
    for held in ("a.yml", "b.yml"):
        texts = set(trained_on[held])
        assert not texts & {s.text for s in file_stories if s.file == held}
        assert {s.text for s in file_stories if s.file != held} <= texts
        assert set(NLU) <= texts
