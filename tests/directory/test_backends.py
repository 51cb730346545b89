"""The directory on both backends: SQLite (the default) and PostgreSQL (production).

Tests taking ``backend_url`` / ``empty_backend_url`` run once per backend; the others build the same data on
both and compare what the code returns (search ranking, exports, row counts). The PostgreSQL server is the
session's throwaway one (``postgres_server`` in tests/conftest.py, ovi_stack/postgres.py). Its databases sort
text in Finnish ICU collation and its session time zone is Europe/Helsinki, so code that relied on a
byte-order ``ORDER BY`` or on the database handing back UTC would give other answers here than on SQLite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from directory_db import cli, migrate
from directory_db.db import make_engine, make_session_factory
from directory_db.export import export_hsds_json, export_services
from directory_db.importers import ImportValidationError, import_hsds_json
from directory_db.importers import writer as writer_module
from directory_db.models import Base, Organization, SearchDocument, SearchIndexState
from directory_db.search import load_services, search_services
from directory_db.search_index import saved_embeddings
from ovi_stack import postgres
from ovi_stack.postgres import TemporaryPostgres

from .conftest import VALID, row_counts, valid_records, write_json
from .encoders import HashingEncoder

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "directory_db" / "data" / "demo" / "kymenlaakso_demo.json"
KOTKA = "285"


@contextmanager
def open_session(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _records(path: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _expected_counts() -> dict[str, int]:
    """What the two files must give, counted from the files themselves (shared records stored once)."""
    services = _records(VALID) + _records(DEMO)
    locations = {sal["location"]["id"] for s in services for sal in s.get("service_at_locations", [])}
    return {
        "services": len(services),
        "search_documents": len(services),
        "organizations": len({s["organization"]["id"] for s in services}),
        "locations": len(locations),
        "service_areas": sum(len(s.get("service_areas", [])) for s in services),
        "service_at_locations": sum(len(s.get("service_at_locations", [])) for s in services),
    }


def _state(session: Session) -> tuple[int, str]:
    state = session.get(SearchIndexState, 1, populate_existing=True)
    assert state is not None
    return state.generation, state.token


# --- the temporary server ------------------------------------------------------------------------------


def test_missing_server_binaries_fail_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(postgres, "DEBIAN_GLOB", str(tmp_path / "none" / "*" / "bin"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(postgres.ENV_BIN, raising=False)
    with pytest.raises(postgres.PostgresError, match="apt-get install postgresql"):
        postgres.TemporaryPostgres().start()


def test_server_runs_in_helsinki_time_and_finnish_collation(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(sql_text("SHOW timezone")).scalar() == "Europe/Helsinki"
            # Finnish order (ICU): not byte order, so an ORDER BY the code relied on would show here.
            words = ["B", "a", "ä", "z", "Å"]
            rows = connection.execute(
                sql_text("SELECT w FROM unnest(CAST(:words AS text[])) AS w ORDER BY w"), {"words": words}
            )
            assert [w for (w,) in rows] == ["a", "B", "z", "Å", "ä"]
    finally:
        engine.dispose()


# --- schema ----------------------------------------------------------------------------------------------


def test_migrations_reach_head_match_the_models_and_go_down_again(empty_backend_url: str) -> None:
    url = empty_backend_url
    engine = make_engine(url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(url)
        migrate.upgrade(url)  # current: a no-op
        assert migrate.is_current(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            state = connection.execute(select(SearchIndexState.generation, SearchIndexState.token)).all()
            assert [tuple(row) for row in state] == [(1, "initial")]
            columns = {c["name"]: c["type"] for c in inspect(connection).get_columns("search_documents")}
            assert columns["embedding"].python_type is bytes  # BLOB / bytea
        command.downgrade(migrate.alembic_config(url), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        migrate.upgrade(url)
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


# --- import ----------------------------------------------------------------------------------------------


def test_import_counts_and_reimport_changes_nothing(backend_url: str) -> None:
    with open_session(backend_url) as session:
        first = import_hsds_json(session, VALID)
        second = import_hsds_json(session, DEMO)
        assert first.services_created == len(_records(VALID))
        assert second.services_created == len(_records(DEMO))
        counts = row_counts(session)
        assert {name: counts[name] for name in _expected_counts()} == _expected_counts()
        exported = export_services(session)
        generation, token = _state(session)

        again = import_hsds_json(session, [VALID, DEMO])
        assert (again.services_created, again.services_updated) == (0, counts["services"])
        session.expire_all()
        assert row_counts(session) == counts
        assert export_services(session) == exported
        new_generation, new_token = _state(session)
        assert new_generation > generation and new_token != token  # searches reload their snapshot


def test_a_first_import_gives_rows_their_python_side_defaults_on_the_fast_path(
    backend_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's organizations carry no last_modified: the model's default (the time of writing) fills it.
    # The bulk path writes with COPY on PostgreSQL and the driver's executemany on SQLite, neither of which
    # runs SQLAlchemy's defaults, so insert_many adds them; SQLAlchemy's own INSERT must not be needed.
    fallbacks: list[str] = []
    original = Session.execute

    def execute(self: Session, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(statement, "is_insert", False) and getattr(statement, "table", None) is not None:
            fallbacks.append(statement.table.name)
        return original(self, statement, *args, **kwargs)

    monkeypatch.setattr(Session, "execute", execute)
    before = datetime.now(timezone.utc)
    with open_session(backend_url) as session:
        import_hsds_json(session, DEMO)
        stamps = session.scalars(select(Organization.last_modified)).all()
    after = datetime.now(timezone.utc)
    assert "organizations" not in fallbacks and "locations" not in fallbacks
    assert len(stamps) == len({r["organization"]["id"] for r in _records(DEMO)})
    # SQLite hands back naive UTC, PostgreSQL an aware time in the session's zone (Europe/Helsinki).
    utc = [stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp for stamp in stamps]
    assert all(before <= stamp <= after for stamp in utc)


def _break_municipality(records: list[dict[str, Any]]) -> None:
    records[3]["service_areas"][0]["uri"] = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/999"


def test_failing_imports_write_nothing(
    backend_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_session(backend_url) as session:
        import_hsds_json(session, VALID)
        before, state, exported = row_counts(session), _state(session), export_services(session)

        def unchanged() -> None:
            session.expire_all()
            assert row_counts(session) == before
            assert _state(session) == state
            assert export_services(session) == exported
            # The session is usable again (on PostgreSQL a failed statement would poison the transaction).
            assert search_services(session, "päihde", municipality=KOTKA)

        # 1. Rejected by validation, before anything is written.
        records = valid_records()
        records[0]["name"] = "Tämä muutos ei saa tallentua"
        _break_municipality(records)
        with pytest.raises(ImportValidationError):
            import_hsds_json(session, write_json(tmp_path / "bad.json", records))
        unchanged()

        # 2. Rejected by the writer after its first deletes and inserts were flushed: an id already taken.
        records = valid_records()
        records[1]["phones"][0]["id"] = records[0]["phones"][0]["id"]
        with pytest.raises(ImportValidationError, match="toisen tietueen käytössä"):
            import_hsds_json(session, write_json(tmp_path / "taken.json", [records[1]]))
        unchanged()

        # 3. The index write fails after every service row was flushed.
        def broken_index(*_args: Any, **_kwargs: Any) -> int:
            raise RuntimeError("indeksin kirjoitus epäonnistui")

        monkeypatch.setattr(writer_module, "rebuild_index", broken_index)
        records = valid_records()
        records[0]["name"] = "Tämäkään muutos ei saa tallentua"
        with pytest.raises(RuntimeError, match="indeksin kirjoitus"):
            import_hsds_json(session, write_json(tmp_path / "changed.json", records))
        monkeypatch.undo()
        unchanged()


def test_export_import_round_trip_is_identical(backend_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    with open_session(backend_url) as session:
        import_hsds_json(session, [VALID, DEMO])
        export_hsds_json(session, first)
        counts = row_counts(session)
        # Empty the database (children first), then import the export into it.
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "search_index_state":
                session.execute(table.delete())
        session.commit()
        assert set(row_counts(session).values()) == {0}
    with open_session(backend_url) as session:
        import_hsds_json(session, first)
        assert row_counts(session) == counts
        export_hsds_json(session, second)
    assert first.read_bytes() == second.read_bytes()


def test_nul_character_is_a_validation_error(backend_url: str, tmp_path: Path) -> None:
    records = valid_records()
    records[0]["description"] = "ennen\u0000jälkeen"
    with open_session(backend_url) as session:
        try:
            with pytest.raises(ImportValidationError, match="description"):
                import_hsds_json(session, write_json(tmp_path / "nul.json", records))
        finally:
            session.rollback()
            assert set(row_counts(session).values()) == {0}


def test_more_ids_than_postgresql_allows_parameters(backend_url: str) -> None:
    """An IN list of a national import's ids: over the 65535 parameters a PostgreSQL statement may carry when
    psycopg binds on the server (directory_db.db binds on the client)."""
    with open_session(backend_url) as session:
        import_hsds_json(session, VALID)
        real = [r["id"] for r in valid_records()]
        ids = [f"puuttuva-{i}" for i in range(66_000)] + real
        assert sorted(load_services(session, ids)) == sorted(real)
        assert sorted(saved_embeddings(session, ids)) == []


# --- the same data on both backends ------------------------------------------------------------------------


ENCODER = HashingEncoder()


@pytest.fixture(scope="module")
def both(
    postgres_server: TemporaryPostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """The fixture and the demo data imported (with search vectors) into SQLite and into PostgreSQL."""
    folder = tmp_path_factory.mktemp("both")
    urls = {"sqlite": f"sqlite:///{folder / 'both.sqlite3'}", "postgresql": postgres_server.create_database()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OVI_EMBEDDING_CACHE", str(folder / "embedding-cache.sqlite3"))
        for url in urls.values():
            migrate.upgrade(url)
            with open_session(url) as session:
                import_hsds_json(session, VALID, encoder=ENCODER)
                import_hsds_json(session, DEMO, encoder=ENCODER)
    yield urls
    postgres_server.drop_database(urls["postgresql"])


def _without_import_history(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The services without the history rows the two imports wrote themselves: those say when each import
    ran (and have random ids), so they differ between any two databases; the rows the files brought stay."""
    return [
        {**s, "metadata": [m for m in s["metadata"] if not m["updated_by"].startswith("import:")]}
        for s in services
    ]


