"""Where things are in the repository; the two environments of DEVELOPERS.md."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
MODELS = ROOT / "models"
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "bot" / "domain"
TRAINING_DATA = (ROOT / "nlu_data", ROOT / "bot" / "data")
CREDENTIALS = ROOT / "bot" / "credentials.yml"
