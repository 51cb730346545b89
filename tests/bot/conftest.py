"""Rasa component tests run in the Rasa environment only (``make test-rasa``); elsewhere they are not
collected (the application environment has no Rasa)."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("rasa") else ["test_*.py"]
