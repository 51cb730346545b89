"""The Rasa NLU training examples as plain data, for the code that reads them outside Rasa: the crisis
classifier (its ordinary negatives), the near-copy checks and ``known_words`` (the words Ovi was taught)."""

from __future__ import annotations

from pathlib import Path

import yaml

NLU_DIR = Path(__file__).resolve().parent.parent / "nlu_data"


def nlu_examples(nlu_dir: Path = NLU_DIR) -> list[tuple[str, str]]:
    """(intent, text) of every Rasa NLU training example."""
    examples = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if block.get("intent") is None:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((str(block["intent"]), line[2:].strip()))
    return examples