def test_same_rows_vectors_and_export_on_both(both: dict[str, str]) -> None:
    counts, exports, vectors = {}, {}, {}
    for backend, url in both.items():
        with open_session(url) as session:
            counts[backend] = row_counts(session)
            exports[backend] = export_services(session)
            rows = session.execute(select(SearchDocument.service_id, SearchDocument.embedding)).all()
            vectors[backend] = dict(sorted((sid, blob) for sid, blob in rows))
    assert counts["sqlite"] == counts["postgresql"]
    assert _without_import_history(exports["sqlite"]) == _without_import_history(exports["postgresql"])
    blobs = list(vectors["postgresql"].values())
    assert blobs and all(type(b) is bytes and len(b) == 2 * ENCODER.dim for b in blobs)  # float16
    assert vectors["sqlite"] == vectors["postgresql"]


# (text, options): plain words, inflected and compound forms, stop words only, no text; with and without the
# municipality (285 Kotka, 286 Kouvola, 075 Hamina, 624 Pyhtää, 935 Virolahti, 489 Miehikkälä), target
# groups, requested service classes, language and provider type.
SEARCHES: list[tuple[str | None, dict[str, Any]]] = [
    ("päihde", {}),
    ("päihde", {"municipality": KOTKA}),
    ("apua päihteisiin", {"municipality": "286"}),
    ("päihteet nuoret", {"municipality": KOTKA, "target_group": "KR1.3"}),
    ("mielenterveys", {"municipality": "075"}),
    ("velkaneuvonta", {}),
    ("asumisneuvonta", {"municipality": KOTKA}),
    ("kriisiapu", {"municipality": "624"}),
    ("vertaistukiryhmä", {"municipality": "935"}),
    ("keskusteluapua", {"municipality": "286", "service_classes": ["P5"]}),
    ("etsivä nuorisotyö", {"municipality": "489"}),
    ("väkivalta", {"language": "sv"}),
    ("olohuone", {"provider_type": "parish"}),
    ("mistä?", {"municipality": KOTKA}),
    (None, {"municipality": KOTKA}),
    (None, {"municipality": "286", "target_group": "KR1.1"}),
    (None, {"municipality": KOTKA, "service_classes": ["P5.7", "P4"]}),
    (None, {"limit": None}),
]


