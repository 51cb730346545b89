"""The crisis data: rules, replies, corpus, and the stored classifier are well-formed and current."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from ovi_lang.crisis import corpus, replies, rules
from ovi_lang.crisis.kinds import KINDS, CrisisKind

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("fi", "sv", "en")
Splits = dict[str, tuple[corpus.Example, ...]]


# --- rules ----------------------------------------------------------------------------------------------


def test_the_rule_file_loads() -> None:
    ruleset = rules.load_rules()
    patterns = ruleset.patterns
    assert {p.kind for p in patterns} == set(KINDS)
    assert [KINDS.index(p.kind) for p in patterns] == sorted(KINDS.index(p.kind) for p in patterns)
    assert set(ruleset.context) | set(ruleset.message_context) <= set(rules.CONTEXT_CUES)
    assert {"past", "figure_of_speech", "question"} <= set(ruleset.context)
    assert ruleset.substances


def _load_broken_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    """Load ``text`` as rules.yml, bypassing the cache so the real rules stay loaded for other tests."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rules.yml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(rules, "resources", SimpleNamespace(files=lambda _package: tmp_path))
    rules.load_rules.__wrapped__()


@pytest.mark.parametrize(
    ("text", "entry", "field"),
    [
        ('patterns:\n  - {kind: suicidal, all: ["kuolla"]}\n  - {kind: suicide, all: ["kuolla"]}\n',
         "patterns[1]", "kind"),
        ('patterns:\n  - {kind: medical, all: "tajuton"}\n', "patterns[0]", "all"),
        ('patterns:\n  - {kind: medical, all: []}\n', "patterns[0]", "all"),
        ('patterns:\n  - {kind: medical, all: ["tajuton"], week: true}\n', "patterns[0]", "week"),
        ('patterns:\n  - {kind: medical, all: ["tajuton"]}\n'
         'context:\n  past:\n    - ["sitten"]\n    - "vuosi"\n', "context.past[1]", "all"),
        ('patterns:\n  - {kind: medical, all: ["tajuton"]}\ncontext:\n  pasts:\n    - ["sitten"]\n',
         "context", "pasts"),
    ],
    ids=["unknown-kind", "all-not-a-list", "all-empty", "unknown-field", "context-entry", "unknown-cue"],
)
def test_a_broken_rule_file_names_the_entry_and_the_field(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          text: str, entry: str, field: str) -> None:
    with pytest.raises(rules.RuleError) as error:
        _load_broken_rules(monkeypatch, tmp_path, text)
    assert entry in str(error.value)
    assert field in str(error.value)


def test_a_broken_alternative_names_the_entry_and_the_alternative() -> None:
    with pytest.raises(rules.RuleError, match=re.escape("patterns[7]")) as error:
        rules._groups(["kill (myself|me"], "rules.yml patterns[7]")
    assert "kill (myself|me" in str(error.value)
    with pytest.raises(rules.RuleError, match=re.escape("patterns[8]")):
        rules._groups(["kuolla||elää"], "rules.yml patterns[8]")
    with pytest.raises(rules.RuleError, match=re.escape("patterns[9]")):
        rules._alternative("   ", "rules.yml patterns[9]")


# --- replies --------------------------------------------------------------------------------------------


def test_every_kind_has_a_reply_in_every_language() -> None:
    assert set(replies.crisis_replies()) == {(kind, lang) for kind in KINDS for lang in LANGS}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_a_reply_gives_112_first_and_the_numbers_it_lists(kind: str, lang: str) -> None:
    reply = replies.crisis_replies()[(kind, lang)]
    assert reply.kind == kind and reply.language == lang
    assert reply.lines, (kind, lang)
    assert reply.lines[0]["phone"] == "112"
    assert reply.lines[0]["available"] == "24/7"
    for line in reply.lines:
        assert line["phone"] in reply.text and line["phone"] in reply.unsure_text, (kind, lang, line)
        assert line["available"] == "24/7", (kind, lang, line)
    # The answer to an unsure signal says the same numbers, in the "if it is happening now" wording.
    assert reply.unsure_text != reply.text
    assert len({line["phone"] for line in reply.lines}) == len(reply.lines)


@pytest.mark.parametrize("kind", KINDS)
def test_the_payload_has_the_spec_shape(kind: CrisisKind) -> None:
    payload = replies.crisis_reply(kind, "fi").payload()
    assert set(payload) == {"type", "kind", "lines"}
    assert payload["type"] == "crisis"
    assert payload["kind"] == kind
    assert isinstance(payload["lines"], list) and payload["lines"]
    for line in payload["lines"]:
        assert set(line) == {"name", "phone", "available"}
        assert all(isinstance(value, str) and value for value in line.values()), line
    assert payload["lines"][0] == {"name": "Hätänumero", "phone": "112", "available": "24/7"}


@pytest.mark.parametrize(("kind", "phones"), [
    ("suicidal", ["112", "09 2525 0111"]), ("self_harm", ["112", "09 2525 0111"]),
    ("overdose", ["112", "0800 147 111"]), ("medical", ["112"]), ("violence_now", ["112", "080 005 005"]),
    ("child_in_danger", ["112"]),
])
def test_each_kind_gives_its_own_24_7_line_after_112(kind: str, phones: list[str]) -> None:
    for lang in LANGS:
        assert [line["phone"] for line in replies.crisis_replies()[(kind, lang)].lines] == phones


