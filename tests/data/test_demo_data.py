"""The shipped demo directory is what its generator produces, and it passes the generator's own checks
(schema, code lists, unique ids, demo markings, coverage of every situation in Kotka, Kouvola and Hamina)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_data_is_generated_and_complete() -> None:
    result = subprocess.run(
        [sys.executable, "directory_db/data/demo/build_demo.py", "--check"],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