def _ranking(url: str, text: str | None, options: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    with open_session(url) as session:
        hits = search_services(session, text, **options, **extra)
        return [
            {
                "id": hit.service.id,
                "score": round(hit.score, 5),
                "area_level": hit.area_level,
                "classes": hit.matched_classes,
                "terms": hit.matched_terms,
                "explanation": hit.explanation.as_dict(),
            }
            for hit in hits
        ]


def _search_id(text: str | None, options: dict[str, Any]) -> str:
    return "-".join([text or "(no text)", *(f"{k}={v}" for k, v in options.items())])


@pytest.mark.parametrize(("text", "options"), SEARCHES, ids=[_search_id(t, o) for t, o in SEARCHES])
def test_search_ranks_the_same_on_both(
    both: dict[str, str], text: str | None, options: dict[str, Any]
) -> None:
    sqlite = _ranking(both["sqlite"], text, options)
    assert sqlite, "the query should find something in the fixture and demo data"
    assert _ranking(both["postgresql"], text, options) == sqlite


@pytest.mark.parametrize("text", ["päihdeongelma", "velat", "yksinäisyys", "help with debts"])
def test_search_with_vectors_ranks_the_same_on_both(both: dict[str, str], text: str) -> None:
    options = {"municipality": KOTKA}
    sqlite = _ranking(both["sqlite"], text, options, encoder=ENCODER)
    assert sqlite and all(hit["explanation"]["semantic"] is not None for hit in sqlite)
    assert _ranking(both["postgresql"], text, options, encoder=ENCODER) == sqlite


def test_upper_case_ids_export_and_rank_the_same_on_both(postgres_url: str, tmp_path: Path) -> None:
    """Valid UUIDs may come in upper case; a Finnish collation sorts "B…" after "a…", bytes the other way."""
    records = valid_records()
    for record in records[::2]:
        record["id"] = record["id"].upper()
    path = write_json(tmp_path / "upper.json", records)
    urls = {"sqlite": f"sqlite:///{tmp_path / 'upper.sqlite3'}", "postgresql": postgres_url}
    exports, rankings = {}, {}
    for backend, url in urls.items():
        migrate.upgrade(url)
        with open_session(url) as session:
            import_hsds_json(session, path)
            exports[backend] = [s["id"] for s in export_services(session)]
        rankings[backend] = [hit["id"] for hit in _ranking(url, None, {"limit": None})]
    assert exports["sqlite"] == sorted(exports["sqlite"]) == exports["postgresql"]
    assert rankings["sqlite"] == rankings["postgresql"]


# --- the command line on PostgreSQL ---------------------------------------------------------------------


def test_cli_init_import_search_on_postgresql(postgres_server: TemporaryPostgres, tmp_path: Path) -> None:
    url = postgres_server.create_database()
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO_ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "directory_db", *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip

    try:
        init = run("init")
        assert init.returncode == 0, init.stderr
        imported = run("import", "--skip-embeddings", str(VALID), str(DEMO))
        assert imported.returncode == 0, imported.stderr
        assert f"Tuotiin {_expected_counts()['services']} palvelua" in imported.stdout
        found = run("search", "päihde", "--municipality", KOTKA, "--json")
        assert found.returncode == 0, found.stderr
        hits = json.loads(found.stdout)
    finally:
        postgres_server.drop_database(url)

    # The same search in this process on SQLite, printed the way the CLI prints it.
    sqlite = f"sqlite:///{tmp_path / 'same.sqlite3'}"
    migrate.upgrade(sqlite)
    with open_session(sqlite) as session:
        import_hsds_json(session, [VALID, DEMO])
        expected = [cli._hit_json(h) for h in search_services(session, "päihde", municipality=KOTKA)]
    assert hits and "Päihdetyön avopalvelu" in [h["name"] for h in hits]
    assert hits == json.loads(json.dumps(expected, ensure_ascii=False))