def test_the_default_reply_language_is_finnish() -> None:
    assert replies.crisis_reply("medical").language == "fi"


# --- corpus ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def splits() -> Splits:
    return {split: corpus.load_split(split) for split in corpus.SPLITS}


def test_every_split_loads_and_has_every_kind(splits: Splits) -> None:
    for split, examples in splits.items():
        assert examples, split
        assert all(e.split == split for e in examples)
        assert {e.kind for e in examples} == {"none", *KINDS}, split


def test_the_corpus_is_large_enough(splits: Splits) -> None:
    counts = Counter(e.acute for examples in splits.values() for e in examples)
    assert counts[True] >= 200
    assert counts[False] >= 500


def test_the_test_split_has_every_language(splits: Splits) -> None:
    assert {e.lang for e in splits["test"]} == set(LANGS)


def _write_corpus(path: Path, messages: list[str], split: str = "train") -> Path:
    lines = "".join(f"  - {m}\n" for m in messages)
    path.write_text(f"split: {split}\nmessages:\n{lines}", encoding="utf-8")
    return path


GOOD = '{kind: none, lang: fi, tag: everyday, text: "tarviin apua vuokran kanssa"}'


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ('{kind: suicide, lang: fi, tag: direct, text: "en jaksa enää"}', "kind"),
        ('{kind: medical, lang: de, tag: direct, text: "er atmet nicht"}', "lang"),
        ('{kind: medical, lang: fi, text: "se ei hengitä"}', "tag"),
        ('{kind: none, lang: fi, tag: direct, text: "moi"}', "tag"),
        ('{kind: medical, lang: fi, tag: figure_of_speech, text: "se ei hengitä"}', "tag"),
        ('{kind: none, lang: fi, tag: unclear, text: "   "}', "text"),
    ],
    ids=["wrong-kind", "wrong-lang", "missing-field", "acute-tag-on-none", "ordinary-tag-on-acute",
         "empty-text"],
)
def test_a_malformed_corpus_file_names_the_file_message_and_field(tmp_path: Path, bad: str,
                                                                  field: str) -> None:
    path = _write_corpus(tmp_path / "train-broken.yml", [GOOD, GOOD.replace("vuokran", "laskujen"), bad])
    with pytest.raises(corpus.CorpusError) as error:
        corpus.load_file(path)
    message = str(error.value)
    assert "train-broken.yml" in message
    assert "#3" in message
    assert field in message


def test_a_corpus_file_must_match_its_split(tmp_path: Path) -> None:
    path = _write_corpus(tmp_path / "validation-x.yml", [GOOD], split="train")
    with pytest.raises(corpus.CorpusError, match="validation-x.yml"):
        corpus.load_file(path)
    path = _write_corpus(tmp_path / "train-x.yml", [GOOD], split="trian")
    with pytest.raises(corpus.CorpusError, match="split"):
        corpus.load_file(path)


def test_a_duplicate_message_in_a_split_is_an_error(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "train-a.yml", [GOOD])
    _write_corpus(tmp_path / "train-b.yml", [GOOD.replace("apua", "Apua!")])
    with pytest.raises(corpus.CorpusError, match="train-b.yml"):
        corpus.load_split("train", tmp_path)


_ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
"""Rasa entity markup: "[Kotka](municipality)" or "[Kotka]{...}" stands for the text "Kotka"."""


def _nlu_examples() -> list[str]:
    """Every example of every intent in nlu_data (Rasa NLU YAML), entity markup removed."""
    texts = []
    files = sorted((ROOT / "nlu_data").rglob("*.yml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ENTITY.sub(r"\1\2", line[2:].strip()))
    return texts


@pytest.fixture(scope="module")
def training_texts(splits: Splits) -> list[str]:
    nlu = _nlu_examples()
    assert len(nlu) > 100
    return [e.text for e in splits["train"]] + nlu


def test_the_test_split_is_not_a_near_copy_of_training(splits: Splits, training_texts: list[str]) -> None:
    texts = [e.text for e in splits["test"]]
    assert corpus.near_copies(texts, training_texts, limit=0.5) == []


def test_the_near_copy_check_finds_a_copy_with_one_word_changed(
        splits: Splits, training_texts: list[str]) -> None:
    originals = [e.text for e in splits["train"] if len(e.text.split()) >= 8][:20]
    assert originals
    changed = []
    for text in originals:
        words = text.split()
        words[len(words) // 2] = "kuitenkin"
        changed.append(" ".join(words))
    found = corpus.near_copies(changed, training_texts, limit=0.5)
    assert [copy for copy, _, _ in found] == changed
    assert [corpus.normalise(best) for _, best, _ in found] == [corpus.normalise(t) for t in originals]
    # ...and an unrelated message is not flagged.
    unrelated = "voisko joku kertoa missä on lähin uimahalli"
    assert corpus.near_copies([unrelated], training_texts, limit=0.5) == []


# --- the stored classifier ------------------------------------------------------------------------------


def test_the_stored_classifier_is_current() -> None:
    result = subprocess.run([sys.executable, "-m", "ovi_lang.crisis.train", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
