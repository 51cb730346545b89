"""``python -m ovi_web``: help text from the settings table, bad settings, and a real start on a free port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ovi_stack.run import free_port
from ovi_web.__main__ import main
from ovi_web.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for spec in SETTINGS.values():
        assert spec.env in out and spec.help in out


def test_bad_port_is_reported(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OVI_WEB_PORT", "http")
    assert main([]) == 2
    assert "OVI_WEB_PORT" in capsys.readouterr().err


def test_default_database_url_comes_from_directory_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("ovi.sqlite3")
    assert settings.rasa_url == "http://localhost:5005"


def test_python_m_ovi_web_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "OVI_WEB_PORT": str(port),
        "OVI_WEB_HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ovi.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "ovi_web"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert b"Traceback" not in stderr
