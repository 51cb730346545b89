"""The directory CLI, run as ``python -m directory_db`` in a subprocess like make and the README do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from directory_db import cli

from .conftest import VALID, valid_records, write_json

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(REPO_ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "directory_db", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    result = run(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_init_twice(tmp_path: Path) -> None:
    first, second = run(tmp_path, "init"), run(tmp_path, "init")
    assert first.returncode == second.returncode == 0
    assert "ajan tasalla" in second.stdout
    assert (tmp_path / "cli.sqlite3").exists()


def test_import_search_export(initialised: Path) -> None:
    tmp_path = initialised
    imported = run(tmp_path, "import", str(VALID))
    assert imported.returncode == 0, imported.stderr
    assert "Tuotiin 6 palvelua (6 uutta, 0 päivitettyä)" in imported.stdout

    found = run(tmp_path, "search", "päihteisiin", "--municipality", "285", "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits and {"id", "name", "organization", "provider_type", "score", "area_level"} <= hits[0].keys()
    assert "Päihdetyön avopalvelu" in [h["name"] for h in hits]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)

    human = run(tmp_path, "search", "velkaneuvonta")
    assert human.returncode == 0
    first_line = human.stdout.splitlines()[0]
    assert "Diakonian talous- ja velkaneuvonta — Kotkan seurakuntayhtymä (seurakunta; kunta;" in first_line

    assert run(tmp_path, "search", "xyzzy").stdout.strip() == "Ei osumia."

    out = tmp_path / "export.json"
    exported = run(tmp_path, "export", "--format", "hsds-json", str(out))
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 6


def test_import_bad_file_fails_and_names_the_field(initialised: Path) -> None:
    records = valid_records()
    records[3]["service_areas"][0]["uri"] = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/999"
    bad = write_json(initialised / "bad.json", records)
    result = run(initialised, "import", str(bad))
    assert result.returncode != 0
    assert "kenttä service_areas[0].uri: tuntematon kuntakoodi 999" in result.stderr
    assert "palvelu #4" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run(initialised, "search", "--json").stdout) == []  # nothing was written


def test_dry_run(initialised: Path) -> None:
    result = run(initialised, "import", "--dry-run", str(VALID))
    assert result.returncode == 0, result.stderr
    assert "mitään ei tallennettu" in result.stdout
    assert json.loads(run(initialised, "search", "--json").stdout) == []


@pytest.mark.parametrize("content", ["{ei jsonia", "[]"])
def test_import_broken_or_empty_file(initialised: Path, content: str) -> None:
    path = initialised / "x.json"
    path.write_text(content, encoding="utf-8")
    result = run(initialised, "import", str(path))
    if content == "[]":
        assert result.returncode == 0 and "Tuotiin 0 palvelua" in result.stdout
    else:
        assert result.returncode == 1 and "ei ole kelvollista JSONia" in result.stderr
        assert "Traceback" not in result.stderr


def test_missing_file(initialised: Path) -> None:
    result = run(initialised, "import", "ei-ole.json")
    assert result.returncode == 1 and "tiedostoa ei voi lukea" in result.stderr


@pytest.mark.parametrize("fmt", ["hsds-csv", "ptv-json"])
def test_a_file_in_another_format_is_refused_with_a_reason(initialised: Path, fmt: str) -> None:
    result = run(initialised, "import", "--format", fmt, str(VALID))  # an HSDS-JSON file
    assert result.returncode == 1
    assert "mitään ei tallennettu" in result.stderr
    assert VALID.name in result.stderr  # the message names the file
    assert "Traceback" not in result.stderr


def test_commands_need_an_initialised_database(tmp_path: Path) -> None:
    result = run(tmp_path, "search", "päihde")
    assert result.returncode == 1
    assert "python -m directory_db init" in result.stderr


def test_unknown_municipality(initialised: Path) -> None:
    result = run(initialised, "search", "päihde", "--municipality", "999")
    assert result.returncode == 1 and "tuntematon kuntakoodi 999" in result.stderr


def test_seed_demo_loads_only_into_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / "services.json").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(cli, "DEMO_DIR", demo)
    url = f"sqlite:///{tmp_path / 'seed.sqlite3'}"

    assert cli.main(["--database-url", url, "seed-demo"]) == 0
    assert "Ladattiin demoaineisto (services.json): Tuotiin 6 palvelua" in capsys.readouterr().out
    assert cli.main(["--database-url", url, "seed-demo"]) == 0
    assert "Tietokannassa on jo 6 palvelua; demoaineistoa ei ladattu." in capsys.readouterr().out


def test_seed_demo_without_demo_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "DEMO_DIR", tmp_path / "none")
    assert cli.main(["--database-url", f"sqlite:///{tmp_path / 's.sqlite3'}", "seed-demo"]) == 1
    assert "Demoaineistoa ei löytynyt" in capsys.readouterr().err
