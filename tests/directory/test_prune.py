"""``--prune``: after a full feed, the services of the same source that it no longer has are archived
(inactive, with an "archive" history row); other sources are never touched; a dry run tells what would go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from directory_db import hsds
from directory_db.importers import ImportValidationError, import_hsds_json
from directory_db.models import Service
from directory_db.search import search_services

from .conftest import SERVICE_IDS, VALID, row_counts, valid_records, write_json

REPO_ROOT = Path(__file__).resolve().parents[2]
GONE = "Diakonian talous- ja velkaneuvonta"


def _status(session: Session, name: str) -> str:
    service = session.get(Service, SERVICE_IDS[name], populate_existing=True)
    assert service is not None
    return service.status


@pytest.fixture
def two_sources(session: Session, tmp_path: Path) -> Path:
    """The fixture's first four services from the source "kunta", the other two from "jarjesto"; returns
    the kunta feed without its fourth service."""
    records = valid_records()
    import_hsds_json(session, write_json(tmp_path / "kunta.json", records[:4]), source="kunta")
    import_hsds_json(session, write_json(tmp_path / "jarjesto.json", records[4:]), source="jarjesto")
    return write_json(tmp_path / "kunta-uusi.json", records[:3])


def test_prune_archives_what_the_feed_no_longer_has(session: Session, two_sources: Path) -> None:
    result = import_hsds_json(session, two_sources, source="kunta", prune=True, user="ajo 42")
    assert result.archived == ((SERVICE_IDS[GONE], GONE),)
    assert "Arkistoitiin 1 lähteen kunta palvelua" in result.summary_fi()
    session.expire_all()
    assert _status(session, GONE) == "inactive"
    assert {_status(session, name) for name in SERVICE_IDS if name != GONE} == {"active"}  # other source too
    service = session.get(Service, SERVICE_IDS[GONE])
    assert service is not None and service.source == "kunta"
    last = hsds.service(service)["metadata"][-1]
    assert (last["last_action_type"], last["field_name"], last["previous_value"], last["replacement_value"],
            last["updated_by"]) == ("archive", "status", "active", "inactive", "ajo 42")  # fmt: skip
    assert GONE not in [hit.service.name for hit in search_services(session, "velkaneuvonta")]
    # Archived once: the same feed again archives nothing more.
    assert import_hsds_json(session, two_sources, source="kunta", prune=True).archived == ()


def test_without_prune_nothing_is_archived(session: Session, two_sources: Path) -> None:
    assert import_hsds_json(session, two_sources, source="kunta").archived == ()
    assert _status(session, GONE) == "active"


def test_prune_of_another_source_touches_nothing_of_this_one(session: Session, two_sources: Path) -> None:
    result = import_hsds_json(session, two_sources, source="jarjesto", prune=True)
    # The kunta services in the file now count as jarjesto's; jarjesto's own two are gone from its feed.
    assert sorted(name for _, name in result.archived) == [
        "Läheisten vertaistukiryhmä",
        "Nuorten päihdeneuvonta",
    ]
    assert _status(session, GONE) == "active"  # a kunta service, not in this feed: untouched


def test_dry_run_tells_what_would_be_archived(session: Session, two_sources: Path) -> None:
    before = row_counts(session)
    result = import_hsds_json(session, two_sources, source="kunta", prune=True, dry_run=True)
    assert result.archived == ((SERVICE_IDS[GONE], GONE),)
    assert "Arkistoitaisiin 1 lähteen kunta palvelua" in result.summary_fi()
    session.expire_all()
    assert row_counts(session) == before and _status(session, GONE) == "active"


def test_prune_with_an_empty_feed_is_refused(session: Session, two_sources: Path, tmp_path: Path) -> None:
    before = row_counts(session)
    with pytest.raises(ImportValidationError, match="arkistoisi lähteen kaikki palvelut"):
        import_hsds_json(session, write_json(tmp_path / "empty.json", []), source="kunta", prune=True)
    assert row_counts(session) == before


def test_a_failing_import_archives_nothing(session: Session, two_sources: Path, tmp_path: Path) -> None:
    records = valid_records()[:3]
    records[1]["status"] = "auki"
    with pytest.raises(ImportValidationError):
        import_hsds_json(session, write_json(tmp_path / "bad.json", records), source="kunta", prune=True)
    assert _status(session, GONE) == "active"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONPATH": str(REPO_ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "directory_db", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_cli_user_source_and_prune(tmp_path: Path) -> None:
    assert _run(tmp_path, "init").returncode == 0
    first = _run(tmp_path, "import", "--skip-embeddings", "--source", "kunta", "--user", "Maija", str(VALID))
    assert first.returncode == 0, first.stderr
    smaller = write_json(tmp_path / "uusi.json", [r for r in valid_records() if r["name"] != GONE])
    dry = _run(
        tmp_path, "import", "--skip-embeddings", "--source", "kunta", "--prune", "--dry-run", str(smaller)
    )
    assert dry.returncode == 0, dry.stderr
    assert f"arkistoitaisiin: {GONE} ({SERVICE_IDS[GONE]})" in dry.stdout
    done = _run(tmp_path, "import", "--skip-embeddings", "--source", "kunta", "--prune", str(smaller))
    assert f"arkistoitiin: {GONE} ({SERVICE_IDS[GONE]})" in done.stdout
    exported = tmp_path / "out.json"
    assert _run(tmp_path, "export", str(exported)).returncode == 0
    text = exported.read_text(encoding="utf-8")
    assert '"updated_by": "Maija"' in text and '"updated_by": "import:hsds-json"' in text
    assert '"last_action_type": "archive"' in text
