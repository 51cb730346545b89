"""Rasa component tests run in the Rasa environment only (``make test-rasa``); elsewhere they are not
collected (the application environment has no Rasa)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

collect_ignore_glob = [] if importlib.util.find_spec("rasa") else ["test_*.py"]


@pytest.fixture
def postgres_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throwaway PostgreSQL server (ovi_stack/postgres.py). It talks to the server with psycopg 3, which
    only the application environment has: here psycopg2 (Rasa's driver) does."""
    import psycopg2

    from ovi_stack import postgres

    class Psycopg2Connection:
        def __init__(self, port: int, database: str) -> None:
            self.connection = psycopg2.connect(host="127.0.0.1", port=port, user=postgres.SUPERUSER,
                                               dbname=database, connect_timeout=10)
            self.connection.autocommit = True

        def execute(self, query: str) -> Any:
            cursor = self.connection.cursor()
            cursor.execute(query)
            return cursor

        def __enter__(self) -> Psycopg2Connection:
            return self

        def __exit__(self, *_: object) -> None:
            self.connection.close()

    def connect(self: postgres.TemporaryPostgres, database: str = "postgres") -> Psycopg2Connection:
        return Psycopg2Connection(self.port, database)

    def create_database(self: postgres.TemporaryPostgres, name: str | None = None, **_: Any) -> str:
        name = name or self.new_name()
        with connect(self) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    monkeypatch.setattr(postgres.TemporaryPostgres, "_connect", connect)
    monkeypatch.setattr(postgres.TemporaryPostgres, "create_database", create_database)
    with postgres.TemporaryPostgres() as server:
        yield server.url
